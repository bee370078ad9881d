/**
 * Gives back what boot leaves behind, once, before a production process reports ready.
 *
 * Boot (schemas, the query planner, migrations, five ORMs) allocates fast enough that V8 grows the
 * young generation to its maximum — 2 × 16 MiB committed under `--max-semi-space-size=16`, with a
 * few MiB live — and V8 shrinks it only in a memory-reducing full collection. Its memory reducer
 * starts such a collection only after an ordinary full one, which an idle process never runs, so a
 * quiet server kept the boot-time young generation (and the old-space pages boot freed) for good:
 * measured on `trellis start`, RSS when ready 247 MiB, of which 31 MiB was empty young generation.
 * One memory-reducing collection at the end of boot takes it to ~208 MiB, for ~0.6 s of boot time.
 * Under load the young generation grows again as far as the flag allows; nothing else changes.
 *
 * V8 offers the collection through its `gc` extension only (Node has no API for a memory-reducing
 * collection): the flag that exposes it is set at run time and the function is taken from a fresh
 * context, so the process's own global scope never gains a `gc`.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type GcExtension = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** Runs one memory-reducing full collection; returns how long it took, in milliseconds. */
export function releaseBootMemory(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as GcExtension;
  const started = performance.now();
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return performance.now() - started;
}
