/**
 * Reads a V8 CPU profile (what `bench/ai.ts --profile DIR` and `bench/request-cost.ts --profile FILE`
 * write) and says where the busy time went, by the nearest Trellis code on each sample's stack: time
 * spent inside a library or a builtin counts for the Trellis function (or file) that called into it,
 * so `pg`'s socket writes under the group commit show as `subgraphs/governance/group-commit.ts`.
 * Samples with no Trellis frame count for their package (`pkg:openai`) or V8's own entry (GC).
 * `--leaves KEY` lists what the time under one such entry was spent on.
 *
 * The samples are wall-clock: a thread waiting for a core inside a syscall (a socket write that woke
 * PostgreSQL on a busy machine) counts as busy there, so read native entries with that in mind.
 *
 *   node bench/profile-summary.ts FILE [--by function|file] [--top 30] [--from S] [--to S] [--leaves KEY]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = `${path.dirname(path.dirname(fileURLToPath(import.meta.url)))}/`;

/** The repository file of a frame's URL, or undefined for libraries, builtins and V8's entries. */
function ownFile(url: string): string | undefined {
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  return file.startsWith(ROOT) && !file.includes('/node_modules/') ? file.slice(ROOT.length) : undefined;
}

const packageOf = (url: string) => url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];

function summarize(
  profile: Profile,
  options: { by: 'function' | 'file'; fromMs?: number; toMs?: number; leavesOf?: string },
): { busyMs: number; totalMs: number; entries: [string, number][] } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  // A node's key is the same for every sample that lands on it: walked up once per node.
  const keys = new Map<number, string>();
  const keyOf = (id: number): string => {
    let key = keys.get(id);
    if (key === undefined) {
      key = attribute(id);
      keys.set(id, key);
    }
    return key;
  };
  const attribute = (id: number): string => {
    let library: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = (nodes.get(at) as ProfileNode).callFrame;
      const own = ownFile(frame.url);
      if (own) return options.by === 'file' ? own : `${own}:${frame.functionName || '(anonymous)'}`;
      library ??= packageOf(frame.url);
    }
    return library ? `pkg:${library}` : (nodes.get(id) as ProfileNode).callFrame.functionName || '(anonymous)';
  };
  const leafOf = (id: number) => {
    const frame = (nodes.get(id) as ProfileNode).callFrame;
    return `${frame.functionName || '(anonymous)'} ${ownFile(frame.url) ?? packageOf(frame.url) ?? frame.url}`;
  };
  const spent = new Map<string, number>();
  let totalMs = 0;
  let busyMs = 0;
  let elapsedMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    elapsedMs += ms;
    if (
      (options.fromMs !== undefined && elapsedMs < options.fromMs) ||
      (options.toMs !== undefined && elapsedMs > options.toMs)
    )
      return;
    totalMs += ms;
    if ((nodes.get(id) as ProfileNode).callFrame.functionName === '(idle)') return;
    busyMs += ms;
    const key = keyOf(id);
    if (options.leavesOf !== undefined && key !== options.leavesOf) return;
    const entry = options.leavesOf === undefined ? key : leafOf(id);
    spent.set(entry, (spent.get(entry) ?? 0) + ms);
  });
  return { busyMs, totalMs, entries: [...spent].sort((a, b) => b[1] - a[1]) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      by: { type: 'string', default: 'function' },
      top: { type: 'string', default: '30' },
      from: { type: 'string' },
      to: { type: 'string' },
      leaves: { type: 'string' },
    },
  });
  const [file] = positionals;
  if (!file || (values.by !== 'function' && values.by !== 'file')) {
    process.stderr.write(
      'usage: node bench/profile-summary.ts FILE [--by function|file] [--top 30] [--from S] [--to S] [--leaves KEY]\n',
    );
    process.exit(2);
  }
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const { busyMs, totalMs, entries } = summarize(profile, {
    by: values.by,
    fromMs: values.from === undefined ? undefined : Number(values.from) * 1000,
    toMs: values.to === undefined ? undefined : Number(values.to) * 1000,
    leavesOf: values.leaves,
  });
  const lines = [`${totalMs.toFixed(0)} ms sampled, ${busyMs.toFixed(0)} ms busy`];
  for (const [key, ms] of entries.slice(0, Number(values.top)))
    lines.push(`${((100 * ms) / busyMs).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
