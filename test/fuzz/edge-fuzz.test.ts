/**
 * The edge fuzz: every operation of the live `/openapi.json` and every root
 * field of the API schema, called with hostile input — wrong types, nulls,
 * numbers JSON can't hold, huge and deeply nested values, NUL and invalid
 * Unicode, hostile path ids and query values, wrong content types, broken and
 * oversized bodies. Whatever is sent, the answer is never a 5xx; every REST
 * 4xx wears the envelope with a registry code and no GraphQL wording; every
 * GraphQL error carries a code that is not `internal`; and the process is
 * alive and within its memory afterwards.
 *
 * Routes and fields are read from the running server, so new ones are fuzzed
 * without editing this file. The seed is printed on failure; replay with
 * `TRELLIS_FUZZ_SEED=<seed>`; `TRELLIS_FUZZ_RUNS` sets the cases per operation
 * (24: about 4,500 requests).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLObjectType,
  getNamedType,
  isLeafType,
  isNonNullType,
  isRequiredArgument,
} from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { isErrorCode } from '../../kernel/errors.ts';
import type { Json } from '../harness.ts';
import {
  CONTENT_TYPES,
  graphqlValue,
  HOSTILE_PATH_SEGMENTS,
  hostile,
  hostileQueryValue,
  type JsonSchema,
  RAW_BODIES,
  schemaValue,
  toJsonText,
} from './arbitraries.ts';
import { type ChildPlatform, startChildPlatform } from './child-platform.ts';

// CI replays one fixed seed, so a red run is the code's doing and reproducible; elsewhere each run explores anew.
const SEED = Number(
  process.env.TRELLIS_FUZZ_SEED ?? (process.env.CI ? 20_261_130 : Math.floor(Math.random() * 2 ** 31)),
);
const RUNS = Number(process.env.TRELLIS_FUZZ_RUNS ?? 24);
const CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 15_000;
const MAX_RSS_BYTES = 1024 ** 3;
/** GraphQL wording that must never reach a REST client. */
const GRAPHQL_WORDING =
  /Variable "\$|of required type|is not defined by type|Expected value of type|Syntax Error|Cannot query field/;

interface OpenApiOperation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

interface Sent {
  method: string;
  target: string;
  contentType?: string;
  body?: string;
  auth: string;
}

interface Answer {
  status: number;
  body: Json;
  stream: boolean;
}

interface Failure {
  request: string;
  problem: string;
}

/** One organization with a few objects, so real ids reach past the first checks. */
interface World {
  token: string;
  key: string;
  ids: string[];
}

// The platform runs in its own process: its memory and survival are measured apart from the runner's.
let platform: ChildPlatform;
const failures: Failure[] = [];

beforeAll(async () => {
  platform = await startChildPlatform(inject('adminDatabaseUrl'), {
    TRELLIS_RATE_LIMIT_AUTH_PER_15_MINUTES: '1000000',
    TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
  });
}, 60_000);
beforeEach(() => {
  failures.length = 0;
});
afterAll(() => platform?.close());

async function graphql(query: string, variables: Record<string, unknown>, token?: string): Promise<Json> {
  const response = await fetch(`${platform.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Json;
  if (!body.data) throw new Error(`fixture failed: ${JSON.stringify(body)}`);
  return body.data;
}

async function makeWorld(): Promise<World> {
  const email = `fuzz-${randomBytes(6).toString('hex')}@example.com`;
  const { register } = await graphql('mutation($i: RegisterInput!) { register(input: $i) { token user { id } } }', {
    i: { email, password: 'correct horse battery', name: 'Fuzz' },
  });
  const { token } = register;
  const { createOrganization: org } = await graphql(
    'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
    { i: { name: 'Fuzz Org', slug: `fuzz-${randomBytes(4).toString('hex')}` } },
    token,
  );
  const created = await graphql(
    `mutation($o: ID!) {
      createApiKey(input: { orgId: $o, name: "fuzz" }) { key apiKey { id } }
      createWorkflow(orgId: $o, input: { name: "fuzz", budgetMicros: 1000000 }) { id }
      createTeam(input: { orgId: $o, name: "fuzz team" }) { id }
    }`,
    { o: org.id },
    token,
  );
  const ids = [
    org.id,
    register.user.id,
    created.createApiKey.apiKey.id,
    created.createWorkflow.id,
    created.createTeam.id,
  ];
  return { token, key: created.createApiKey.key, ids };
}

async function send(sent: Sent): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (sent.contentType) headers['content-type'] = sent.contentType;
  if (sent.auth) headers.authorization = sent.auth;
  const response = await fetch(`${platform.url}${sent.target}`, {
    method: sent.method,
    headers,
    body: sent.method === 'GET' || sent.method === 'HEAD' ? undefined : sent.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, body: undefined, stream: true };
  }
  const text = await response.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // kept as text: the assertion reports it
  }
  return { status: response.status, body, stream: false };
}

const describeSent = (s: Sent) =>
  `${s.method} ${s.target.slice(0, 200)} [${s.contentType ?? 'no content-type'}] ${(s.body ?? '').slice(0, 300)}`;

let connectionRetries = 0;
const brokenConnections = new Map<string, number>();
const describeFailure = (error: unknown) => {
  const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
  return `${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`;
};

/**
 * Sends again (twice at most, after a short pause) when the connection broke without an answer: under
 * load, a client still uploading a large body when the server has answered and moved on, or reusing a
 * keep-alive socket the server is closing, can see its socket fail. A server that really dropped the
 * request (or died) fails every time, and the liveness test after. How often it happened, and why, is
 * printed at the end.
 */
async function sendWithRetry(sent: Sent): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(sent);
    } catch (error) {
      if ((error as Error).name === 'TimeoutError' || attempt === 3) throw error;
      connectionRetries++;
      // Which request, with its body's size: what the next look at these resends starts from.
      const why = `${describeFailure(error)} on ${sent.method} ${sent.target.slice(0, 80)} [${(sent.body ?? '').length} bytes]`;
      brokenConnections.set(why, (brokenConnections.get(why) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function check(sent: Sent, judge: (answer: Answer) => string | undefined): Promise<void> {
  let problem: string | undefined;
  try {
    problem = judge(await sendWithRetry(sent));
  } catch (error) {
    problem = `no answer: ${describeFailure(error)}`;
  }
  if (problem) failures.push({ request: describeSent(sent), problem });
}

/**
 * A feature whose dependency this deployment does not configure (OAuth, Stripe) answers 503
 * `service_unavailable` (`billing_not_configured` for Stripe) by contract (docs/errors.md): the one 5xx a
 * client's input may meet.
 */
const notConfigured = (error: Json) =>
  ((error?.code === 'service_unavailable' || error?.code === 'billing_not_configured') &&
    /not configured/.test(String(error?.message))) ||
  error?.code === 'provider_unavailable'; // no model upstream in this deployment (docs/ai-gateway.md)

/** The OpenAI-compatible routes answer errors in OpenAI's shape, as their OpenAPI operation documents. */
const answersInOpenAiShape = (operation: OpenApiOperation | undefined) =>
  (operation as { responses?: Record<string, { description?: string }> } | undefined)?.responses?.['400']
    ?.description === "Error, in OpenAI's shape";

/**
 * Every REST answer: below 500; a 4xx wears the envelope (or, where the operation documents it, OpenAI's
 * error shape) with a registry code and REST wording.
 */
function judgeRest(answer: Answer, operation?: OpenApiOperation): string | undefined {
  if (answer.status === 503 && notConfigured(answer.body?.error)) return undefined;
  if (answer.status >= 500) return `status ${answer.status}: ${JSON.stringify(answer.body)?.slice(0, 300)}`;
  if (answer.status < 400 || answer.stream) return undefined;
  const error = answer.body?.error;
  // The adapter's own refusals (credentials, media type, malformed JSON) come before the route and wear the envelope.
  const shaped =
    Boolean(answer.body?.meta?.request_id) ||
    (answersInOpenAiShape(operation) && typeof error?.message === 'string' && typeof error?.type === 'string');
  if (!shaped || !error) return `${answer.status} without the envelope: ${JSON.stringify(answer.body)?.slice(0, 200)}`;
  if (!isErrorCode(error.code)) return `${answer.status} with unregistered code ${error.code}`;
  if (GRAPHQL_WORDING.test(String(error.message))) return `GraphQL wording on REST: ${error.message}`;
  return undefined;
}

/** Every GraphQL answer: below 500; every error has a registry code other than `internal`. */
function judgeGraphQL(answer: Answer): string | undefined {
  const errors: Json[] = answer.body?.errors ?? [];
  const allNotConfigured = errors.length > 0 && errors.every((e) => notConfigured({ ...e.extensions, ...e }));
  if (answer.status === 503 && allNotConfigured) return undefined;
  if (answer.status >= 500) return `status ${answer.status}: ${JSON.stringify(answer.body)?.slice(0, 300)}`;
  if (typeof answer.body !== 'object' || answer.body === null) return `non-JSON answer ${answer.status}`;
  for (const error of answer.body.errors ?? []) {
    const code = error?.extensions?.code;
    if (!isErrorCode(code) || code === 'internal') return `error code ${code}: ${error?.message}`;
  }
  return undefined;
}

async function inPool<T>(items: T[], worker: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await worker(item);
    }),
  );
}

const authFor = (world: World): fc.Arbitrary<string> =>
  fc.constantFrom(
    `Bearer ${world.token}`,
    `Bearer ${world.key}`,
    `Bearer ${world.key}`,
    '',
    'Bearer trk_live_not_a_key',
    `Basic ${'x'.repeat(5000)}`,
  );

function restRequests(method: string, path: string, operation: OpenApiOperation, world: World): fc.Arbitrary<Sent> {
  const params = operation.parameters ?? [];
  const pathArbs = Object.fromEntries(
    params
      .filter((p) => p.in === 'path')
      .map((p) => [
        p.name,
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...world.ids) },
          { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_PATH_SEGMENTS) },
          { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
        ),
      ]),
  );
  const queryArb = fc.record(
    Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, hostileQueryValue])),
    { requiredKeys: [] },
  );
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  const bodyArb = fc.oneof(
    { weight: 8, arbitrary: schemaValue(bodySchema).map(toJsonText) },
    { weight: 2, arbitrary: hostile.map(toJsonText) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
  );
  return fc
    .record({
      path: fc.record(pathArbs, { requiredKeys: Object.keys(pathArbs) }),
      query: queryArb,
      body: bodyArb,
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
      auth: authFor(world),
    })
    .map(({ path: values, query, body, contentType, auth }) => {
      const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => (values as Record<string, string>)[name] ?? '');
      const search = new URLSearchParams(query as Record<string, string>).toString();
      return { method: method.toUpperCase(), target: search ? `${filled}?${search}` : filled, contentType, body, auth };
    });
}

function graphqlRequests(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, world: World) {
  const args = field.args;
  const definitions = args.map((a, i) => `$a${i}: ${a.type}`).join(', ');
  const call = args.length ? `(${args.map((a, i) => `${a.name}: $a${i}`).join(', ')})` : '';
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  const document = `${kind} Fuzz${definitions ? `(${definitions})` : ''} { ${field.name}${call}${selection} }`;
  const idArb = fc.constantFrom(...world.ids);
  const variableArbs = Object.fromEntries(
    args.map((a, i) => [
      `a${i}`,
      getNamedType(a.type).name === 'ID'
        ? fc.oneof({ weight: 3, arbitrary: idArb }, { weight: 1, arbitrary: graphqlValue(a.type) })
        : graphqlValue(a.type),
    ]),
  );
  const required = args.flatMap((a, i) => (isRequiredArgument(a) && isNonNullType(a.type) ? [`a${i}`] : []));
  return fc
    .record({
      variables: fc.record(variableArbs, { requiredKeys: required }),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
      auth: authFor(world),
    })
    .map(
      ({ variables, contentType, auth }): Sent => ({
        method: 'POST',
        target: '/graphql',
        contentType,
        auth,
        body: toJsonText({ query: document, variables }),
      }),
    );
}

describe('edge fuzz', () => {
  it('answers every hostile REST request below 500, in the envelope with a registry code', async () => {
    const openapi = (await (await fetch(`${platform.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, OpenApiOperation>>;
    };
    const operations = Object.entries(openapi.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation], index) => ({ path, method, operation, index })),
    );
    expect(operations.length).toBeGreaterThan(50);
    await inPool(operations, async ({ path, method, operation, index }) => {
      // A fresh organization per operation: a fuzzed DELETE or logout cannot starve the others.
      const world = await makeWorld();
      const cases = fc.sample(restRequests(method, path, operation, world), { numRuns: RUNS, seed: SEED + index });
      for (const sent of cases) await check(sent, (answer) => judgeRest(answer, operation));
    });
    expect(failures, `replay with TRELLIS_FUZZ_SEED=${SEED}`).toEqual([]);
  }, 600_000);

  it('answers every hostile GraphQL operation without a 5xx or an internal error', async () => {
    const schema = buildSchema(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'));
    const roots: ['query' | 'mutation', GraphQLObjectType | null | undefined][] = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ];
    const fields = roots.flatMap(([kind, type], r) =>
      Object.values(type?.getFields() ?? {}).map((field, i) => ({ kind, field, index: r * 1000 + i })),
    );
    expect(fields.length).toBeGreaterThan(50);
    await inPool(fields, async ({ kind, field, index }) => {
      const world = await makeWorld();
      const cases = fc.sample(graphqlRequests(kind, field, world), { numRuns: RUNS, seed: SEED + index });
      for (const sent of cases) await check(sent, judgeGraphQL);
    });
    const brokenDocuments = ['{"query": ', '{"query": "{"}', `{"query": "${'{a'.repeat(10_000)}"}`, '{"query": 1}'];
    for (const body of brokenDocuments)
      await check({ method: 'POST', target: '/graphql', contentType: 'application/json', body, auth: '' }, (a) =>
        a.status >= 500 ? `status ${a.status}` : undefined,
      );
    expect(failures, `replay with TRELLIS_FUZZ_SEED=${SEED}`).toEqual([]);
  }, 600_000);

  it('is alive, responsive and within its memory afterwards', async () => {
    expect(platform.alive()).toBe(true);
    const started = performance.now();
    expect((await fetch(`${platform.url}/health/live`)).status).toBe(200);
    const world = await makeWorld();
    const me = await fetch(`${platform.url}/v1/me`, { headers: { authorization: `Bearer ${world.key}` } });
    expect(me.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5_000);
    const { rss, peak } = await platform.memory();
    console.info(
      `edge fuzz: server RSS ${(rss / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB, ` +
        `${connectionRetries} request(s) resent after a broken connection ${JSON.stringify(Object.fromEntries(brokenConnections))}`,
    );
    expect(rss).toBeLessThan(MAX_RSS_BYTES);
  });
});
