/**
 * How far V8 lets the old generation grow past what survived the last full GC before it runs the
 * next one. V8 picks a factor of 1.1–4 from its GC and mutator speeds; a server under sustained load
 * allocates fast, so it picks ~4: a gateway whose live heap is ~60 MiB grew to ~300 MiB of heap
 * (~450 MiB RSS) between full GCs under the federated bench load, although a full GC brought it back
 * to ~60 MiB each time (`--trace-gc`). A factor of 2 kept its peak RSS at ~250 MiB, for a few more
 * full GCs of a small live heap (bench/RESULTS.md, gateway; docs/operators.md).
 */
import v8 from 'node:v8';

/** Old generation limit after a full GC: live size × (1 + this / 100). */
export const HEAP_GROWING_PERCENT = 100;

/**
 * Sets V8's heap growing factor for this process. V8 reads it at every full GC, so setting it at
 * start is enough; it cannot go in NODE_OPTIONS, which is why the process sets it itself. A
 * `--heap-growing-percent` given on Node's command line wins. Returns the percent in effect
 * (NaN when the command line gave the flag in a form this does not read).
 */
export function limitHeapGrowth(): number {
  const given = process.execArgv.find((flag) => flag.startsWith('--heap-growing-percent'));
  if (given) return Number(given.split('=')[1]);
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
