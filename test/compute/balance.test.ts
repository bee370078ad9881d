/**
 * compute's reaction to billing's balance events (the durable consumer `compute.balance`, called here in a
 * transaction as the consumer machinery calls it): a depleted org's creates are 402 insufficient_balance
 * until the balance is restored; a stale redelivery cannot flip the flag back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphOrm } from '../../kernel/subgraph.ts';
import { balanceConsumer } from '../../subgraphs/compute/balance.ts';
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
      expect((await create()).status).toBe(201);
    } finally {
      await orm.close();
    }
  });
});
