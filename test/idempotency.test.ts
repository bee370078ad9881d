/**
 * Retries are safe: `Idempotency-Key` on REST creates, as Stripe honours it.
 * Same key and body → the first response replayed (`Idempotent-Replayed:
 * true`); same key, another body → 409 `idempotency_conflict`; concurrent
 * duplicates create one resource; keys are scoped to the caller and path,
 * kept 24 h in PostgreSQL, and shared by every replica.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../kernel/subgraph.ts';
import {
  closeAll,
  type Json,
  startStandaloneAdapter,
  startTestPlatform,
  type TestPlatform,
  type TestUser,
} from './harness.ts';

let platform: TestPlatform;
let user: TestUser;
let db: pg.Client;

beforeAll(async () => {
  platform = await startTestPlatform();
  user = await platform.signup('Idempotency Org');
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await closeAll();
});

const workflowsPath = () => `/v1/orgs/${user.orgId}/workflows`;
const create = (key: string | undefined, body: Json, token = user.token, path = workflowsPath()) =>
  platform.rest('POST', path, { token, body, headers: key === undefined ? {} : { 'idempotency-key': key } });

async function workflowNames(): Promise<string[]> {
  const listed = await platform.rest('GET', `${workflowsPath()}?limit=200`, { token: user.token });
  return listed.body.data.items.map((w: Json) => w.name);
}

describe('Idempotency-Key on creates', () => {
  it('replays the first response to a retry with the same key and body', async () => {
    const key = randomUUID();
    const first = await create(key, { name: 'replayed', budgetMicros: 1000 });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The same body with its keys in another order is the same request.
    const retry = await create(key, { budgetMicros: 1000, name: 'replayed' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await workflowNames()).filter((n) => n === 'replayed')).toHaveLength(1);
  });

  it('answers 409 idempotency_conflict to the same key with another body', async () => {
    const key = randomUUID();
    expect((await create(key, { name: 'conflict-a' })).status).toBe(201);
    const other = await create(key, { name: 'conflict-b' });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'idempotency_conflict', field: 'Idempotency-Key' });
    expect(await workflowNames()).not.toContain('conflict-b');
  });

  it('creates exactly one resource from 5 concurrent duplicates', async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => create(key, { name: 'concurrent' })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.data.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect((await workflowNames()).filter((n) => n === 'concurrent')).toHaveLength(1);
  });

  it('without a key, two requests create two resources', async () => {
    await create(undefined, { name: 'twice' });
    await create(undefined, { name: 'twice' });
    expect((await workflowNames()).filter((n) => n === 'twice')).toHaveLength(2);
  });

  it('scopes a key to the caller and the path', async () => {
    const key = randomUUID();
    const mine = await create(key, { name: 'scoped' });
    const other = await platform.signup('Other Idempotency Org');
    const theirs = await create(key, { name: 'scoped' }, other.token, `/v1/orgs/${other.orgId}/workflows`);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.data.id).not.toBe(mine.body.data.id);
    const apiKey = await platform.apiKey(user);
    const viaKey = await create(key, { name: 'scoped' }, apiKey.key);
    expect(viaKey.headers.get('idempotent-replayed')).toBeNull();
    expect(viaKey.body.data.id).not.toBe(mine.body.data.id);
  });

  it('keeps nothing for a request refused before it ran, so the corrected retry runs', async () => {
    const key = randomUUID();
    const invalid = await create(key, { name: 'fixed', budgetMicros: 'lots' });
    expect(invalid.status).toBe(422);
    const fixed = await create(key, { name: 'fixed', budgetMicros: 10 });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keeps a key 24 hours, then a new request with it runs again', async () => {
    const key = randomUUID();
    const first = await create(key, { name: 'expiring' });
    const row = (
      await db.query(
        'select extract(epoch from expires_at - now()) / 3600 as hours, state from edge.idempotency_keys where key = $1',
        [key],
      )
    ).rows[0];
    expect(row.state).toBe('done');
    expect(Number(row.hours)).toBeGreaterThan(23.9);
    expect(Number(row.hours)).toBeLessThanOrEqual(24);
    await db.query("update edge.idempotency_keys set expires_at = now() - interval '1 second' where key = $1", [key]);
    const later = await create(key, { name: 'expiring' });
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.data.id).not.toBe(first.body.data.id);
  });

  it('refuses a malformed key with 400 naming the header', async () => {
    for (const key of ['', 'x'.repeat(256), 'tab\there']) {
      const response = await create(key, { name: 'malformed' });
      expect(response.status, JSON.stringify(key)).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', field: 'Idempotency-Key' });
    }
    expect(await workflowNames()).not.toContain('malformed');
  });

  it('replays error outcomes too (a 409 stays a 409)', async () => {
    const key = randomUUID();
    const slug = `taken-${randomBytes(3).toString('hex')}`;
    await platform.rest('POST', '/v1/orgs', { token: user.token, body: { name: 'Taken', slug } });
    const first = await platform.rest('POST', '/v1/orgs', {
      token: user.token,
      body: { name: 'Taken again', slug },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(409);
    const retry = await platform.rest('POST', '/v1/orgs', {
      token: user.token,
      body: { name: 'Taken again', slug },
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(409);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('Idempotency-Key across replicas', () => {
  let replica: RunningService;

  beforeAll(async () => {
    // A second REST front end (the standalone adapter) on the same PostgreSQL: another replica.
    replica = await startStandaloneAdapter(platform, { sharedDatabase: true });
  });

  it('one key sent to two replicas at once creates one resource', async () => {
    const key = randomUUID();
    const body = JSON.stringify({ name: 'two-replicas' });
    const headers = {
      authorization: `Bearer ${user.token}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    };
    const sends = [platform.url, replica.url, platform.url, replica.url].map(async (base) => {
      const response = await fetch(`${base}${workflowsPath()}`, { method: 'POST', headers, body });
      return { status: response.status, body: (await response.json()) as Json };
    });
    const results = await Promise.all(sends);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.data.id)).size).toBe(1);
    expect((await workflowNames()).filter((n) => n === 'two-replicas')).toHaveLength(1);
  });
});
