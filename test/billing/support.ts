/**
 * Billing services on a test platform's database, without HTTP: concurrency tests fire many calls
 * at once through the same services the resolvers use, each with its own EntityManager fork like a
 * request, and call the metering handler the way the durable consumer does (inside a transaction).
 */
import { randomBytes } from 'node:crypto';
import { loadConfig, type RawEnv } from '../../kernel/config.ts';
import { createOrm } from '../../kernel/database.ts';
import { newId } from '../../kernel/ids.ts';
import { createLogger } from '../../kernel/logger.ts';
import { OutboxEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { SubgraphRuntime } from '../../kernel/subgraph.ts';
import { billingServices } from '../../subgraphs/billing/index.ts';
import { post } from '../../subgraphs/billing/ledger.ts';
import { type ConsumedEvent, meterUsage } from '../../subgraphs/billing/usage.ts';
import type { TestUser } from '../harness.ts';

export async function directBilling(databaseUrl: string, env: RawEnv = {}) {
  const orm = await createOrm({
    schema: 'billing',
    url: databaseUrl,
    entities: [OutboxEvent],
    migrations: [],
    poolMax: 20,
  });
  const config = loadConfig({ NODE_ENV: 'test', ...env }, { allInOne: true });
  const runtime = { platform: { config }, orm, logger: createLogger('silent') } as unknown as SubgraphRuntime;
  const services = () => billingServices(orm.em.fork(), runtime);
  return {
    orm,
    services,
    /** Runs the metering consumer's handler for one event in its own transaction, as the consumer would. */
    meter: (event: ConsumedEvent) => orm.em.fork().transactional((tx) => meterUsage(tx, event)),
    /** Grants credits (a platform grant), for consume tests. */
    grantCredits: (orgId: string, credits: number) =>
      orm.em.fork().transactional((tx) =>
        post(tx, {
          orgId,
          idempotencyKey: `test-grant:${newId('g')}`,
          kind: 'credit_grant',
          legs: [
            { account: 'credits', amount: credits },
            { account: 'credits_issued', amount: -credits },
          ],
        }),
      ),
    query: <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
      orm.em.fork().execute(text, params) as Promise<T[]>,
    close: () => orm.close(),
  };
}

/** A usage.recorded event as the event log would deliver it. */
export function usageEvent(orgId: string, amountMicros: number, extra: Record<string, unknown> = {}): ConsumedEvent {
  const id = newId('evt');
  const end = new Date();
  return {
    id,
    orgId,
    type: 'usage.recorded',
    subject: { type: 'vm', id: 'vm_test' },
    actor: null,
    seq: 0,
    occurredAt: end.toISOString(),
    data: {
      usageId: `use_${randomBytes(6).toString('hex')}`,
      source: 'vm',
      resourceType: 'vm',
      resourceId: 'vm_test',
      quantity: 60,
      unit: 'gpu_second',
      amountMicros,
      currency: 'usd',
      gpuModelId: 'rtx-4090',
      tier: 'standard',
      gpuCount: 1,
      periodStart: new Date(end.getTime() - 60_000).toISOString(),
      periodEnd: end.toISOString(),
      ...extra,
    },
  };
}

export const ownerPrincipal = (user: TestUser, extra: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  id: user.userId,
  userId: user.userId,
  memberships: [{ orgId: user.orgId, role: 'owner' }],
  scopes: ['*'],
  ...extra,
});
