/**
 * V8's helper threads at a lower CPU priority than the threads that serve requests.
 *
 * Node gives V8 a pool of helper threads (named `V8Worker`, four by default) for a full GC's concurrent
 * marking, parallel scavenges and background compilation. On a small host a full GC's marking ran on all
 * of them and took both cores for 100–250 ms: the main thread and PostgreSQL — whose row locks the SDK
 * hot path waits on — waited for a core, and every request due in that window was late
 * (bench/RESULTS.md, governance). At a higher nice value the helpers still get every core nothing else
 * wants, so an idle or many-core host marks as fast as before; under contention they yield, and V8 does
 * the marking the helpers have not done in its incremental steps on the main thread, a little at a time.
 *
 * Linux only: there the nice value belongs to each thread (setpriority(2) on a thread id), and a
 * process may raise its own threads' nice value without privileges. Elsewhere, or without /proc,
 * nothing changes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** The name Node gives V8's helper threads. */
const V8_HELPER = 'V8Worker';

export interface ThreadInfo {
  tid: number;
  name: string;
  nice: number;
}

/** The threads of a Linux process as /proc shows them (none where it cannot be read). */
export function threadsOf(pid: number | 'self' = 'self'): ThreadInfo[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // `tid (name) state …`: the name may hold spaces and parentheses; nice is field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [
        { tid: Number(tid), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), nice: Number(fields[16]) },
      ];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

/**
 * Raises the nice value of this process's V8 helper threads to `nice` (0 leaves them as they are);
 * a thread already at `nice` or above is left alone. Returns how many threads it changed.
 */
export function lowerGcThreadPriority(nice: number): number {
  if (nice <= 0 || process.platform !== 'linux') return 0;
  let changed = 0;
  for (const thread of threadsOf()) {
    if (thread.name !== V8_HELPER || thread.nice >= nice) continue;
    try {
      os.setPriority(thread.tid, nice);
      changed++;
    } catch {
      // The thread ended meanwhile, or the host refuses: it keeps its priority.
    }
  }
  return changed;
}
