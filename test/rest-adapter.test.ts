import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

let platform: TestPlatform;
let alice: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await platform.signup('Envelope Org');
  await platform.graphql(
    'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "agent", budgetMicros: 2500000 }) { id } }',
    { orgId: alice.orgId },
    { token: alice.token },
  );
});
afterAll(closeAll);

const ENVELOPE_KEYS = ['context', 'data', 'error', 'links', 'meta'];

describe('REST adapter', () => {
  it('serves the five-subgraph organization read in the envelope', async () => {
    const response = await platform.rest('GET', `/v1/organizations/${alice.orgId}`, {
      token: alice.token,
      headers: { 'x-request-id': 'req-abc.123', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(ENVELOPE_KEYS);
    expect(response.body.meta).toMatchObject({
      request_id: 'req-abc.123',
      trace_id: 'a'.repeat(32),
      status: 200,
      version: '1.0',
    });
    expect(Date.parse(response.body.meta.timestamp)).not.toBeNaN();
    expect(response.body.context).toEqual({ principal_id: alice.userId, organization_id: null, team_id: null });
    expect(response.headers.get('x-request-id')).toBe('req-abc.123');
    expect(response.headers.get('x-trace-id')).toBe('a'.repeat(32));
    expect(response.body.error).toBeNull();
    expect(response.body.data).toMatchObject({
      id: alice.orgId,
      name: 'Envelope Org',
      workflows: [{ name: 'agent', budgetMicros: 2_500_000, status: 'active' }],
      vms: [],
      balance: { availableCents: 0, currency: 'usd' },
      webhooks: [],
    });
  });

  it('maps a GraphQL error code onto the HTTP status and the envelope error', async () => {
    const mallory = await platform.signup('Mallory Org');
    const response = await platform.rest('GET', `/v1/organizations/${alice.orgId}`, { token: mallory.token });
    expect(response.status).toBe(403);
    expect(response.body.data).toBeNull();
    expect(response.body.error).toMatchObject({ code: 'org_mismatch' });
  });

  it('answers 401 without credentials and for an unknown credential', async () => {
    const anonymous = await platform.rest('GET', `/v1/organizations/${alice.orgId}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const forged = await platform.rest('GET', `/v1/organizations/${alice.orgId}`, { token: 'trs_not-a-real-session' });
    expect(forged.status).toBe(401);
  });

  it('answers enveloped 404 for unknown paths and 405 with Allow for known paths', async () => {
    const missing = await platform.rest('GET', '/v1/no/such/path', { token: alice.token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('route_not_found');
    expect(Object.keys(missing.body).sort()).toEqual(ENVELOPE_KEYS);
    const wrongMethod = await platform.rest('DELETE', `/v1/organizations/${alice.orgId}/nothing-here`, {
      token: alice.token,
    });
    expect(wrongMethod.status).toBe(404);
    const notAllowed = await platform.rest('PUT', `/v1/vms/vm_123`, { token: alice.token, body: {} });
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get('allow')).toContain('GET');
    expect(notAllowed.body.error.code).toBe('method_not_allowed');
  });

  it('answers 400 for malformed JSON and 422 naming the field for an invalid value', async () => {
    const malformed = await platform.rest('POST', `/v1/orgs/${alice.orgId}/vms/create`, {
      token: alice.token,
      rawBody: '{"name": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const invalid = await platform.rest('POST', `/v1/orgs/${alice.orgId}/vms/create`, {
      token: alice.token,
      body: { name: 'x', gpuModelId: 'h100-80gb', gpuCount: 99 },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toMatchObject({ code: 'validation_failed', field: 'gpuCount' });
  });

  it('creates with 200 (seed 003) and reads back; another org gets 404, not the object', async () => {
    const created = await platform.rest('POST', `/v1/orgs/${alice.orgId}/vms/create`, {
      token: alice.token,
      body: { name: 'trainer', gpuModelId: 'h100-80gb', gpuCount: 2 },
    });
    expect(created.status).toBe(200);
    expect(created.body.context.organization_id).toBe(alice.orgId);
    const id = created.body.data.id as string;
    const read = await platform.rest('GET', `/v1/vms/${id}`, { token: alice.token });
    expect(read.body.data).toMatchObject({ id, gpuCount: 2, status: 'pending' });
    const mallory = await platform.signup('Other Org');
    const leaked = await platform.rest('GET', `/v1/vms/${id}`, { token: mallory.token });
    expect(leaked.status).toBe(404);
    expect(leaked.body.data).toBeNull();
  });

  it('publishes a valid OpenAPI 3.1 document', async () => {
    const response = await platform.rest('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(response.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(response.body.paths['/v1/organizations/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
  });
});
