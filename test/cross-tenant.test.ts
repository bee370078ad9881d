/**
 * The cross-tenant matrix over every subgraph: every Query/Mutation root field
 * of the API schema and every REST route, called by another organization's
 * owner (session) and by its `*` API key against org A's objects. Cases are
 * generated (test/cross-tenant/cases.ts), so a new field or route joins
 * without editing this file; one that names nothing of another org must be
 * exempted below with its reason. A path naming org A is 403 org_mismatch, A's
 * object is 404 not_found, anything else is a denial or a null; never a 5xx,
 * never A's data — and org A is left exactly as it was.
 */
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { routes } from '../rest-adapter/routes/index.ts';
import { type GraphqlCase, graphqlMatrix, type IdOf, type RestCase, restMatrix } from './cross-tenant/cases.ts';
import { buildOrgA, type Entity, type OrgA, snapshot } from './cross-tenant/fixtures.ts';
import { closeClients, connect, wsUrl } from './events/ws-client.ts';
import { type Json, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';
import { settleAndCloseAll } from './identity/support.ts';

/** Root fields that name no other organization's object: why each is safe to leave out. */
const GRAPHQL_EXEMPT: Record<string, string> = {
  'Query.me': 'the caller itself; its answer is checked for leaks below',
  'Query.verifyApiKey': "the caller's own key",
  'Query.permissionRules': 'the static role → permission table',
  'Query.invitationByToken': 'public: the invitation token is the credential',
  'Mutation.acceptInvitation': 'public: the invitation token is the credential',
  'Mutation.declineInvitation': 'public: the invitation token is the credential',
  'Mutation.register': 'public: creates a new user',
  'Mutation.login': 'public: the password is the credential',
  'Mutation.oauthRegister': 'public: the provider token is the credential',
  'Mutation.logout': "ends the caller's own session",
  'Mutation.forgotPassword': 'public: answers true for any email',
  'Mutation.resetPassword': 'public: the reset token is the credential',
  'Mutation.createOrganization': 'creates a new organization owned by the caller',
  'Mutation.bootstrapOnboarding': "creates the caller's first organization",
  'Query.gpuModels': 'the public catalog',
  'Query.locations': 'the public catalog',
  'Query.vmTemplates': 'the public catalog',
  'Query.pricing': 'the public catalog',
  'Query.gpuAvailability': 'the public catalog (free GPUs by model and region, no node or org named)',
  'Mutation.upsertGpuModel': 'platform administrators only: the catalog',
  'Mutation.setGpuPrice': 'platform administrators only: the catalog',
  'Mutation.upsertLocation': 'platform administrators only: the catalog',
  'Mutation.upsertVmTemplate': 'platform administrators only: the catalog',
  'Mutation.agentRegister': 'public: the provisioning token is the credential',
  'Mutation.runnerClaimJob':
    "public: a pool runner's token is the credential, bound to its runner and its pool's queue (test/compute/pool-runners.test.ts)",
  'Mutation.runnerHeartbeatJob':
    "public: a pool runner's token is the credential; a job of another queue is not_found (compute/pool-runners.ts)",
  'Mutation.runnerFinishJob':
    "public: a pool runner's token is the credential; a job of another queue is not_found (compute/pool-runners.ts)",
  'Query.billingTiers': 'public: the static plan catalog',
  'Query.billingPricing': 'public: the static plan catalog',
  'Mutation.receiveStripeWebhook': 'public: the Stripe signature over the payload is the credential',
  'Mutation.receiveWorkflowWebhook':
    'public: the Standard Webhooks signature over the payload is the credential (test/compute/pipelines-webhooks.test.ts)',
  'Mutation.removePaymentMethod':
    "needs Stripe (503 billing_not_configured here); a card of another organization's Stripe customer is not_found (test/billing/stripe.test.ts)",
  'Mutation.signUp': 'public: creates a new user and organization',
  'Mutation.refreshSession': 'public: the refresh token is the credential',
  'Mutation.deleteMe': "erases the caller's own account",
  'Query.myDataExport': "the caller's own data; checked for leaks below",
  'Query.transferTargetOrgs': "the caller's own memberships (ids, names and its role in each)",
  'Query.users': 'platform administrators only (test/identity/accounts-seed004.test.ts: 403 for anyone else)',
};

/** Credentialed routes that name no other organization's object (public routes need no credentials at all). */
const REST_EXEMPT: Record<string, string> = {
  'GET /v1/me': 'the caller itself; checked for leaks below',
  'GET /v1/me/organizations': "the caller's own memberships; checked for leaks below",
  'GET /v1/me/teams': "the caller's own teams; checked for leaks below",
  'GET /v1/me/permissions': "the caller's own permissions; checked for leaks below",
  'GET /v1/me/export': "the caller's own data (a person's: an API key is 403); checked for leaks below",
  'POST /v1/orgs': 'creates a new organization owned by the caller',
  'POST /v1/organizations': 'creates a new organization owned by the caller',
  'POST /v1/onboarding/bootstrap': "creates the caller's first organization",
  'GET /v1/gpu-models': 'the public catalog',
  'GET /v1/gpu-availability': 'the public catalog',
  'GET /v1/pricing': 'the public catalog',
  'GET /v1/locations': 'the public catalog',
  'GET /v1/vm-templates': 'the public catalog',
  'DELETE /v1/orgs/{orgId}/billing/payment-methods/{paymentMethodId}':
    "needs Stripe (503 billing_not_configured here); another organization's card is not_found (test/billing/stripe.test.ts)",
  'POST /v1/auth/logout': "ends the caller's own session",
  'DELETE /v1/me': "erases the caller's own account",
  'GET /v1/transfers/target-orgs': "the caller's own memberships (ids, names and its role in each)",
  'GET /v1/users': 'platform administrators only (test/identity/rest-accounts.test.ts: 403 for anyone else)',
};

/** Handler routes that are WebSockets: a plain GET is refused; the socket case connects with `?orgId=` of A. */
const SOCKETS = ['GET /v1/events/ws'];

/** Each matrix test sends every case of every route in turn: hundreds of requests, longer than one test's default. */
const MATRIX_TIMEOUT_MS = 180_000;

const DENIED = new Set(['org_mismatch', 'not_found', 'forbidden', 'insufficient_scope']);
/** Refusals of the credential itself, as opposed to "this object is not yours". */
const REFUSED = new Set(['forbidden', 'insufficient_scope']);

let platform: TestPlatform;
let a: OrgA;
let mallory: TestUser;
let malloryKey: string;
let before: Json;

const schema = buildSchema(readFileSync(new URL('../schema/api.graphql', import.meta.url), 'utf8'));
/**
 * Cases are generated before the fixtures exist, with placeholders bound at call time: foreign cases
 * name A's objects, "own org" cases the caller's own organization with A's other objects.
 */
const placeholder: IdOf = (entity, variant) =>
  entity === 'org' && variant === 'own org' ? '__own__' : `__${entity}__`;
const graphql = graphqlMatrix(schema, placeholder);
const rest = restMatrix(routes, schema, placeholder);

/** Binds placeholders to A's ids (or, `absent`, to well-formed ids that exist nowhere). */
function bind(text: string, absent = false): string {
  return text.replace(/__([a-zA-Z]+)__/g, (_, name: string) => {
    if (name === 'own') return mallory.orgId;
    const id = a.ids[name as Entity];
    return absent ? `${id.slice(0, -6)}ZZZZZZ` : id;
  });
}

beforeAll(async () => {
  platform = await startTestPlatform({
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    // A's fixture node has no agent behind it: it must not be declared lost (and alert A) mid-matrix.
    TRELLIS_NODE_LOST_SECONDS: '86400',
  });
  a = await buildOrgA(platform);
  mallory = await platform.signup('Mallory Org');
  malloryKey = (await platform.apiKey(mallory)).key;
  before = await snapshot(platform, a);
}, 120_000);
afterAll(async () => {
  await closeClients();
  await settleAndCloseAll(platform);
});

/** Secrets of A anywhere in an answer, and A's object ids in its data other than those the request named. */
function leaks(body: unknown, data: unknown, request: string): string[] {
  const text = JSON.stringify(body) ?? '';
  const dataText = JSON.stringify(data ?? null);
  return [
    ...a.secrets.filter((s) => text.includes(s)),
    ...Object.values(a.ids).filter((id) => dataText.includes(`"${id}"`) && !request.includes(id)),
  ];
}

const credentials = ['session', 'api key'] as const;
const tokenOf = (credential: (typeof credentials)[number]) => (credential === 'session' ? mallory.token : malloryKey);

interface Answer {
  status: number;
  /** The error code, `undefined` on success. */
  code?: string;
  /** The root field's value, or the REST envelope's data. */
  data: unknown;
  body: Json;
  /** What was sent, to tell A's ids the caller named from ids the answer revealed. */
  request: string;
}

const outcome = (answer: Answer) => `${answer.status} ${answer.code ?? 'ok'}`;
const denied = (answer: Answer) => !!answer.code && DENIED.has(answer.code) && answer.data === null;

/** An outcome a case must have exactly. */
interface Strict {
  expected: string;
  ok(answer: Answer): boolean;
}
const exactly = (expected: string): Strict => ({ expected, ok: (answer) => outcome(answer) === expected });
const DENIAL: Strict = { expected: 'a denial', ok: denied };

/**
 * The rules every answer follows. Naming A's organization (a root argument, a path) is a 403
 * org_mismatch over REST and a denial over GraphQL; A's object in a path is 404 not_found. Anything
 * else is a denial or a null, or exactly what the same call naming objects that exist nowhere gets
 * (an "own org" filter by A's workflow finds nothing, a batch reports its items) — never a 5xx.
 */
async function verdict(answer: Answer, strict: Strict | undefined, absent: () => Promise<Answer>) {
  if (answer.status >= 500 || answer.code === 'internal') return 'server error';
  if (strict) return strict.ok(answer) ? undefined : `expected ${strict.expected}`;
  if (denied(answer)) return undefined;
  if (!answer.code && answer.data === null && answer.status < 300) return undefined;
  const probe = await absent();
  return outcome(probe) === outcome(answer) ? undefined : `differs from a nonexistent object's ${outcome(probe)}`;
}

async function subscribeOnce(c: GraphqlCase, variables: Record<string, unknown>, token: string): Promise<Answer> {
  const client = connect(platform.url, { authorization: token });
  const stream = client.subscribe(c.query, variables);
  // A denial normally arrives within milliseconds; the window is wide because the first subscription of a
  // process also builds the payload gateway (gateway/subscriptions.ts), which takes seconds on a loaded machine.
  const deadline = Date.now() + 3_000;
  while (!stream.errors.length && !stream.messages.length && !stream.completed && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  stream.dispose();
  await client.dispose();
  const request = JSON.stringify(variables);
  const error = stream.errors[0] as Json;
  if (error) {
    const code = Array.isArray(error) ? error[0]?.extensions?.code : `closed ${error.code}`;
    return { status: 200, code, data: null, body: error, request };
  }
  // Still open without a message: nothing of anyone's was sent.
  const message = (stream.messages[0] ?? { data: null }) as Json;
  return {
    status: 200,
    code: message.errors?.[0]?.extensions?.code,
    data: message.data?.[c.field] ?? null,
    body: message,
    request,
  };
}

async function callGraphql(c: GraphqlCase, token: string, absent = false): Promise<Answer> {
  const variables = JSON.parse(bind(JSON.stringify(c.variables), absent));
  if (c.kind === 'subscription') return subscribeOnce(c, variables, token);
  const result = await platform.graphql(c.query, variables, { token });
  return {
    status: result.status,
    code: result.body?.errors?.[0]?.extensions?.code,
    data: result.body?.data?.[c.field] ?? null,
    body: result.body,
    request: JSON.stringify(variables),
  };
}

async function callRest(c: RestCase, token: string, absent = false): Promise<Answer> {
  const path = bind(c.path, absent);
  const body = c.body === undefined ? undefined : bind(JSON.stringify(c.body), absent);
  const response = await fetch(`${platform.url}${path}`, {
    method: c.method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body,
    signal: AbortSignal.timeout(5_000),
  });
  let text = 'stream opened';
  // A stream that opened would never end: its status is the answer.
  if (response.headers.get('content-type')?.includes('text/event-stream')) await response.body?.cancel();
  else text = await response.text();
  let parsed: Json = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the verdict reports it
  }
  const code = parsed?.error?.code ?? (response.status >= 300 ? 'no envelope' : undefined);
  return { status: response.status, code, data: parsed?.data ?? null, body: parsed, request: `${path} ${body}` };
}

/** The outcome a REST case must have exactly, if any. */
function restStrict(c: RestCase, answer: Answer): Strict | undefined {
  if (c.orgInPath) return exactly('403 org_mismatch');
  // A key may be refused a route outright: the same refusal for any object reveals nothing.
  if (c.objectInPath) return answer.code && REFUSED.has(answer.code) ? undefined : exactly('404 not_found');
  return undefined;
}

describe('cross-tenant matrix', () => {
  it('covers every root field, or exempts it with a reason', () => {
    const uncovered = [...graphql].filter(([field, cases]) => cases.length === 0 && !(field in GRAPHQL_EXEMPT));
    expect(uncovered.map(([field]) => field)).toEqual([]);
    const stale = Object.keys(GRAPHQL_EXEMPT).filter((field) => (graphql.get(field)?.length ?? 1) > 0);
    expect(stale, 'exempt but unknown or covered').toEqual([]);
  });

  it('covers every credentialed REST route, or exempts it with a reason', () => {
    const uncovered = [...rest].filter(([route, cases]) => cases.length === 0 && !(route in REST_EXEMPT));
    expect(uncovered.map(([route]) => route)).toEqual([]);
    const stale = Object.keys(REST_EXEMPT).filter((route) => (rest.get(route)?.length ?? 1) > 0);
    expect(stale, 'exempt but unknown or covered').toEqual([]);
    expect(SOCKETS.filter((route) => !rest.has(route))).toEqual([]);
  });

  for (const credential of credentials)
    it(
      `GraphQL, another organization's ${credential}: every root field is denied or null, never A's data`,
      async () => {
        const token = tokenOf(credential);
        const failures: string[] = [];
        for (const c of [...graphql.values()].flat()) {
          const answer = await callGraphql(c, token);
          const label = `${c.field} (${c.variant}) ${JSON.stringify(c.variables)}`;
          const failed = await verdict(answer, c.namesOrg ? DENIAL : undefined, () => callGraphql(c, token, true));
          if (failed) failures.push(`${label}: ${failed}: ${JSON.stringify(answer.body).slice(0, 300)}`);
          const leaked = leaks(answer.body, answer.data, answer.request);
          if (leaked.length) failures.push(`${label}: leaked ${leaked.join(', ')}`);
        }
        expect(failures).toEqual([]);
      },
      MATRIX_TIMEOUT_MS,
    );

  for (const credential of credentials)
    it(
      `REST, another organization's ${credential}: A's org is 403, A's object 404, never A's data`,
      async () => {
        const token = tokenOf(credential);
        const failures: string[] = [];
        for (const c of [...rest].flatMap(([route, cases]) => (SOCKETS.includes(route) ? [] : cases))) {
          const answer = await callRest(c, token);
          const label = `${c.method} ${c.path} (${c.variant})`;
          const failed = await verdict(answer, restStrict(c, answer), () => callRest(c, token, true));
          if (failed)
            failures.push(`${label}: ${failed}: ${JSON.stringify(answer.body?.error ?? answer.body).slice(0, 300)}`);
          const leaked = leaks(answer.body, answer.data, answer.request);
          if (leaked.length) failures.push(`${label}: leaked ${leaked.join(', ')}`);
        }
        expect(failures).toEqual([]);
      },
      MATRIX_TIMEOUT_MS,
    );

  for (const credential of credentials)
    it(`WebSocket routes, another organization's ${credential}: A's org is refused with org_mismatch`, async () => {
      for (const route of SOCKETS)
        for (const c of rest.get(route) ?? []) {
          const socket = new WebSocket(wsUrl(platform.url, bind(c.path)), {
            headers: { authorization: `Bearer ${tokenOf(credential)}` },
          });
          const frames: Json[] = [];
          socket.on('message', (data) => frames.push(JSON.parse(String(data))));
          const code = await new Promise((resolve) => socket.on('close', (closeCode) => resolve(closeCode)));
          expect(code).toBe(4403);
          expect(frames).toEqual([expect.objectContaining({ type: 'error', code: 'org_mismatch' })]);
        }
    });

  for (const credential of credentials)
    it(`what the ${credential} reads about itself holds nothing of A's`, async () => {
      const token = tokenOf(credential);
      const me = await platform.graphql(
        '{ me { organizations { id name } memberships { organizationId } teams { name } permissions { organizationId } } }',
        {},
        { token },
      );
      expect(leaks(me.body, me.body, '')).toEqual([]);
      for (const path of Object.keys(REST_EXEMPT).filter((r) => r.startsWith('GET /v1/me'))) {
        const response = await platform.rest('GET', path.slice(4), { token });
        // The export is a person's: an API key is refused outright.
        const personal = path === 'GET /v1/me/export' && credential === 'api key';
        expect(response.status, path).toBe(personal ? 403 : 200);
        expect(leaks(response.body, response.body, '')).toEqual([]);
      }
    });

  it('left org A exactly as it was', async () => {
    expect(await snapshot(platform, a)).toEqual(before);
  });
});
