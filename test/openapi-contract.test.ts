/**
 * The published contract documents what the server accepts and answers:
 * /openapi.json is valid OpenAPI 3.1; each operation's documented request
 * example, sent as is to the live server, is never refused for its shape (a
 * 404 or 403 for ids that do not exist is fine), and every response it gets
 * validates against the schema documented for its status — required and
 * non-null fields as the GraphQL schema says, enum values in REST spelling.
 * Request bodies come from the same function the adapter enforces, so flat
 * bodies are documented flat.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
// ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) and ajv-formats come with fastify.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../rest-adapter/routes/index.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

/** Raw HTTP handlers (streams, operator controls) answer for themselves: no stored response to replay. */
const handlerRoutes = new Set(routes.filter((r) => r.kind === 'handler').map((r) => `${r.method} ${r.path}`));

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
      const content = operation.requestBody?.content;
      // A JSON body has an example; a streamed upload documents its bytes (`format: binary`) instead.
      if (content?.['application/json']) expect(content['application/json'].example, `${method} ${path}`).toBeDefined();
      else if (content)
        expect(Object.values(content as Record<string, Json>)[0]?.schema, `${method} ${path}`).toEqual({
          type: 'string',
          format: 'binary',
        });
      const header = (operation.parameters ?? []).find((p: Json) => p.name === 'Idempotency-Key');
      const expected =
        method === 'POST' &&
        !(operation.security && operation.security.length === 0) &&
        operation['x-idempotency-key'] !== false &&
        !handlerRoutes.has(`${method} ${path}`);
      expect(Boolean(header), `${method} ${path}`).toBe(expected);
    }
  });

  it('documents every JSON success response with an example that fits its own schema', () => {
    const validate = validatorOf(document);
    const misfits: string[] = [];
    for (const { method, path, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        const content = response.content?.['application/json'];
        if (!content || !status.startsWith('2')) continue;
        expect(content.example, `${method} ${path}`).toBeDefined();
        const problems = validate(content.schema, content.example);
        if (problems) misfits.push(`${method} ${path} ${status}: ${problems}`);
      }
    }
    expect(misfits).toEqual([]);
  });

  it("sends each operation's documented request example; every answer fits the schema documented for its status", async () => {
    const validate = validatorOf(document);
    const refused: string[] = [];
    const misfits: string[] = [];
    let sent = 0;
    let validatedSuccesses = 0;
    for (const { method, path, operation } of inSafeOrder(operations())) {
      // Streams and upgrades are not request/response.
      if (!operation.responses['200']?.content?.['application/json'] && !operation.responses['204']) {
        const success = Object.keys(operation.responses).find((s) => s.startsWith('2'));
        if (!success || !operation.responses[success].content?.['application/json']) continue;
      }
      const example = operation.requestBody?.content['application/json']?.example;
      const target = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'orgId' ? user.orgId : `${name}_none`));
      // SDK calls run with an API key (its organization is the call's); the rest as the owner's session.
      const signed = (operation.parameters ?? []).some((p: Json) => p.name === 'X-Signature');
      const response = await platform.rest(method, target, {
        token: signed ? apiKey : user.token,
        ...(example !== undefined ? { body: example } : {}),
      });
      sent++;
      const error = response.body?.error;
      // A shape complaint is a 400, or a 422 listing the fields that do not fit (`details.errors`);
      // a service may still refuse a value (an unresolvable webhook host here), and 503 means "not configured".
      const shape = response.status === 400 || (response.status === 422 && error?.details?.errors);
      // 503 `provider_unavailable` / `billing_not_configured`: no AI provider / no Stripe in this test platform.
      const notConfigured =
        error?.code === 'service_unavailable' ||
        error?.code === 'provider_unavailable' ||
        error?.code === 'billing_not_configured';
      const failed = response.status >= 500 && !notConfigured;
      if (example !== undefined && (shape || failed))
        refused.push(`${method} ${path} ${JSON.stringify(example)} → ${response.status} ${JSON.stringify(error)}`);
      if (response.status >= 500 && !notConfigured)
        refused.push(`${method} ${path} → ${response.status} ${JSON.stringify(error)}`);
      const documented = operation.responses[String(response.status)];
      const content = documented && resolve(document, documented).content?.['application/json'];
      if (!content) continue;
      const problems = validate(content.schema, response.body);
      if (problems) misfits.push(`${method} ${path} → ${response.status}: ${problems}`);
      else if (response.status < 300) validatedSuccesses++;
    }
    expect(sent).toBeGreaterThan(60);
    expect(refused).toEqual([]);
    expect(misfits).toEqual([]);
    // Most reads and creates succeed with the examples and ids of the caller's own organization.
    expect(validatedSuccesses).toBeGreaterThan(30);
  }, 90_000);
});

/** Reads first, then writes, then deletes; what ends the caller's session or organization runs last. */
function inSafeOrder(list: Operation[]): Operation[] {
  const rank = ({ method, path }: Operation) => {
    if (/\/logout|^\/v1\/me$|^\/v1\/orgs\/\{orgId\}$/.test(path) && method !== 'GET' && method !== 'PATCH') return 4;
    return method === 'GET' ? 0 : method === 'DELETE' ? 2 : 1;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}

function resolve(root: Json, node: Json): Json {
  if (!node?.$ref) return node;
  return (node.$ref as string)
    .replace(/^#\//, '')
    .split('/')
    .reduce((at: Json, key) => at?.[key], root);
}

/** A JSON Schema (2020-12) check of a value, with the document's components resolvable; undefined when it fits. */
function validatorOf(root: Json): (schema: Json, value: unknown) => string | undefined {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const format of ['int32', 'int64']) ajv.addFormat(format, { type: 'number', validate: Number.isInteger });
  ajv.addSchema({ $id: 'https://trellis.invalid/openapi.json', components: root.components });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  return (schema, value) => {
    const text = JSON.stringify(schema).replaceAll(
      '"#/components/',
      '"https://trellis.invalid/openapi.json#/components/',
    );
    let check = compiled.get(text);
    if (!check) {
      check = ajv.compile(JSON.parse(text));
      compiled.set(text, check);
    }
    if (check(value)) return undefined;
    return ajv.errorsText(check.errors?.slice(0, 3));
  };
}
