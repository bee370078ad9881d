/** Pipelines inside the compute subgraph: services per request, the run driver and schedule ticker per process. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { TrellisError } from '../../../kernel/errors.ts';
import { modelCallsOf } from '../../../kernel/model-calls.ts';
import type { Principal } from '../../../kernel/principal.ts';
import type { BaseContext, SubgraphRuntime, Worker } from '../../../kernel/subgraph.ts';
import type { QueueEngine } from '../queue/engine.ts';
import { type JobsOf, RunDriver } from './driver.ts';
import { vaultSecretOpener } from './nodes/secrets.ts';
import { ADVANCE_QUEUE, RunQueue, registerRunQueue, TICK_QUEUE, TIMER_QUEUE } from './run-queue.ts';
import { PipelineService, type RunView, TERMINAL } from './runs.ts';
import { ScheduleService, startScheduleTicker } from './schedules.ts';
import { WebhookTriggerService } from './triggers-webhook.ts';

/** A crashed driver's advance lease (the engine's) expires after this long; another replica then continues. */
const LEASE_SECONDS = 10;
/**
 * The driver's safety poll: it is woken by commits, the bus and its next due timer or retry, so the poll only
 * finds a lost bus message or an advance whose lease the engine expired (a replica that died mid-run). Long,
 * so an idle process does not claim from the engine every few seconds.
 */
const DRIVER_POLL_MS = 30_000;
/**
 * The ticker's safety poll, kept short: a tick claimed more than LATE_MS (5 s, schedules.ts) late counts as missed, so
 * a tick it learns of only through the poll (its bus announcement lost) must still be found in time.
 */
const TICKER_POLL_MS = 5_000;
const CONCURRENCY = 16;
const SYNC_POLL_MS = 25;

type PipelineRuntime = Pick<SubgraphRuntime, 'platform' | 'logger' | 'orm'>;

const drivers = new WeakMap<PipelineRuntime, RunDriver>();
const queues = new WeakMap<PipelineRuntime, RunQueue>();
/** Each process's job service, set when its workers start (requests only wake the driver). */
const jobServices = new WeakMap<PipelineRuntime, JobsOf>();

/** The runtime's run queue over its queue engine (`engine` is only called once the queue is used). */
function runQueueOf(runtime: PipelineRuntime, engine: () => QueueEngine): RunQueue {
  let queue = queues.get(runtime);
  if (!queue) {
    queue = new RunQueue(engine, { leaseSeconds: LEASE_SECONDS });
    queues.set(runtime, queue);
  }
  return queue;
}

/** The job service of the runtime's process (set when its workers start). */
function jobsOf(runtime: PipelineRuntime): JobsOf {
  return () => {
    const jobs = jobServices.get(runtime);
    if (!jobs) throw new Error('the job queue is not running in this process');
    return jobs();
  };
}

function driverOf(runtime: PipelineRuntime, engine: () => QueueEngine): RunDriver {
  let driver = drivers.get(runtime);
  if (!driver) {
    driver = new RunDriver({
      orm: runtime.orm,
      logger: runtime.logger,
      allowPrivateTargets: runtime.platform.config.webhooks.allowPrivateTargets,
      queue: runQueueOf(runtime, engine),
      pollMs: DRIVER_POLL_MS,
      concurrency: CONCURRENCY,
      openSecrets: vaultSecretOpener(
        () => runtime.orm.em.fork() as unknown as EntityManager,
        runtime.platform.secretBox,
        runtime.platform.internalSecret,
      ),
      // Bound by the composition root once the AI gateway runs beside compute (bin/platform.ts).
      modelCalls: () => modelCallsOf(runtime.platform),
      jobs: jobsOf(runtime),
    });
    drivers.set(runtime, driver);
  }
  return driver;
}

export interface PipelineContext {
  pipelines: PipelineService;
  schedules: ScheduleService;
  webhookTriggers: WebhookTriggerService;
  /** How long a synchronous run may wait in this request (`syncWaitLimitMs` of the gateway's deadline). */
  syncWaitLimitMs: number;
}

export function pipelineServices(
  base: Pick<BaseContext, 'em'>,
  runtime: PipelineRuntime,
  engine: () => QueueEngine,
): PipelineContext {
  const driver = driverOf(runtime, engine);
  const em = base.em as unknown as EntityManager;
  const pipelines = new PipelineService(em, {
    allowPrivateTargets: runtime.platform.config.webhooks.allowPrivateTargets,
    queue: runQueueOf(runtime, engine),
    wake: () => driver.wake(),
  });
  return {
    pipelines,
    syncWaitLimitMs: syncWaitLimitMs(runtime.platform.config.graphql.subgraphTimeoutMs),
    schedules: new ScheduleService(em, runQueueOf(runtime, engine), jobsOf(runtime)),
    webhookTriggers: new WebhookTriggerService(
      em,
      runtime.platform.secretBox,
      pipelines,
      runtime.platform.config.mail.publicUrl,
    ),
  };
}

/**
 * Starts the run driver (its job nodes submit through `jobs`, its advances are `engine` jobs) and the schedule
 * ticker; the event consumers of this platform send advances through this runtime's queue.
 */
export function pipelineWorkers(runtime: PipelineRuntime, jobs: JobsOf, engine: () => QueueEngine): Worker[] {
  jobServices.set(runtime, jobs);
  const queue = runQueueOf(runtime, engine);
  const unregister = registerRunQueue(runtime.platform, queue);
  const driver = driverOf(runtime, engine).start();
  const ticker = startScheduleTicker({
    orm: runtime.orm,
    logger: runtime.logger,
    pollMs: TICKER_POLL_MS,
    queue,
    jobs,
    onRun: () => driver.wake(),
  });
  // Wake on sends: this process's once their transaction commits, other replicas' through the bus.
  const unwatch = queue.watchCommits(runtime.orm, (name) => {
    if (name === ADVANCE_QUEUE || name === TIMER_QUEUE) driver.wake();
    else if (name === TICK_QUEUE) ticker.wake();
  });
  const unlisten = queue.listen(runtime.platform.bus).catch((error) => {
    runtime.logger.warn({ err: error }, 'pipelines: not listening for other replicas’ sends (the poll finds them)');
    return async () => undefined;
  });
  return [
    {
      name: 'compute-runs',
      stop: async () => {
        unregister();
        unwatch();
        await (await unlisten)();
        await driver.stop();
      },
    },
    { name: 'compute-schedules', stop: () => ticker.stop() },
  ];
}

/** The organization a call acts in: the argument, or the API key's own. */
export function orgOf(principal: Principal, orgId: string | null | undefined): string {
  const id = orgId ?? principal.orgId;
  if (!id)
    throw new TrellisError('validation_failed', 'orgId is required (an API key defaults to its own organization)', {
      field: 'orgId',
    });
  return id;
}

/**
 * The gateway gives a subgraph request TRELLIS_SUBGRAPH_TIMEOUT_MS and then answers 503 while the run goes on;
 * a synchronous run stops waiting before that, leaving a quarter of the deadline (at most 2 s) to create the
 * run and answer, so a slow run is a 202 with its id, never a 503.
 */
export const syncWaitLimitMs = (subgraphTimeoutMs: number): number =>
  subgraphTimeoutMs - Math.min(2000, Math.floor(subgraphTimeoutMs / 4));

/**
 * Waits until the run ends, or stops at something outside (an approval, a job, input, a breakpoint), or
 * `deadline` (epoch ms) passes: a synchronous run's answer.
 */
export async function awaitRun(service: PipelineService, principal: Principal, run: RunView, deadline: number) {
  let current = run;
  for (;;) {
    if (TERMINAL.includes(current.status)) return { finished: true, run: current };
    const blocked =
      current.status === 'paused_at_breakpoint' ||
      (current.status === 'waiting' && current.nodes.every((n) => n.status !== 'running' && !n.waitUntil));
    if (blocked || Date.now() >= deadline) return { finished: false, run: current };
    await new Promise((resolve) => setTimeout(resolve, Math.min(SYNC_POLL_MS, deadline - Date.now())));
    current = (await service.getRun(principal, run.id)) as RunView;
  }
}
