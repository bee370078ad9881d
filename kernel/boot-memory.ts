/**
 * Gives back what boot leaves behind, once, before a production process reports ready — and, when
 * V8's own memory reducer is off, what a burst of work leaves behind once the process is idle again.
 *
 * Boot (schemas, the query planner, migrations, five ORMs) allocates fast enough that V8 grows the
 * young generation to its maximum — 2 × 16 MiB committed under `--max-semi-space-size=16`, with a
 * few MiB live — and V8 shrinks it only in a memory-reducing full collection. Measured on
 * `trellis start`: RSS when ready 247 MiB, of which 31 MiB was empty young generation. One
 * memory-reducing collection at the end of boot takes it to ~208 MiB, for ~0.6 s of boot time.
 *
 * V8's memory reducer then runs two more full collections ~8 s after that one (it follows every
 * full collection of a process that has gone quiet): on an idle `trellis start` they found nothing
 * (85 → 83 MiB of heap) and cost ~450 ms of CPU in the first idle minute, which alone broke the
 * idle target of 1 % of a core (bench/RESULTS.md, idle). `npm start` and the Docker image therefore
 * run Node with `--no-memory-reducer`, and the process does the reducer's useful part itself
 * (`releaseMemoryWhenIdle`): one memory-reducing collection when the heap has grown since the last
 * one and the event loop has been idle for a whole check interval — after a burst of requests, not
 * after boot, whose collection already ran.
 *
 * V8 offers the collection through its `gc` extension only (Node has no API for a memory-reducing
 * collection): the flag that exposes it is set at run time and the function is taken from a fresh
 * context, so the process's own global scope never gains a `gc`.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

type GcExtension = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let collect: GcExtension | undefined;

/** Runs one memory-reducing full collection (at the end of boot, and when idle); returns how long it took, in ms. */
export function releaseMemory(): number {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as GcExtension;
  }
  const started = performance.now();
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return performance.now() - started;
}

/** V8's memory reducer was turned off on Node's command line (it cannot be turned off at run time). */
export const memoryReducerOff = (execArgv: readonly string[] = process.execArgv): boolean =>
  execArgv.includes('--no-memory-reducer');

export interface IdleReleaseOptions {
  /** How often the heap and the event loop are looked at; the loop must be idle for a whole interval. */
  intervalMs?: number;
  /** Growth of the heap (committed, all spaces) since the last collection that is worth one. */
  growthBytes?: number;
  /** Event-loop utilization below which the process counts as idle. */
  idleUtilization?: number;
  /** Called after each collection (metrics, tests). */
  onRelease?: (info: { ms: number; heapBefore: number; heapAfter: number }) => void;
}

/** Whether an interval that saw `utilization` and a heap `grown` bytes larger calls for a collection. */
export const shouldRelease = (
  utilization: number,
  grown: number,
  options: Required<Pick<IdleReleaseOptions, 'growthBytes' | 'idleUtilization'>>,
): boolean => utilization < options.idleUtilization && grown >= options.growthBytes;

const committedHeap = () => v8.getHeapStatistics().total_heap_size;

/**
 * Looks every `intervalMs` whether the process is idle with a heap grown by `growthBytes` since the
 * last memory-reducing collection, and if so runs one. The timer does not hold the process open;
 * the returned function stops it. Start it after `releaseMemory`, whose result is the baseline.
 */
export function releaseMemoryWhenIdle(options: IdleReleaseOptions = {}): () => void {
  const settings = {
    intervalMs: options.intervalMs ?? 30_000,
    growthBytes: options.growthBytes ?? 24 * 1024 * 1024,
    idleUtilization: options.idleUtilization ?? 0.02,
  };
  let baseline = committedHeap();
  let lastLoop = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const loop = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(loop, lastLoop).utilization;
    lastLoop = loop;
    const heapBefore = committedHeap();
    if (!shouldRelease(utilization, heapBefore - baseline, settings)) {
      // A heap that shrank by itself is the new baseline; growth is counted from the lowest point.
      baseline = Math.min(baseline, heapBefore);
      return;
    }
    const ms = releaseMemory();
    baseline = committedHeap();
    // The collection is this interval's own work, not the next interval's load.
    lastLoop = performance.eventLoopUtilization();
    options.onRelease?.({ ms, heapBefore, heapAfter: baseline });
  }, settings.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
