/**
 * Workloads die with their agent, however the agent ends (exit, crash, SIGKILL, the OOM killer). The
 * process runtime starts each workload in a process group of its own (`detached`: a new session, so the
 * group holds the workload and whatever it forks) and registers that group here. The groups are watched by
 * the reaper: a small `/bin/sh` process (a few hundred KB; a Node reaper would cost ~70 MB) the agent starts
 * once, with its first workload, whose stdin is a pipe only the agent writes to. The kernel closes the
 * agent's end when the agent's process ends, for any reason, so the reaper reads end-of-file, asks each
 * workload still registered to stop (SIGTERM to the group's leader, the workload itself, as the agent's own
 * stop does), SIGKILLs each whole group once its leader is gone or REAPER_GRACE_MS has passed, and exits.
 * (The kernel's own PR_SET_PDEATHSIG is out of reach from Node and would reach only the direct child, not
 * what a `sh -c` workload forks.)
 *
 * On the pipe, one line per change: `+<pgid>` a group started, `-<pgid>` it ended. A workload that calls
 * setsid() itself leaves its group and escapes the reaper: the process runtime isolates nothing
 * (docs/compute.md). The docker runtime's containers are the engine's children, not the agent's.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** How long the reaper lets orphaned workloads shut down after SIGTERM before it SIGKILLs them. */
export const REAPER_GRACE_MS = 3_000;

/** The reaper (POSIX sh): collects groups until end-of-file, then stops and kills what is still registered. */
const REAPER = `# trellis workload reaper (subgraphs/compute/agent/workload-reaper.ts)
groups=
while IFS= read -r line; do
  pgid=\${line#?}
  case $pgid in ''|*[!0-9]*) continue ;; esac
  case $line in
    +*) groups="$groups $pgid" ;;
    -*) kept=; for g in $groups; do [ "$g" = "$pgid" ] || kept="$kept $g"; done; groups=$kept ;;
  esac
done
for g in $groups; do kill -s TERM "$g" 2>/dev/null; done
tries=0
while [ "$tries" -lt ${REAPER_GRACE_MS / 100} ]; do
  alive=; for g in $groups; do kill -s 0 "$g" 2>/dev/null && alive=1; done
  [ -z "$alive" ] && break
  sleep 0.1; tries=$((tries + 1))
done
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
`;

/** Signals a workload's whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

const tethered = new Set<number>();
let reaper: ChildProcess | null = null;

/** The running reaper, started (and told every group still tethered) if there is none. */
function reaperProcess(): ChildProcess {
  if (reaper) return reaper;
  // Detached, with no stdout/stderr: the reaper outlives the agent by REAPER_GRACE_MS at most and must not
  // hold the agent's output pipes open (or be signalled with the agent's terminal group) meanwhile. Its
  // environment is PATH alone: the agent's (the control plane's secrets in the embedded node) is none of
  // its business.
  const child = spawn('/bin/sh', ['-c', REAPER], {
    detached: true,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const forget = () => {
    if (reaper === child) reaper = null;
  };
  child.once('error', forget);
  child.once('exit', forget);
  child.stdin?.on('error', forget);
  // Neither the reaper nor its pipe keeps the agent alive: the agent ending is the reaper's signal.
  child.unref();
  (child.stdin as unknown as { unref(): void } | null)?.unref();
  reaper = child;
  for (const pgid of tethered) child.stdin?.write(`+${pgid}\n`);
  return child;
}

/** Registers a workload's process group: it is killed if this process ends while it still runs. */
export function tetherGroup(pgid: number): void {
  if (tethered.has(pgid)) return;
  tethered.add(pgid);
  reaperProcess().stdin?.write(`+${pgid}\n`);
}

/** The workload's group ended (or was killed by the runtime): nothing for the reaper to do about it. */
export function untetherGroup(pgid: number): void {
  if (!tethered.delete(pgid)) return;
  reaper?.stdin?.write(`-${pgid}\n`);
}
