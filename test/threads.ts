/** The threads of a Linux process as /proc shows them: name and nice value (stat field 19). */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadInfo {
  tid: number;
  name: string;
  nice: number;
}

export function threadsOf(pid: number | 'self'): ThreadInfo[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the parenthesised name, which may itself hold spaces: state is field 3, nice field 19.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      tid: Number(tid),
      name: readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(),
      nice: Number(fields[16]),
    };
  });
}
