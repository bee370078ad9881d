/**
 * The VM list (`GET /v1/orgs/{orgId}/vms`) with many cluster replicas in the same organization: the pages
 * hold only VMs, newest first, each exactly once (keyset cursor); and the list's query reads only the rows
 * it returns — its plan uses the partial index `vms_org_list` (migration 0013) and filters nothing away, so
 * replicas cost a page nothing. Fails if the index is dropped or the query stops matching it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmListSql } from '../../subgraphs/compute/vms.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let user: TestUser;
let db: pg.Client;
const VMS = 120;
const REPLICAS = 3_000;

const seedSql = (prefix: string, count: number, clusterId: string | null) =>
  `insert into compute.vms (id, org_id, name, status, gpu_model_id, gpu_count, tier, container_port, env_vars,
     disk_size_gb, preferred_regions, allow_fallback, public, privileged, kernel_modules, price_cents_per_hour,
     created_at, updated_at, cluster_id)
   select '${prefix}' || lpad(g::text, 6, '0'), $1, 'n-' || g, 'stopped', 'rtx-4090', 1, 'community', 8080,
     '{}'::jsonb, 50, '{}'::text[], true, false, false, '[]'::jsonb, 59, now(), now(), ${clusterId ? `'${clusterId}'` : 'null'}
   from generate_series(1, ${count}) g`;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  user = await platform.signup('List Org');
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  // The replicas' ids sort above the VMs' (newer), the worst case for an index that holds them too.
  await db.query(seedSql('vm_a_list', VMS, null), [user.orgId]);
  await db.query(seedSql('vm_z_replica', REPLICAS, 'clu_list_bench'), [user.orgId]);
  await db.query('analyze compute.vms');
}, 60_000);
afterAll(async () => {
  await db?.end();
  await closeAll();
});

describe('VM list with cluster replicas in the org', () => {
  it('pages only the VMs, newest first, each once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/orgs/${user.orgId}/vms?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await platform.rest('GET', query, { token: user.token });
      expect(page.status, JSON.stringify(page.body.error)).toBe(200);
      seen.push(...page.body.data.items.map((vm: { id: string }) => vm.id));
      cursor = page.body.data.nextCursor ?? null;
    } while (cursor);
    expect(seen).toHaveLength(VMS);
    expect(new Set(seen).size).toBe(VMS);
    expect(seen.every((id) => id.startsWith('vm_a_list'))).toBe(true);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('reads only the rows of the page (partial index vms_org_list, nothing filtered away)', async () => {
    const toPg = (sql: string) => {
      let n = 0;
      return sql.replace(/\?/g, () => `$${++n}`);
    };
    await db.query('set search_path to compute');
    const planOf = async (sql: string, params: unknown[]) =>
      JSON.stringify((await db.query(`explain (analyze, format json) ${toPg(sql)}`, params)).rows[0]['QUERY PLAN']);
    const removed = (plan: string) => [...plan.matchAll(/"Rows Removed by Filter":(\d+)/g)].map((m) => Number(m[1]));
    // First page: the 3,000 newer replicas would be read and filtered away without the partial index.
    const first = await planOf(vmListSql(false), [user.orgId, 51]);
    expect(first).toContain('"Index Name":"vms_org_list"');
    expect(removed(first).every((n) => n === 0)).toBe(true);
    expect(first).toContain('"Actual Rows":51');
    // A later page (keyset): still only the page's rows.
    const later = await planOf(vmListSql(true), [user.orgId, 'vm_a_list000100', 51]);
    expect(removed(later).every((n) => n === 0)).toBe(true);
  });
});
