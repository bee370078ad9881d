/**
 * Seed conformance: every request a seed's API reference documents, replayed
 * literally against one live platform — bodies as the seed writes them
 * (snake_case or camelCase, bare arrays), headers, seed 000's signature
 * formula — asserting the response fields that reference documents and, for
 * every answer, seed 001's envelope. The examples are data (`seed-00N.ts`);
 * within a seed they run in order and may save values for later ones.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import type { SeedExample } from './examples.ts';
import { seed000 } from './seed-000.ts';
import { seed001 } from './seed-001.ts';
import { seed002 } from './seed-002.ts';
import { seed003 } from './seed-003.ts';
import { seed004 } from './seed-004.ts';

const SEEDS: Record<string, SeedExample[]> = {
  '000': seed000,
  '001': seed001,
  '002': seed002,
  '003': seed003,
  '004': seed004,
};

let platform: TestPlatform;
let owner: TestUser;
/** Fixtures and saved values that `{name}` placeholders read. */
const world: Record<string, unknown> = {};

beforeAll(async () => {
  // Seed 003's webhook example points at a loopback host: the sandbox resolves no public names.
  platform = await startTestPlatform({ TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  const run = Date.now().toString(36);
  const orgName = `Seed Conformance ${run}`;
  owner = await platform.signup(orgName);
  const other = await platform.signup(`Someone Else ${run}`);
  const key = await platform.apiKey(owner);
  const workflow = await platform.graphql(
    'mutation($orgId: ID!, $input: CreateWorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }',
    { orgId: owner.orgId, input: { name: 'research-agent', budgetMicros: 5_000_000 } },
    { token: owner.token },
  );
  Object.assign(world, {
    run,
    orgName,
    orgId: owner.orgId,
    userId: owner.userId,
    email: owner.email,
    otherOrgId: other.orgId,
    apiKey: key.key,
    apiKeyId: key.id,
    signingSecret: key.signingSecret,
    workflowId: workflow.body.data.createWorkflow.id,
  });
});
afterAll(closeAll);

/** `{name}` → the world's value; a string that is only a placeholder keeps the value's type. */
function fill(value: unknown): unknown {
  if (typeof value === 'string') {
    const whole = /^\{(\w+)\}$/.exec(value);
    if (whole?.[1] && whole[1] in world) return world[whole[1]];
    return value.replace(/\{(\w+)\}/g, (text, name: string) => (name in world ? String(world[name]) : text));
  }
  if (Array.isArray(value)) return value.map(fill);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fill(inner)]));
  return value;
}

const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], value);

/** Seed 000's signature, as its reference writes it: hex(HMAC-SHA256(secret_key, timestamp:api_key:body_sha256)). */
function seedSignature(body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const bodySha256 = createHash('sha256').update(body).digest('hex');
  const signature = createHmac('sha256', String(world.signingSecret))
    .update(`${timestamp}:${world.apiKey}:${bodySha256}`)
    .digest('hex');
  return { 'X-API-Key': String(world.apiKey), 'X-Signature': signature, 'X-Signature-Timestamp': timestamp };
}

function credentials(example: SeedExample, body: string): Record<string, string> {
  switch (example.as) {
    case 'session':
      return { Authorization: `Bearer ${owner.token}` };
    case 'apiKey':
      return { Authorization: `Bearer ${world.apiKey}` };
    case 'apiKeyHeader':
      return { 'X-API-Key': String(world.apiKey) };
    case 'signed':
      return seedSignature(body);
    case 'none':
      return {};
  }
}

/** Seed 001's envelope: meta, context, data, error, links on every answer. */
function expectEnvelope(body: Json, status: number) {
  expect(body).toMatchObject({
    meta: { request_id: expect.any(String), trace_id: expect.any(String), timestamp: expect.any(String), status },
    links: expect.any(Object),
  });
  expect(Object.keys(body.context)).toEqual(expect.arrayContaining(['principal_id', 'organization_id', 'team_id']));
  if (status < 400) expect(body.error).toBeNull();
  else expect(body.data).toBeNull();
}

async function replay(example: SeedExample) {
  const raw = example.body === undefined ? '' : JSON.stringify(fill(example.body));
  const headers = {
    ...(raw ? { 'content-type': 'application/json' } : {}),
    ...credentials(example, raw),
    ...(fill(example.headers ?? {}) as Record<string, string>),
  };
  const response = await platform.rest(example.method, fill(example.path) as string, {
    headers,
    ...(raw ? { rawBody: raw } : {}),
  });
  const { expect: wanted } = example;
  const detail = `${example.method} ${example.path} → ${response.status} ${JSON.stringify(response.body).slice(0, 800)}`;
  expect(response.status, detail).toBe(wanted.status);
  const enveloped = wanted.envelope !== false;
  if (enveloped) expectEnvelope(response.body, wanted.status);
  if (wanted.error) expect(response.body.error?.code, detail).toBe(wanted.error);
  const root = !enveloped ? response.body : wanted.status >= 400 ? response.body.error : response.body.data;
  for (const field of wanted.fields ?? []) expect(at(root, field), `${field} in ${detail}`).toBeDefined();
  for (const [path, value] of Object.entries(wanted.values ?? {}))
    expect(at(root, path), `${path} in ${detail}`).toEqual(fill(value));
  for (const [name, path] of Object.entries(example.save ?? {})) {
    world[name] = at(root, path);
    expect(world[name], `saved ${name} from ${path} in ${detail}`).toBeDefined();
  }
}

for (const [seed, examples] of Object.entries(SEEDS))
  describe(`seed ${seed}`, () => {
    for (const example of examples) it(example.name, () => replay(example));
  });
