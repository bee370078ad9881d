/**
 * compute's reaction to billing's balance events (the durable consumer `compute.balance`, called here in a
 * transaction as the consumer machinery calls it): a depleted org's creates are 402 insufficient_balance
 * until the balance is restored; a stale redelivery cannot flip the flag back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphOrm } from '../../kernel/subgraph.ts';
import { balanceConsumer } from '../../subgraphs/compute/balance.ts';
import { registerComputeWorker } from '../../subgraphs/compute/worker.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  user = await platform.signup('Depleted Org');
}, 60_000);
afterAll(closeAll);

const event = (type: string, occurredAt: string) => ({
  id: `evt_${type}_${occurredAt}`,
  orgId: user.orgId,
  type,
  subject: null,
  actor: null,
  data: { balanceMicros: 0, balanceCents: 0 },
  occurredAt,
  seq: 1,
});

describe('billing.balance_depleted / _restored', () => {
  it('refuses new VMs with 402 while depleted, and again accepts them once restored', async () => {
    const orm = await createSubgraphOrm(subgraphs.compute, platform.databaseUrl, 1);
    const handle = (type: string, at: string) =>
      orm.em.fork().transactional((tx) => balanceConsumer.handle(tx as never, event(type, at), {} as never));
    const create = () =>
      platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, { token: user.token, body: { name: 'x' } });
    try {
      await handle('billing.balance_depleted', '2026-11-30T10:00:00.000Z');
      const refused = await create();
      expect(refused.status).toBe(402);
      expect(refused.body.error.code).toBe('insufficient_balance');
      await handle('billing.balance_restored', '2026-11-30T10:05:00.000Z');
      // A late redelivery of the older depletion does not flip it back.
      await handle('billing.balance_depleted', '2026-11-30T10:00:00.000Z');
      expect((await create()).status).toBe(200);
    } finally {
      await orm.close();
    }
  });

  it('wakes its platform’s compute worker once the flag is committed, so a short grace is not left to the safety poll', () => {
    const wakes: string[] = [];
    const mine = {};
    registerComputeWorker(mine, { wake: () => wakes.push('mine') });
    registerComputeWorker({}, { wake: () => wakes.push('another platform') });
    balanceConsumer.afterCommit?.(event('billing.balance_depleted', '2026-11-30T10:00:00.000Z'), {
      platform: mine,
    } as never);
    expect(wakes).toEqual(['mine']);
  });

  it('stops a depleted org’s running clusters after the grace period, and refuses their restart with 402', async () => {
    const orm = await createSubgraphOrm(subgraphs.compute, platform.databaseUrl, 1);
    const handle = (type: string, at: string) =>
      orm.em.fork().transactional((tx) => balanceConsumer.handle(tx as never, event(type, at), {} as never));
    try {
      const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/clusters/create`, {
        token: user.token,
        body: { name: 'inference', replicaCount: 2 },
      });
      expect(created.status).toBe(200);
      const clusterId = created.body.data.id;
      // Depleted long before the grace period (300 s) ends: the worker stops the cluster on its next pass.
      await handle('billing.balance_depleted', '2026-11-30T10:10:00.000Z');
      const deadline = Date.now() + 20_000;
      let cluster = (await platform.rest('GET', `/v1/clusters/${clusterId}/detail`, { token: user.token })).body.data;
      while (cluster.cluster.status !== 'stopped' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        cluster = (await platform.rest('GET', `/v1/clusters/${clusterId}/detail`, { token: user.token })).body.data;
      }
      expect(cluster.cluster.status).toBe('stopped');
      expect(cluster.replicas.every((r: { status: string }) => r.status === 'terminated')).toBe(true);
      const restart = await platform.rest('POST', `/v1/clusters/${clusterId}/restart`, { token: user.token });
      expect(restart.status).toBe(402);
      expect(restart.body.error.code).toBe('insufficient_balance');
    } finally {
      await orm.close();
    }
  });
});
