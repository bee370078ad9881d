/** The compute subgraph: the GPU cloud of seed 003 (catalog, provider nodes, scheduler, VMs, clusters) and the AI gateway's records. */
import { assetStorageOf } from '../../kernel/asset-storage.ts';
import { internalKey } from '../../kernel/internal-keys.ts';
import { type Factories, lazyObject } from '../../kernel/lazy.ts';
import type { BaseContext, SubgraphDefinition, SubgraphRuntime, Worker } from '../../kernel/subgraph.ts';
import { WorkerLoop } from '../../kernel/worker-loop.ts';
import { AccessService } from './access.ts';
import { agentResolvers } from './agents/resolvers.ts';
import { AgentService } from './agents/service.ts';
import { aiEntities } from './ai/entities.ts';
import { AiGatewayMigration } from './ai/migrations/0001_ai_gateway.ts';
import { AiRecords, startRequestLogSweeper } from './ai/records.ts';
import { aiResolvers } from './ai/resolvers.ts';
import { balanceConsumer } from './balance.ts';
import { CatalogService } from './catalog.ts';
import { ClusterService } from './clusters.ts';
import { computeEntities } from './entities.ts';
import { jobResolvers } from './jobs/resolvers.ts';
import { JobService } from './jobs/service.ts';
import { workflowStatesConsumer } from './jobs/workflow-states.ts';
import { InitialCompute } from './migrations/0001_initial.ts';
import { GpuCloud } from './migrations/0002_gpu_cloud.ts';
import { Clusters } from './migrations/0003_clusters.ts';
import { Jobs } from './migrations/0004_jobs.ts';
import { Agents } from './migrations/0005_agents.ts';
import { Pipelines } from './migrations/0006_pipelines.ts';
import { VaultAssets } from './migrations/0008_vault_assets.ts';
import { GpuCloud2 } from './migrations/0009_gpu_cloud_2.ts';
import { RunnerPools } from './migrations/0010_runner_pools.ts';
import { PipelinesEngine } from './migrations/0011_pipelines_engine.ts';
import { WebhookTriggers } from './migrations/0012_webhook_triggers.ts';
import { VmListIndex } from './migrations/0013_vm_list_index.ts';
import { PoolRunners } from './migrations/0014_pool_runners.ts';
import { SnapshotArchives } from './migrations/0015_snapshot_archives.ts';
import { JobSecrets } from './migrations/0016_job_secrets.ts';
import { NodeService } from './nodes.ts';
import { AssignmentNotifier } from './notifier.ts';
import { runApprovalsConsumer, runJobsConsumer, runKillsConsumer } from './pipelines/consumers.ts';
import { type PipelineContext, pipelineServices, pipelineWorkers } from './pipelines/index.ts';
import { pipelineResolvers } from './pipelines/resolvers.ts';
import { RunnerJobChannel } from './pool-runners.ts';
import { ProviderService } from './providers.ts';
import { QueueEngine } from './queue/engine.ts';
import { resolvers } from './resolvers.ts';
import { runnerPoolResolvers } from './runner-pool-resolvers.ts';
import { RunnerPoolService } from './runner-pools.ts';
import { agentNodeDriver } from './scheduler.ts';
import { SnapshotService } from './snapshots.ts';
import { orgDirectoryConsumer, TransferService } from './transfers.ts';
import { AssetRecords } from './vault/assets.ts';
import { vaultResolvers } from './vault/resolvers.ts';
import { VaultService } from './vault/vault.ts';
import { VmService } from './vms.ts';
import { registerComputeWorker, startComputeWorker, wakeComputeWorker } from './worker.ts';

export interface ComputeContext extends BaseContext, PipelineContext {
  catalog: CatalogService;
  vms: VmService;
  clusters: ClusterService;
  access: AccessService;
  nodes: NodeService;
  providers: ProviderService;
  snapshots: SnapshotService;
  transfers: TransferService;
  /** The AI gateway's call records, proxy settings and usage (ai/records.ts). */
  ai: AiRecords;
  /** Jobs and worker queues (jobs/service.ts) over the runtime's queue engine. */
  jobs: JobService;
  /** Agents, templates and tasks (agents/service.ts). */
  agents: AgentService;
  /** The credentials vault (vault/vault.ts); jobs and pipeline nodes receive secrets through `openForExecution`. */
  vault: VaultService;
  /** Asset metadata (vault/assets.ts); the bytes are in kernel/asset-storage.ts. */
  assets: AssetRecords;
  /** Runner pools over the job queue (runner-pools.ts). */
  runnerPools: RunnerPoolService;
  /** A pool runner's own job calls (pool-runners.ts). */
  runnerJobs: RunnerJobChannel;
}

/** One notifier per running subgraph, shared by its requests (long polls) and its worker. */
type ComputeRuntime = Pick<SubgraphRuntime, 'platform' | 'logger'> & Partial<Pick<SubgraphRuntime, 'databaseUrl'>>;

const notifiers = new WeakMap<ComputeRuntime, AssignmentNotifier>();
const engines = new WeakMap<ComputeRuntime, QueueEngine>();

/** The runtime's queue engine (pg-boss in `compute_queue`), started by the subgraph's workers. */
export function queueEngineOf(runtime: ComputeRuntime): QueueEngine {
  let engine = engines.get(runtime);
  if (!engine) {
    if (!runtime.databaseUrl) throw new Error('compute: the queue engine needs the subgraph database URL');
    engine = new QueueEngine({
      databaseUrl: runtime.databaseUrl,
      logger: runtime.logger,
      superviseIntervalSeconds: runtime.platform.config.compute.jobLeaseCheckSeconds,
    });
    engines.set(runtime, engine);
  }
  return engine;
}

function notifierOf(runtime: ComputeRuntime): AssignmentNotifier {
  let notifier = notifiers.get(runtime);
  if (!notifier) {
    notifier = new AssignmentNotifier(runtime.platform.bus, runtime.logger);
    notifiers.set(runtime, notifier);
  }
  return notifier;
}

type ComputeServices = Omit<ComputeContext, keyof BaseContext | keyof PipelineContext | 'ai'>;

/**
 * The compute services over one entity manager (a request's, or a worker's), each built when first
 * used (kernel/lazy.ts): a request reads one or two of them.
 */
export function computeServices(base: Pick<BaseContext, 'em'>, runtime: ComputeRuntime): ComputeServices {
  return lazyObject({}, computeFactories(base, runtime));
}

function computeFactories(base: Pick<BaseContext, 'em'>, runtime: ComputeRuntime): Factories<ComputeServices> {
  const { config, secretBox } = runtime.platform;
  const deps = (s: ComputeServices) => ({
    em: base.em,
    catalog: s.catalog,
    notifier: notifierOf(runtime),
    driver: agentNodeDriver,
    wakeWorker: () => wakeComputeWorker(runtime.platform),
  });
  return {
    catalog: () => new CatalogService(base.em),
    vms: (s) => new VmService(deps(s)),
    clusters: (s) => new ClusterService(base.em, s.vms),
    access: (s) =>
      new AccessService(base.em, s.vms, secretBox, {
        bot: config.compute.telegramBot,
        linkKey: internalKey(runtime.platform.internalSecret, 'telegram-link').toString('hex'),
      }),
    nodes: (s) =>
      new NodeService(deps(s), s.vms, {
        heartbeatSeconds: config.compute.heartbeatSeconds,
        box: secretBox,
        runnerTokenKey: internalKey(runtime.platform.internalSecret, 'pool-runner-token'),
      }),
    providers: () => new ProviderService(base.em, config.compute.providerAutoApprove),
    // Only runtimes with the subgraph's database (not the embedded node agent's) have jobs: built when read.
    jobs: (s) =>
      new JobService(
        base.em,
        queueEngineOf(runtime),
        s.catalog,
        (tx) => new VaultService(tx, secretBox, runtime.platform.internalSecret),
      ),
    agents: (s) => new AgentService(base.em, s.jobs),
    runnerPools: (s) => new RunnerPoolService(base.em, s.jobs, s.vms),
    runnerJobs: (s) =>
      new RunnerJobChannel(base.em, s.jobs, internalKey(runtime.platform.internalSecret, 'pool-runner-token')),
    snapshots: (s) =>
      new SnapshotService(base.em, s.vms, {
        storage: assetStorageOf(config),
        internalSecret: runtime.platform.internalSecret,
      }),
    transfers: (s) => new TransferService(base.em, s.vms),
    vault: () => new VaultService(base.em, secretBox, runtime.platform.internalSecret),
    assets: () => new AssetRecords(base.em, runtime.platform.internalSecret),
  };
}

export const compute: SubgraphDefinition<ComputeContext> = {
  name: 'compute',
  schemaFile: [
    new URL('./compute.graphql', import.meta.url),
    new URL('./jobs/jobs.graphql', import.meta.url),
    new URL('./agents/agents.graphql', import.meta.url),
    new URL('./gpu/snapshots.graphql', import.meta.url),
    new URL('./gpu/transfers.graphql', import.meta.url),
    new URL('./pipelines/pipelines.graphql', import.meta.url),
    new URL('./vault/vault.graphql', import.meta.url),
    new URL('./gpu/runner-pools.graphql', import.meta.url),
  ],
  entities: [...computeEntities, ...aiEntities],
  migrations: [
    { name: '0001_initial', class: InitialCompute },
    { name: '0002_gpu_cloud', class: GpuCloud },
    { name: '0003_clusters', class: Clusters },
    { name: '0004_jobs', class: Jobs },
    { name: '0005_agents', class: Agents },
    { name: '0006_pipelines', class: Pipelines },
    { name: '0008_vault_assets', class: VaultAssets },
    { name: '0009_gpu_cloud_2', class: GpuCloud2 },
    { name: '0010_runner_pools', class: RunnerPools },
    { name: '0011_pipelines_engine', class: PipelinesEngine },
    { name: '0012_webhook_triggers', class: WebhookTriggers },
    { name: '0013_vm_list_index', class: VmListIndex },
    { name: '0014_pool_runners', class: PoolRunners },
    { name: '0015_snapshot_archives', class: SnapshotArchives },
    { name: '0016_job_secrets', class: JobSecrets },
    { name: '0100_ai_gateway', class: AiGatewayMigration },
  ],
  resolvers: {
    ...resolvers,
    ...jobResolvers,
    ...agentResolvers,
    WorkflowRunStatus: pipelineResolvers.WorkflowRunStatus,
    Query: {
      ...resolvers.Query,
      ...aiResolvers.Query,
      ...jobResolvers.Query,
      ...agentResolvers.Query,
      ...pipelineResolvers.Query,
      ...vaultResolvers.Query,
      ...runnerPoolResolvers.Query,
    },
    Mutation: {
      ...resolvers.Mutation,
      ...aiResolvers.Mutation,
      ...jobResolvers.Mutation,
      ...agentResolvers.Mutation,
      ...pipelineResolvers.Mutation,
      ...vaultResolvers.Mutation,
      ...runnerPoolResolvers.Mutation,
    },
    AiCallContext: vaultResolvers.AiCallContext,
    RunnerPool: runnerPoolResolvers.RunnerPool,
  },
  consumers: [
    balanceConsumer,
    workflowStatesConsumer,
    orgDirectoryConsumer,
    runKillsConsumer,
    runApprovalsConsumer,
    runJobsConsumer,
  ],
  // Every service built on first use (kernel/lazy.ts); the pipeline services together (they share one PipelineService).
  context: (base, runtime) => {
    let pipelines: PipelineContext | undefined;
    const pipeline = () => {
      pipelines ??= pipelineServices(base, runtime, () => queueEngineOf(runtime));
      return pipelines;
    };
    return lazyObject<Omit<ComputeContext, keyof BaseContext>, BaseContext>(base, {
      ...computeFactories(base, runtime),
      pipelines: () => pipeline().pipelines,
      schedules: () => pipeline().schedules,
      webhookTriggers: () => pipeline().webhookTriggers,
      syncWaitLimitMs: () => pipeline().syncWaitLimitMs,
      ai: () => new AiRecords(base.em, runtime.platform.internalSecret, runtime.platform.config.ai.publicBaseUrl),
    });
  },
  workers: (runtime) => {
    const notifier = notifierOf(runtime);
    notifier.start().catch((error) => runtime.logger.warn({ err: error }, 'compute: assignment channel failed'));
    const listener: Worker = { name: 'compute-assignments', stop: () => notifier.stop() };
    const worker = startComputeWorker(
      () => computeServices({ em: runtime.orm.em.fork() as never }, runtime).vms,
      runtime.platform.config.compute,
      runtime.logger,
    );
    registerComputeWorker(runtime.platform, worker);
    return [
      listener,
      worker,
      startRequestLogSweeper(runtime.orm.em.fork(), runtime.logger),
      startJobQueue(runtime),
      ...pipelineWorkers(
        runtime,
        () => computeServices({ em: runtime.orm.em.fork() as never }, runtime).jobs,
        () => queueEngineOf(runtime),
      ),
    ];
  },
};

/**
 * Starts the queue engine and the reconciler that moves `running` jobs whose lease the engine expired
 * back to `queued` (or `failed`), with their events.
 */
function startJobQueue(runtime: SubgraphRuntime): Worker {
  const engine = queueEngineOf(runtime);
  const started = engine.start();
  started.catch((error) => runtime.logger.error({ err: error }, 'compute: the queue engine did not start'));
  const seconds = runtime.platform.config.compute.jobLeaseCheckSeconds;
  const loop = new WorkerLoop({
    name: 'compute-job-leases',
    logger: runtime.logger,
    pollMs: seconds * 1000,
    maxBackoffMs: 30_000,
    pass: async () => {
      await started;
      const jobs = computeServices({ em: runtime.orm.em.fork() as never }, runtime).jobs;
      const moved = await jobs.reconcileLeases(seconds);
      return { again: moved >= 200 };
    },
  }).start();
  return {
    name: 'compute-job-queue',
    async stop() {
      await loop.stop();
      await engine.stop();
    },
  };
}
