/** The compute subgraph: the GPU cloud of seed 003 (catalog, provider nodes, scheduler, VMs, clusters) and the AI gateway's records. */
import { internalKey } from '../../kernel/internal-keys.ts';
import type { BaseContext, SubgraphDefinition, SubgraphRuntime, Worker } from '../../kernel/subgraph.ts';
import { AccessService } from './access.ts';
import { aiEntities } from './ai/entities.ts';
import { AiGatewayMigration } from './ai/migrations/0001_ai_gateway.ts';
import { AiRecords, startRequestLogSweeper } from './ai/records.ts';
import { aiResolvers } from './ai/resolvers.ts';
import { balanceConsumer } from './balance.ts';
import { CatalogService } from './catalog.ts';
import { ClusterService } from './clusters.ts';
import { computeEntities } from './entities.ts';
import { InitialCompute } from './migrations/0001_initial.ts';
import { GpuCloud } from './migrations/0002_gpu_cloud.ts';
import { Clusters } from './migrations/0003_clusters.ts';
import { VaultAssets } from './migrations/0008_vault_assets.ts';
import { NodeService } from './nodes.ts';
import { AssignmentNotifier } from './notifier.ts';
import { ProviderService } from './providers.ts';
import { resolvers } from './resolvers.ts';
import { agentNodeDriver } from './scheduler.ts';
import { AssetRecords } from './vault/assets.ts';
import { vaultResolvers } from './vault/resolvers.ts';
import { VaultService } from './vault/vault.ts';
import { VmService } from './vms.ts';
import { startComputeWorker } from './worker.ts';

export interface ComputeContext extends BaseContext {
  catalog: CatalogService;
  vms: VmService;
  clusters: ClusterService;
  access: AccessService;
  nodes: NodeService;
  providers: ProviderService;
  /** The AI gateway's call records, proxy settings and usage (ai/records.ts). */
  ai: AiRecords;
  /** The credentials vault (vault/vault.ts); jobs and pipeline nodes receive secrets through `openForExecution`. */
  vault: VaultService;
  /** Asset metadata (vault/assets.ts); the bytes are in kernel/asset-storage.ts. */
  assets: AssetRecords;
}

/** One notifier per running subgraph, shared by its requests (long polls) and its worker. */
type ComputeRuntime = Pick<SubgraphRuntime, 'platform' | 'logger'>;

const notifiers = new WeakMap<ComputeRuntime, AssignmentNotifier>();

function notifierOf(runtime: ComputeRuntime): AssignmentNotifier {
  let notifier = notifiers.get(runtime);
  if (!notifier) {
    notifier = new AssignmentNotifier(runtime.platform.bus, runtime.logger);
    notifiers.set(runtime, notifier);
  }
  return notifier;
}

/** The compute services over one entity manager (a request's, or a worker's). */
export function computeServices(base: Pick<BaseContext, 'em'>, runtime: ComputeRuntime) {
  const { config, secretBox } = runtime.platform;
  const catalog = new CatalogService(base.em);
  const deps = { em: base.em, catalog, notifier: notifierOf(runtime), driver: agentNodeDriver };
  const vms = new VmService(deps);
  return {
    catalog,
    vms,
    clusters: new ClusterService(base.em, vms),
    access: new AccessService(base.em, vms, secretBox, {
      bot: config.compute.telegramBot,
      linkKey: internalKey(runtime.platform.internalSecret, 'telegram-link').toString('hex'),
    }),
    nodes: new NodeService(deps, vms, { heartbeatSeconds: config.compute.heartbeatSeconds, box: secretBox }),
    providers: new ProviderService(base.em, config.compute.providerAutoApprove),
    vault: new VaultService(base.em, secretBox, runtime.platform.internalSecret),
    assets: new AssetRecords(base.em, runtime.platform.internalSecret),
  };
}

export const compute: SubgraphDefinition<ComputeContext> = {
  name: 'compute',
  schemaFile: [new URL('./compute.graphql', import.meta.url), new URL('./vault/vault.graphql', import.meta.url)],
  entities: [...computeEntities, ...aiEntities],
  migrations: [
    { name: '0001_initial', class: InitialCompute },
    { name: '0002_gpu_cloud', class: GpuCloud },
    { name: '0003_clusters', class: Clusters },
    { name: '0008_vault_assets', class: VaultAssets },
    { name: '0100_ai_gateway', class: AiGatewayMigration },
  ],
  resolvers: {
    ...resolvers,
    Query: { ...resolvers.Query, ...aiResolvers.Query, ...vaultResolvers.Query },
    Mutation: { ...resolvers.Mutation, ...aiResolvers.Mutation, ...vaultResolvers.Mutation },
    AiCallContext: vaultResolvers.AiCallContext,
  },
  consumers: [balanceConsumer],
  context: (base, runtime) => ({
    ...base,
    ...computeServices(base, runtime),
    ai: new AiRecords(base.em, runtime.platform.internalSecret, runtime.platform.config.ai.publicBaseUrl),
  }),
  workers: (runtime) => {
    const notifier = notifierOf(runtime);
    notifier.start().catch((error) => runtime.logger.warn({ err: error }, 'compute: assignment channel failed'));
    const listener: Worker = { name: 'compute-assignments', stop: () => notifier.stop() };
    const worker = startComputeWorker(
      () => computeServices({ em: runtime.orm.em.fork() as never }, runtime).vms,
      runtime.platform.config.compute,
      runtime.logger,
    );
    return [listener, worker, startRequestLogSweeper(runtime.orm.em.fork(), runtime.logger)];
  },
};
