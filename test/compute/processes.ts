/**
 * Finding a workload's processes from a test: every process the process runtime starts for a workload, and
 * everything that forks, carries TRELLIS_VM_ID=<workload id> in its environment (Linux /proc).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The pids of live processes whose environment has TRELLIS_VM_ID=`workloadId`. */
export function workloadPids(workloadId: string): number[] {
  const wanted = `TRELLIS_VM_ID=${workloadId}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(wanted) && isAlive(Number(entry)))
        pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or another user's process.
    }
  }
  return pids;
}

/** True while the process runs (a zombie, dead but not yet reaped by its new parent, does not count). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
