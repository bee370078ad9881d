/**
 * REST errors speak REST: a missing, mistyped or unknown body field is a 422
 * `validation_failed` naming the field as the client sent it (`email`,
 * `events[2].costMicros`), with a message free of GraphQL wording, whatever
 * produced it (the adapter's own check, a subgraph's validation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type HttpResult, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

let platform: TestPlatform;
let user: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform();
  user = await platform.signup('REST Errors Org');
});
afterAll(closeAll);

/** Anything a REST client should never read: GraphQL variable syntax, type names, graphql-js phrasing. */
const GRAPHQL_WORDING =
  /Variable "\$|\$input|GraphQL|of required type|is not defined by type|cannot represent|Expected type|String!|Int!|SafeInt!|Input\b/;

function expectRestError(response: HttpResult, status: number, code: string, field?: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.code).toBe(code);
  if (field !== undefined) expect(response.body.error.field).toBe(field);
  expect(response.body.error.message).not.toMatch(GRAPHQL_WORDING);
  expect(response.body.data).toBeNull();
}

const workflows = () => `/v1/orgs/${user.orgId}/workflows`;

describe('body fields checked before anything executes', () => {
  it('a missing required field is 422 naming it', async () => {
    const response = await platform.rest('POST', workflows(), { token: user.token, body: { budgetMicros: 5 } });
    expectRestError(response, 422, 'validation_failed', 'name');
    expect(response.body.error.message).toBe('name is required');
    const register = await platform.rest('POST', '/v1/auth/register', { body: { password: 'correct horse battery' } });
    expectRestError(register, 422, 'validation_failed', 'email');
  });

  it('a body-less create is 422 naming the first required field', async () => {
    const response = await platform.rest('POST', workflows(), { token: user.token });
    expectRestError(response, 422, 'validation_failed', 'name');
  });

  it('an unknown field is 422 naming it', async () => {
    const response = await platform.rest('POST', workflows(), {
      token: user.token,
      body: { name: 'x', colour: 'red' },
    });
    expectRestError(response, 422, 'validation_failed', 'colour');
    expect(response.body.error.message).toBe('colour is not a known field');
  });

  it('a wrong type on a custom scalar is 422 with a REST message', async () => {
    // Sent as written: 9007199254740993 is past 2^53 and 1e309 parses to Infinity.
    for (const budgetMicros of ['"5"', '1.5', '9007199254740993', '1e309', 'true', '{}']) {
      const response = await platform.rest('POST', workflows(), {
        token: user.token,
        rawBody: `{"name":"x","budgetMicros":${budgetMicros}}`,
      });
      expectRestError(response, 422, 'validation_failed', 'budgetMicros');
      // Non-finite numbers are refused by the edge's JSON check, before the body meets its type.
      expect(response.body.error.message).toBe(
        budgetMicros === '1e309' ? 'budgetMicros must be a finite number' : 'budgetMicros must be a safe integer',
      );
    }
  });

  it('built-in scalars, enums, lists and objects name the field and the expected shape', async () => {
    const cases: [unknown, string, string][] = [
      [{ name: 5 }, 'name', 'name must be a string'],
      [{ name: null }, 'name', 'name must not be null'],
      [{ name: 'x', budgetPeriod: 'FORTNIGHTLY' }, 'budgetPeriod', 'budgetPeriod must be one of'],
    ];
    for (const [body, field, message] of cases) {
      const response = await platform.rest('POST', workflows(), { token: user.token, body });
      expectRestError(response, 422, 'validation_failed', field);
      expect(response.body.error.message).toContain(message);
    }
    const vm = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: user.token,
      body: { name: 'x', gpuModelId: 'h100-80gb', gpuCount: 'two' },
    });
    expectRestError(vm, 422, 'validation_failed', 'gpuCount');
    expect(vm.body.error.message).toBe('gpuCount must be an integer');
  });

  it('nested paths are body paths: list items by index', async () => {
    const response = await platform.rest('POST', '/v1/track/batch', {
      token: user.token,
      body: { events: [{ costMicros: 1 }, { costMicros: 2 }, { costMicros: 'x' }] },
    });
    expectRestError(response, 422, 'validation_failed', 'events[2].costMicros');
    const missing = await platform.rest('POST', '/v1/track/batch', {
      token: user.token,
      body: { events: [{ costMicros: 1 }, { model: 'gpt' }] },
    });
    expectRestError(missing, 422, 'validation_failed', 'events[1].costMicros');
    const notList = await platform.rest('POST', '/v1/track/batch', { token: user.token, body: { events: 'x' } });
    expectRestError(notList, 422, 'validation_failed', 'events');
    const checks = await platform.rest('POST', '/v1/authz/check-batch', {
      token: user.token,
      body: { checks: [{ orgId: user.orgId, permission: 'members:read', extra: 1 }] },
    });
    expectRestError(checks, 422, 'validation_failed', 'checks[0].extra');
  });

  it('routes whose body fields are separate variables check them the same way', async () => {
    const login = await platform.rest('POST', '/v1/auth/login', { body: { email: user.email } });
    expectRestError(login, 422, 'validation_failed', 'password');
    const extra = await platform.rest('POST', '/v1/auth/login', {
      body: { email: user.email, password: 'x', remember: true },
    });
    expectRestError(extra, 422, 'validation_failed', 'remember');
    const toggle = await platform.rest('POST', `/v1/orgs/${user.orgId}/webhooks/wh_x/toggle`, {
      token: user.token,
      body: { enabled: 'yes' },
    });
    expectRestError(toggle, 422, 'validation_failed', 'enabled');
    expect(toggle.body.error.message).toBe('enabled must be true or false');
  });

  it('fields filled from the path are not body fields', async () => {
    const response = await platform.rest('POST', `/v1/orgs/${user.orgId}/api-keys`, {
      token: user.token,
      body: { name: 'k', orgId: 'org_someone_else' },
    });
    expectRestError(response, 422, 'validation_failed', 'orgId');
  });

  it('a body that is not an object is a 400', async () => {
    const response = await platform.rest('POST', workflows(), { token: user.token, body: [1, 2] });
    expectRestError(response, 400, 'invalid_request');
  });

  it('hundreds of unknown keys cost one error, not hundreds', async () => {
    // Just under TRELLIS_MAX_JSON_KEYS (1000 per object): more is refused as 413 before any parsing.
    const body: Record<string, unknown> = { name: 'x' };
    for (let i = 0; i < 990; i++) body[`k${i}`] = i;
    const started = Date.now();
    const response = await platform.rest('POST', workflows(), { token: user.token, body });
    expect(Date.now() - started).toBeLessThan(2_000);
    expectRestError(response, 422, 'validation_failed', 'k0');
    expect(response.body.error.details.errors.length).toBeLessThanOrEqual(5);
  });
});

describe('errors from the services name body paths too', () => {
  it("a subgraph's validation error names the body field, not the variable", async () => {
    const vm = await platform.rest('POST', `/v1/orgs/${user.orgId}/vms/create`, {
      token: user.token,
      body: { name: 'x', gpuModelId: 'h100-80gb', gpuCount: 99 },
    });
    expectRestError(vm, 422, 'validation_failed', 'gpuCount');
    const register = await platform.rest('POST', '/v1/auth/register', {
      body: { email: 'not-an-email', password: 'correct horse battery' },
    });
    expectRestError(register, 422, 'validation_failed', 'email');
    const key = await platform.rest('POST', `/v1/orgs/${user.orgId}/api-keys`, {
      token: user.token,
      body: { name: '' },
    });
    expectRestError(key, 422, 'validation_failed', 'name');
  });
});

describe("a subgraph's error names the field as this client spelled it (seed 004 snake_case)", () => {
  it('api-key expiry, roll grace, register acceptances and profile fields come back in snake_case', async () => {
    const past = '2020-01-01T00:00:00Z';
    const snake = await platform.rest('POST', `/v1/orgs/${user.orgId}/api-keys`, {
      token: user.token,
      body: { name: 'late', expires_at: past },
    });
    expectRestError(snake, 422, 'validation_failed', 'expires_at');
    expect(snake.body.error.message).toBe('expires_at must be in the future');
    // The same check for a camelCase client names it in camelCase.
    const camel = await platform.rest('POST', `/v1/orgs/${user.orgId}/api-keys`, {
      token: user.token,
      body: { name: 'late', expiresAt: past },
    });
    expectRestError(camel, 422, 'validation_failed', 'expiresAt');
    expect(camel.body.error.message).toBe('expiresAt must be in the future');

    const created = await platform.rest('POST', `/v1/orgs/${user.orgId}/api-keys`, {
      token: user.token,
      body: { name: 'to roll' },
    });
    expect(created.status).toBe(201);
    const keyId = created.body.data.apiKey.id as string;
    const roll = await platform.rest('POST', `/v1/orgs/${user.orgId}/api-keys/${keyId}/roll`, {
      token: user.token,
      body: { grace_hours: 100_000 },
    });
    expectRestError(roll, 422, 'validation_failed', 'grace_hours');
    expect(roll.body.error.message).toMatch(/^grace_hours must be an integer/);

    const register = await platform.rest('POST', '/v1/auth/register', {
      body: { email: `snake-${Date.now()}@example.com`, password: 'correct horse battery', terms_accepted: false },
    });
    expectRestError(register, 422, 'validation_failed', 'terms_accepted');
    expect(register.body.error.message).toBe('terms_accepted must be true to register');

    const avatar = await platform.rest('PATCH', '/v1/me/profile', {
      token: user.token,
      body: { avatar_url: 'http://insecure.example.com/a.png' },
    });
    expectRestError(avatar, 422, 'validation_failed', 'avatar_url');
    const other = await platform.signup('Someone Else Org');
    const foreignDefault = await platform.rest('PATCH', '/v1/me/profile', {
      token: user.token,
      body: { default_organization_id: other.orgId },
    });
    expect(foreignDefault.status).toBe(403);
    expect(foreignDefault.body.error.field).toBe('default_organization_id');
  });
});
