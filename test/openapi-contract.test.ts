/**
 * The published contract documents what the server accepts: /openapi.json is
 * valid OpenAPI 3.1, and each operation's documented example body, sent as
 * is to the live server, is never refused for its shape (a 404 or 403 for ids
 * that do not exist is fine). Request bodies come from the same function the
 * adapter enforces, so flat bodies are documented flat.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

let platform: TestPlatform;
let user: TestUser;
let apiKey: string;
let document: Json;

beforeAll(async () => {
  platform = await startTestPlatform();
  user = await platform.signup('Contract Org');
  apiKey = (await platform.apiKey(user)).key;
  document = (await platform.rest('GET', '/openapi.json')).body;
});
afterAll(closeAll);

interface Operation {
  method: string;
  path: string;
  operation: Json;
}

const operations = (): Operation[] =>
  Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents the flat bodies the server reads (no { input: … } wrapper)', () => {
    for (const path of [
      '/v1/orgs/{orgId}/api-keys',
      '/v1/orgs/{orgId}/api-keys/create',
      '/v1/orgs/{orgId}/invites',
      '/v1/orgs/{orgId}/members/add',
    ]) {
      const body = document.paths[path].post.requestBody.content['application/json'];
      expect(body.schema.properties.input, path).toBeUndefined();
      expect(body.example, path).not.toHaveProperty('input');
      // Filled from the path, so not a body field.
      expect(body.schema.properties.orgId, path).toBeUndefined();
    }
    expect(
      document.paths['/v1/orgs/{orgId}/members/add'].post.requestBody.content['application/json'].schema,
    ).toMatchObject({
      required: ['email', 'role'],
      additionalProperties: false,
    });
  });

  it('gives every request body an example, and documents Idempotency-Key on the POST routes with a caller', () => {
    for (const { method, path, operation } of operations()) {
      if (operation.requestBody)
        expect(operation.requestBody.content['application/json'].example, `${method} ${path}`).toBeDefined();
      const header = (operation.parameters ?? []).find((p: Json) => p.name === 'Idempotency-Key');
      const expected = method === 'POST' && !(operation.security && operation.security.length === 0);
      expect(Boolean(header), `${method} ${path}`).toBe(expected);
    }
  });

  it("accepts each operation's documented example body as is", async () => {
    const refused: string[] = [];
    let sent = 0;
    for (const { method, path, operation } of operations()) {
      const example = operation.requestBody?.content['application/json'].example;
      if (example === undefined) continue;
      const target = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'orgId' ? user.orgId : `${name}_none`));
      // SDK calls run with an API key (its organization is the call's); the rest as the owner's session.
      const signed = (operation.parameters ?? []).some((p: Json) => p.name === 'X-Signature');
      const response = await platform.rest(method, target, { token: signed ? apiKey : user.token, body: example });
      sent++;
      const error = response.body?.error;
      // A shape complaint is a 400, or a 422 listing the fields that do not fit (`details.errors`);
      // a service may still refuse a value (an unresolvable webhook host here), and 503 means "not configured".
      const shape = response.status === 400 || (response.status === 422 && error?.details?.errors);
      const failed = response.status >= 500 && error?.code !== 'service_unavailable';
      if (shape || failed)
        refused.push(`${method} ${path} ${JSON.stringify(example)} → ${response.status} ${JSON.stringify(error)}`);
    }
    expect(sent).toBeGreaterThan(30);
    expect(refused).toEqual([]);
  });
});
