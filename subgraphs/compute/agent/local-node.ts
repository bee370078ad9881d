/**
 * The embedded default (`trellis start`): one local node agent per GPU model of TRELLIS_LOCAL_NODE
 * (`rtx-4090:2,a100-80gb:1`), `process` runtime, region TRELLIS_LOCAL_NODE_REGION, owned by the
 * installation's own provider organization `platform`. Each start revokes the previous start's token (its
 * nodes are gone with the process) and mints a new one, so a quickstart VM reaches `running` in seconds.
 * The agents run their own operations in this process (`controlPlane.execute`: no HTTP round trip per
 * heartbeat and poll); snapshot archives and the ingress's checks of callers' credentials go over HTTP.
 */
import path from 'node:path';
import type { Logger } from '../../../kernel/logger.ts';
import type { SubgraphRuntime } from '../../../kernel/subgraph.ts';
import { computeServices } from '../index.ts';
import { ASSIGNMENTS_CHANNEL } from '../notifier.ts';
import { rows } from '../sql.ts';
import { type AgentExecute, NodeAgent } from './agent.ts';
import { ProcessRuntime } from './runtime.ts';

export const LOCAL_PROVIDER_ORG = 'platform';
const LOCAL_TOKEN_NAME = 'embedded node';

export interface LocalNode {
  name: string;
  agents: NodeAgent[];
  close(): Promise<void>;
}

export async function startLocalNode(
  runtime: Pick<SubgraphRuntime, 'platform' | 'orm' | 'logger'>,
  controlPlane: { url: string; execute: AgentExecute },
  log: Logger,
): Promise<LocalNode> {
  const { config } = runtime.platform;
  const services = computeServices({ em: runtime.orm.em.fork() as never }, runtime);
  for (const old of await rows(
    runtime.orm.em.fork() as never,
    'select id from provisioning_tokens where org_id = ? and name = ? and revoked_at is null',
    [LOCAL_PROVIDER_ORG, LOCAL_TOKEN_NAME],
  ))
    await services.nodes.revokeToken(LOCAL_PROVIDER_ORG, String(old.id));
  await runtime.orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into provider_applications (org_id, note, status, submitted_at, decided_at)
       values (?, 'the installation''s embedded node', 'approved', now(), now()) on conflict (org_id) do nothing`,
      [LOCAL_PROVIDER_ORG],
    );
  const { token } = await services.nodes.createToken(LOCAL_PROVIDER_ORG, { name: LOCAL_TOKEN_NAME }, async () => {});
  const agents: NodeAgent[] = [];
  const dataDir = path.resolve(config.database.dataDir, 'agent');
  try {
    for (const { gpuModelId, gpuCount } of config.compute.localNode) {
      const agent = new NodeAgent({
        url: controlPlane.url,
        execute: controlPlane.execute,
        token,
        name: `local-${gpuModelId}`,
        region: config.compute.localNodeRegion,
        gpuModelId,
        gpuCount,
        runtime: new ProcessRuntime(dataDir),
        host: '127.0.0.1',
        log,
      });
      await agent.start();
      agents.push(agent);
    }
  } catch (error) {
    await Promise.allSettled(agents.map((a) => a.stop()));
    throw error;
  }
  return {
    name: 'local-node',
    agents,
    async close() {
      await Promise.allSettled(agents.map((a) => a.stop()));
      // The agents' last long polls are still parked in compute (the gateway's close waits for them):
      // wake them now rather than at the end of their wait.
      await Promise.allSettled(agents.map((a) => runtime.platform.bus.publish(ASSIGNMENTS_CHANNEL, a.nodeId)));
    },
  };
}
