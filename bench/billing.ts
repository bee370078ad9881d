/**
 * The billing suite (`node bench/run.ts billing`): the ledger's write and read paths, measured at
 * the service (no HTTP), on the platform's own database after its migrations.
 *
 * - postings/s: concurrent deposits (one ledger transaction, two postings each) over 100
 *   organizations, `--connections` workers (at most 20: the pool) for `--duration` seconds;
 * - usage events metered/s: the `billing.metering` handler (usage record + debit + top-up check),
 *   each event in its own transaction as the durable consumer runs it;
 * - balance read with 1,000,000 postings in one organization (BENCH_BILLING_POSTINGS to change):
 *   the postings are seeded in bulk with SQL (triggers off for the seed only), then the balance
 *   (its running total) and the ten most recent entries are read sequentially.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createOrm } from '../kernel/database.ts';
import { newId } from '../kernel/ids.ts';
import { OutboxEvent } from '../kernel/outbox.ts';
import { LedgerService, post, reconcile } from '../subgraphs/billing/ledger.ts';
import { meterUsage } from '../subgraphs/billing/usage.ts';
import { bootPlatform, fixed, markdownTable, percentile, type Suite } from './lib.ts';

interface Timed {
  count: number;
  seconds: number;
  latencies: number[];
}

/** Runs `op` from `workers` concurrent loops for `seconds`, timing each call. */
async function drive(workers: number, seconds: number, op: (i: number) => Promise<unknown>): Promise<Timed> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const i = n++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return {
    count: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
  };
}

const row = (name: string, t: Timed) => [
  name,
  fixed(t.count / t.seconds, 0),
  fixed(percentile(t.latencies, 50), 2),
  fixed(percentile(t.latencies, 99), 2),
  t.count,
];

export const billingSuite: Suite = async (settings) => {
  const platform = await bootPlatform();
  const orm = await createOrm({
    schema: 'billing',
    url: platform.app.databaseUrl,
    entities: [OutboxEvent],
    migrations: [],
    poolMax: 20,
  });
  try {
    const workers = Math.min(settings.connections, 20);
    const orgs = Array.from({ length: 100 }, () => newId('org'));
    const orgOf = (i: number) => orgs[i % orgs.length] as string;

    const deposit = (i: number) =>
      orm.em.fork().transactional((tx) =>
        post(tx, {
          orgId: orgOf(i),
          idempotencyKey: `bench:${i}:${randomBytes(4).toString('hex')}`,
          kind: 'deposit',
          legs: [
            { account: 'prepaid', amount: 1_000_000 },
            { account: 'stripe_clearing', amount: -1_000_000 },
          ],
        }),
      );
    await drive(workers, Math.min(2, settings.warmupSeconds), deposit);
    const postings = await drive(workers, settings.durationSeconds, deposit);

    const meter = (i: number) =>
      orm.em.fork().transactional((tx) => {
        const end = new Date();
        return meterUsage(tx, {
          id: newId('evt'),
          orgId: orgOf(i),
          type: 'usage.recorded',
          subject: { type: 'vm', id: 'vm_bench' },
          actor: null,
          seq: i,
          occurredAt: end.toISOString(),
          data: {
            usageId: `use_${i}`,
            source: 'vm',
            resourceType: 'vm',
            resourceId: 'vm_bench',
            quantity: 60,
            unit: 'gpu_second',
            amountMicros: 9_833,
            currency: 'usd',
            gpuModelId: 'rtx-4090',
            tier: 'standard',
            periodStart: new Date(end.getTime() - 60_000).toISOString(),
            periodEnd: end.toISOString(),
          },
        });
      });
    const metered = await drive(workers, settings.durationSeconds, meter);
    const mismatches = await reconcile(orm.em.fork());

    // One organization with many postings: seeded in bulk (half deposits, half usage debits).
    const target = Number(process.env.BENCH_BILLING_POSTINGS ?? 1_000_000);
    const bigOrg = newId('org');
    const seedStarted = performance.now();
    await orm.em.fork().transactional(async (tx) => {
      await tx.execute("set local session_replication_role = 'replica'"); // the seed skips the per-row triggers
      await tx.execute(
        `insert into ledger_transactions (id, org_id, idempotency_key, kind, created_at)
         select 'ltx_bench_' || g, ?, 'bench-seed:' || ? || ':' || g, case when g % 2 = 0 then 'deposit' else 'usage' end,
           now() - make_interval(secs => ? - g)
         from generate_series(1, ?) g`,
        [bigOrg, bigOrg, target / 2, target / 2],
      );
      await tx.execute(
        `insert into ledger_accounts (org_id, kind, unit, balance, postings)
         values (?, 'prepaid', 'usd_micros', 0, 0), (?, 'stripe_clearing', 'usd_micros', 0, 0), (?, 'revenue', 'usd_micros', 0, 0)`,
        [bigOrg, bigOrg, bigOrg],
      );
      await tx.execute(
        `insert into ledger_postings (transaction_id, org_id, account_kind, unit, amount, balance_after, created_at)
         select 'ltx_bench_' || g, ?, leg.kind, 'usd_micros', leg.amount, 0, now() - make_interval(secs => ? - g)
         from generate_series(1, ?) g,
         lateral (values ('prepaid', case when g % 2 = 0 then 10000 else -5000 end),
                         (case when g % 2 = 0 then 'stripe_clearing' else 'revenue' end,
                          case when g % 2 = 0 then -10000 else 5000 end)) as leg(kind, amount)`,
        [bigOrg, target / 2, target / 2],
      );
      await tx.execute(
        `update ledger_accounts a set balance = s.total, postings = s.n
         from (select account_kind, sum(amount) as total, count(*) as n from ledger_postings where org_id = ?
               group by account_kind) s
         where a.org_id = ? and a.kind = s.account_kind`,
        [bigOrg, bigOrg],
      );
    });
    await orm.em.getConnection().execute('analyze ledger_postings');
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const ledger = new LedgerService(orm.em.fork());
    const reads = 2_000;
    const balanceLatencies: number[] = [];
    const recentLatencies: number[] = [];
    for (let i = 0; i < reads; i++) {
      const t0 = performance.now();
      await ledger.balance(bigOrg);
      balanceLatencies.push(performance.now() - t0);
      if (i % 4 === 0) {
        const t1 = performance.now();
        await ledger.recent(bigOrg, 10);
        recentLatencies.push(performance.now() - t1);
      }
    }
    balanceLatencies.sort((a, b) => a - b);
    recentLatencies.sort((a, b) => a - b);
    const bigMismatch = await reconcile(orm.em.fork(), bigOrg);

    const body = [
      markdownTable(
        ['case', 'per second', 'p50 ms', 'p99 ms', 'count'],
        [row('ledger postings (deposit: 1 transaction, 2 postings)', postings), row('usage events metered', metered)],
      ),
      '',
      markdownTable(
        ['read, one organization with postings', 'postings', 'p50 ms', 'p99 ms', 'reads'],
        [
          [
            'balance (running total)',
            target,
            fixed(percentile(balanceLatencies, 50), 3),
            fixed(percentile(balanceLatencies, 99), 3),
            reads,
          ],
          [
            '10 most recent entries',
            target,
            fixed(percentile(recentLatencies, 50), 3),
            fixed(percentile(recentLatencies, 99), 3),
            recentLatencies.length,
          ],
        ],
      ),
      '',
      `Notes: ${workers} concurrent workers, each call its own transaction on a pool of 20; 100 organizations. ` +
        `Seeding ${target.toLocaleString('en')} postings took ${fixed(seedSeconds, 1)} s (bulk SQL). ` +
        `Reconciliation after the run: ${mismatches.length + bigMismatch.length} mismatching accounts.`,
    ].join('\n');
    return {
      setup: [
        ...platform.setup,
        'measured at the billing services (no HTTP), on the platform database after its migrations',
      ],
      body,
    };
  } finally {
    await orm.close();
    await platform.close();
  }
};
