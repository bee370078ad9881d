/**
 * Generates the OpenAPI 3.1 document from the route table and the API schema:
 * parameters and request bodies from the same request shape the adapter
 * enforces (`request-shape.ts`), each body with an example built from its
 * input type, response `data` from the operation's selection set.
 * `npm run openapi` writes it to `schema/openapi.json`; CI fails when it is stale.
 */
import {
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { errorRegistry } from '../kernel/errors.ts';
import { MAX_PAGE_SIZE } from '../kernel/pagination.ts';
import { fastifyPath, isIdempotent } from './adapter.ts';
import { API_VERSION } from './envelope.ts';
import { fragmentDefinitionsOf } from './fragments.ts';
import { nodeAt, outputTree, responseSchema, SCALAR_SCHEMAS } from './output.ts';
import { type BodyRules, clientMustSend, pathParamsOf, type RequestShape, requestShape } from './request-shape.ts';
import { routeOperation } from './route-operation.ts';
import type { OperationRoute, Route } from './route-table.ts';

type JsonSchema = Record<string, unknown>;

const SCALARS = SCALAR_SCHEMAS;

const NO_RULES: BodyRules = { fill: {}, aliases: {}, ignore: new Set() };

/** An input type as JSON Schema, under the route's body rules (filled fields, aliases, ignored extras). */
function inputSchema(type: GraphQLInputType, rules: BodyRules = NO_RULES, seen = new Set<string>()): JsonSchema {
  if (isNonNullType(type)) return inputSchema(type.ofType, rules, seen);
  if (isListType(type)) return { type: 'array', items: inputSchema(type.ofType as GraphQLInputType, rules, seen) };
  if (isScalarType(type)) return SCALARS[type.name] ?? {};
  // REST spells enum values in lowercase (either case is accepted).
  if (isEnumType(type)) return { type: 'string', enum: type.getValues().map((v) => v.name.toLowerCase()) };
  if (isInputObjectType(type)) return objectSchema(type, rules, seen);
  return {};
}

const SNAKE_CASE_NOTE = 'Every field may also be spelt in snake_case (`expires_at` for `expiresAt`).';

function objectSchema(type: GraphQLInputObjectType, rules: BodyRules, seen: Set<string>): JsonSchema {
  if (seen.has(type.name)) return { type: 'object' };
  const inner = new Set(seen).add(type.name);
  const fields = Object.values(type.getFields()).filter((f) => rules.fill[f.name] !== 'path');
  const properties: Record<string, JsonSchema> = {};
  for (const f of fields) {
    const notes = [
      f.description,
      rules.fill[f.name] === 'callerOrg' ? "Defaults to the calling API key's organization." : undefined,
    ].filter(Boolean);
    properties[f.name] = {
      ...inputSchema(f.type, rules, inner),
      ...(notes.length ? { description: notes.join(' ') } : {}),
    };
  }
  for (const [alias, canonical] of Object.entries(rules.aliases))
    if (properties[canonical] && !properties[alias])
      properties[alias] = { ...properties[canonical], description: `Same as \`${canonical}\` (send one of the two).` };
  for (const name of rules.ignore) properties[name] ??= { description: 'Accepted and ignored.' };
  const description = [type.description, SNAKE_CASE_NOTE].filter(Boolean).join(' ');
  return {
    type: 'object',
    description,
    properties,
    required: fields
      .filter((f) => clientMustSend(f.name, f.type, f.defaultValue !== undefined, rules))
      .map((f) => f.name),
    additionalProperties: false,
  };
}

/** Example values by scalar, and for strings by what the field's name says it holds. */
const SCALAR_EXAMPLES: Record<string, unknown> = {
  ID: 'id_example',
  String: 'example',
  Int: 1,
  SafeInt: 1000,
  Float: 1.5,
  Boolean: true,
  DateTime: '2030-01-01T00:00:00Z',
  JSON: {},
};
const STRING_EXAMPLES: [RegExp, string][] = [
  [/email$/i, 'ada@example.com'],
  [/password$/i, 'correct horse battery staple'],
  [/url$/i, 'https://example.com/hooks/trellis'],
  [/permission$/i, 'members:read'],
  // Alert channels: the first kind is EMAIL, whose target is an address.
  [/target$/i, 'ops@example.com'],
];

/**
 * A body a client may send as is: every field it must send (and the
 * organization, which only API keys may leave out), with a valid value of its
 * type — documented with the operation, and sent by a test.
 */
export function exampleOf(type: GraphQLInputType, rules: BodyRules, name = '', seen = new Set<string>()): unknown {
  if (isNonNullType(type)) return exampleOf(type.ofType, rules, name, seen);
  if (isListType(type)) return [exampleOf(type.ofType as GraphQLInputType, rules, name, seen)];
  if (isEnumType(type)) return type.getValues()[0]?.name.toLowerCase();
  if (isInputObjectType(type)) {
    if (seen.has(type.name)) return {};
    const inner = new Set(seen).add(type.name);
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter(
          (f) =>
            clientMustSend(f.name, f.type, f.defaultValue !== undefined, rules) || rules.fill[f.name] === 'callerOrg',
        )
        .map((f) => [f.name, exampleOf(f.type, rules, f.name, inner)]),
    );
  }
  if (isScalarType(type) && type.name === 'String')
    return STRING_EXAMPLES.find(([pattern]) => pattern.test(name))?.[1] ?? SCALAR_EXAMPLES.String;
  return isScalarType(type) ? (SCALAR_EXAMPLES[type.name] ?? 'example') : null;
}

/** The request body as the adapter reads it, with an example; undefined when the route reads none. */
function requestBodyOf(shape: RequestShape): JsonSchema | undefined {
  const body = shape.body;
  if (!body) return undefined;
  const object = inputSchema(body.type, shape.rules);
  const properties = object.properties as Record<string, JsonSchema>;
  if (Object.keys(properties).length === 0) return undefined;
  const array = shape.rules.arrayBody ? properties[shape.rules.arrayBody] : undefined;
  // A route with `arrayBody` also reads a bare array as that field (`/v1/track/batch`: `[…]` for `{ "events": […] }`).
  const schema = array
    ? { oneOf: [object, { ...array, description: `Same as { "${shape.rules.arrayBody}": […] }.` }] }
    : object;
  return {
    required: body.required,
    content: { 'application/json': { schema, example: exampleOf(body.type, shape.rules) } },
  };
}

/** The schema of a route's `data`, from the same response tree the adapter answers with (`output.ts`). */
export function responseDataSchema(schema: GraphQLSchema, route: OperationRoute): JsonSchema {
  if (typeof route.result === 'function') return {};
  const { operation, ast, resultPath } = routeOperation(route, schema);
  const node = nodeAt(outputTree(schema, operation, fragmentDefinitionsOf(ast)), resultPath);
  // A GET that finds nothing is a 404, so a success always carries data.
  return node ? responseSchema(node, route.method === 'GET') : {};
}

/** A value that fits a (response) JSON Schema: every property, the first enum value, one list item. */
export function exampleFromSchema(schema: JsonSchema, name = '', depth = 0): unknown {
  if (depth > 12) return null;
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) {
    const present = alternatives.find((a) => a.type !== 'null') ?? alternatives[0] ?? {};
    return exampleFromSchema(present, name, depth);
  }
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, exampleFromSchema(value, key, depth + 1)]),
      );
    }
    case 'array':
      return [exampleFromSchema((schema.items ?? {}) as JsonSchema, name, depth + 1)];
    case 'integer':
      return schema.format === 'int64' ? 1000 : 1;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date-time') return '2030-01-01T00:00:00Z';
      if (/id$/i.test(name)) return `${name.replace(/Id$/, '').toLowerCase() || 'id'}_example`;
      return STRING_EXAMPLES.find(([pattern]) => pattern.test(name))?.[1] ?? 'example';
    default:
      return {};
  }
}

/** An id as Trellis spells them (`orgId` → `org_example`), for the request example of a path. */
const PATH_PREFIXES: Record<string, string> = { orgId: 'org', workflowId: 'wf', userId: 'usr' };
const pathExample = (name: string): string =>
  `${PATH_PREFIXES[name] ?? (name.replace(/Id$/, '').toLowerCase() || 'id')}_example`;

/** A whole success response, in the envelope. */
function envelopeExample(path: string, status: number, data: JsonSchema): unknown {
  return {
    meta: {
      request_id: '6f1c2a4e-8d3b-4c1a-9e57-2b8f0d4c7a91',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      timestamp: '2030-01-01T00:00:00.000Z',
      status,
      version: API_VERSION,
    },
    context: { principal_id: 'usr_example', organization_id: 'org_example', team_id: null },
    data: Object.keys(data).length ? exampleFromSchema(data) : null,
    error: null,
    links: { self: path },
  };
}

function envelopeOf(data: JsonSchema): JsonSchema {
  return {
    allOf: [{ $ref: '#/components/schemas/Envelope' }, { type: 'object', properties: { data } }],
  };
}

const ERROR_STATUSES = [400, 401, 403, 404, 409, 422, 429, 503];

/** OpenAI's error body, answered by the OpenAI-compatible routes (docs/ai-gateway.md); `code` is a registry code. */
const OPENAI_ERROR_RESPONSE = {
  description: "Error, in OpenAI's shape",
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['message', 'type', 'code'],
            properties: {
              message: { type: 'string' },
              type: { type: 'string' },
              param: { type: ['string', 'null'] },
              code: { type: 'string' },
              details: { type: 'object' },
            },
          },
        },
      },
    },
  },
};

export function buildOpenApi(routes: Route[], schema: GraphQLSchema): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const pathParams = pathParamsOf(route.path);
    const parameters: JsonSchema[] = [];
    let requestBody: JsonSchema | undefined;
    let dataSchema: JsonSchema = {};
    let operationId = `${route.method.toLowerCase()}${fastifyPath(route.path).replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string = '') => c.toUpperCase())}`;
    if (route.kind !== 'handler') {
      operationId = routeOperation(route, schema).operationName || operationId;
      const shape = requestShape(route, schema);
      for (const name of pathParams) {
        const spec = shape.path.find((s) => s.name === name);
        parameters.push({
          name,
          in: 'path',
          required: true,
          schema: spec ? inputSchema(spec.type) : { type: 'string' },
          example: pathExample(name),
        });
      }
      for (const spec of shape.query)
        parameters.push({
          name: spec.name,
          in: 'query',
          required: spec.required && !shape.rules.fill[spec.name],
          schema: inputSchema(spec.type),
          ...(shape.rules.fill[spec.name] === 'callerOrg'
            ? { description: "Defaults to the calling API key's organization." }
            : {}),
        });
      requestBody = requestBodyOf(shape);
      if (route.paginated) {
        for (const name of ['limit', 'cursor'])
          if (!shape.query.some((s) => s.name === name))
            parameters.push({
              name,
              in: 'query',
              required: false,
              schema: name === 'limit' ? { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } : { type: 'string' },
            });
      }
      dataSchema = responseDataSchema(schema, route);
    } else {
      for (const name of pathParams)
        parameters.push({ name, in: 'path', required: true, schema: { type: 'string' }, example: pathExample(name) });
      if (route.streamedBody)
        requestBody = {
          required: true,
          content: { [route.streamedBody]: { schema: { type: 'string', format: 'binary' } } },
        };
      else if (route.requestExample)
        requestBody = {
          required: true,
          content: { 'application/json': { schema: { type: 'object' }, example: route.requestExample } },
        };
    }
    if (route.signed)
      parameters.push(
        {
          name: 'X-Signature',
          in: 'header',
          required: false,
          schema: { type: 'string' },
          description:
            'v1: hex(HMAC-SHA256(secret, timestamp + ":" + apiKey + ":" + hex(sha256(body)))); v2: hex(HMAC-SHA256(secret, "v2:" + timestamp + ":" + nonce + ":" + METHOD + ":" + pathWithQuery + ":" + apiKey + ":" + hex(sha256(body)))). Required when the server requires signatures (docs/authentication.md)',
        },
        {
          name: 'X-Signature-Timestamp',
          in: 'header',
          required: false,
          schema: { type: 'string' },
          description: 'Unix seconds',
        },
        {
          name: 'X-Signature-Version',
          in: 'header',
          required: false,
          schema: { type: 'string', enum: ['1', '2'] },
          description: 'Absent or 1: v1; 2: v2 (required where TRELLIS_HMAC_MIN_VERSION=2, the production default)',
        },
        {
          name: 'X-Signature-Nonce',
          in: 'header',
          required: false,
          schema: { type: 'string', pattern: '^[A-Za-z0-9._~-]{16,128}$' },
          description: 'v2: a value never reused with this key (accepted once)',
        },
        {
          name: 'X-Workflow-Id',
          in: 'header',
          required: false,
          schema: { type: 'string' },
          description:
            'Binds the call to a workflow: supplies workflowId when the body has none; a body naming another workflow is 403',
        },
      );
    if (isIdempotent(route))
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
        description:
          'Makes a retry safe: the same key and body (same caller and path) within TRELLIS_IDEMPOTENCY_TTL_HOURS (24 h) replay the first response with `Idempotent-Replayed: true`; the same key with another body is 409 `idempotency_conflict`.',
      });
    let suffix = 2;
    const baseId = operationId;
    while (operationIds.has(operationId)) operationId = `${baseId}${suffix++}`;
    operationIds.add(operationId);
    const success = route.status ?? 200;
    const produces = route.kind === 'handler' ? (route.produces ?? 'application/json') : 'application/json';
    const responses: Record<string, unknown> = {
      [String(success)]: {
        description: 'Success',
        ...(isIdempotent(route)
          ? {
              headers: {
                'Idempotent-Replayed': {
                  description:
                    'Present (`true`) when this is the stored response of an earlier request with the same Idempotency-Key.',
                  schema: { type: 'string', enum: ['true'] },
                },
              },
            }
          : {}),
        // 204: no body at all.
        ...(success === 204
          ? {}
          : {
              content: {
                [produces]:
                  produces === 'application/json'
                    ? { schema: envelopeOf(dataSchema), example: envelopeExample(route.path, success, dataSchema) }
                    : { schema: { type: 'string' } },
              },
            }),
      },
    };
    if (route.kind !== 'handler' && route.acceptedWhen)
      responses['202'] = {
        description: 'Accepted: not finished within the timeout; the same data shape (poll the resource by its id)',
        content: {
          'application/json': { schema: envelopeOf(dataSchema), example: envelopeExample(route.path, 202, dataSchema) },
        },
      };
    for (const status of ERROR_STATUSES)
      responses[String(status)] =
        route.kind === 'handler' && route.openaiErrors
          ? OPENAI_ERROR_RESPONSE
          : { $ref: `#/components/responses/Error${status}` };
    // The AI gateway's budget refusal (402 budget_exhausted) is only answered on the OpenAI surface.
    if (route.kind === 'handler' && route.openaiErrors) responses['402'] = OPENAI_ERROR_RESPONSE;
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId,
      summary: route.summary,
      tags: [route.owner],
      // Beyond the spec's route list: clients generated from it see why the route exists.
      ...(route.beyondContract ? { 'x-beyond-contract': route.beyondContract } : {}),
      ...(route.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      // Handler routes (streams, model calls) are not replayed: a retry runs again.
      ...(route.kind === 'handler' && route.method === 'POST' ? { 'x-idempotency-key': false } : {}),
      responses,
    };
  }
  const errorCodes = Object.keys(errorRegistry);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trellis REST API',
      version: API_VERSION,
      description:
        'REST adapter over the Trellis federated GraphQL API. Every response is wrapped in the envelope; errors carry a stable code (see docs/errors.md).',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    paths: { ...paths, ...platformPaths() },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key (trl_live_…) or session token (trs_…)' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', enum: errorCodes },
            message: { type: 'string' },
            field: { type: 'string' },
          },
        },
        Envelope: {
          type: 'object',
          required: ['meta', 'context', 'data', 'error', 'links'],
          properties: {
            meta: {
              type: 'object',
              required: ['request_id', 'trace_id', 'timestamp', 'status', 'version'],
              properties: {
                request_id: { type: 'string' },
                trace_id: { type: 'string' },
                timestamp: { type: 'string', format: 'date-time' },
                status: { type: 'integer' },
                version: { type: 'string' },
              },
            },
            context: {
              type: 'object',
              properties: {
                principal_id: { type: ['string', 'null'] },
                organization_id: { type: ['string', 'null'] },
                team_id: { type: ['string', 'null'] },
              },
            },
            data: {},
            error: { anyOf: [{ $ref: '#/components/schemas/Error' }, { type: 'null' }] },
            links: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
      responses: Object.fromEntries(
        ERROR_STATUSES.map((status) => [
          `Error${status}`,
          {
            description: errorCodes
              .filter((c) => errorRegistry[c as keyof typeof errorRegistry].status === status)
              .join(', '),
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Envelope' } } },
          },
        ]),
      ),
    },
  };
}

/**
 * The platform endpoints outside `/v1` (routes.tsv owner `platform`), served by every gateway's
 * HTTP shell rather than the route table: health probes, metrics, this document and `/version`.
 * Plain JSON (or text), not the envelope.
 */
function platformPaths(): Record<string, Record<string, unknown>> {
  const health = {
    description: '200 when healthy, 503 otherwise, listing each dependency',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['status'],
          properties: { status: { type: 'string' }, checks: { type: 'array' }, degraded: { type: 'array' } },
        },
        example: { status: 'ok', checks: [] },
      },
    },
  };
  const endpoint = (operationId: string, summary: string, response: Record<string, unknown>, extra = {}) => ({
    get: { operationId, summary, tags: ['platform'], security: [], responses: { '200': response }, ...extra },
  });
  const probe = (operationId: string, summary: string) =>
    endpoint(operationId, summary, health, { responses: { '200': health, '503': health } });
  return {
    '/health': probe('getHealth', 'Alias for /health/live'),
    '/healthz': probe('getHealthz', 'Alias for /health/live (Kubernetes convention)'),
    '/health/live': probe('getHealthLive', 'Liveness: the process is up and accepting connections'),
    '/health/ready': probe('getHealthReady', 'Readiness: PostgreSQL (required), Redis and subgraphs (reported)'),
    '/health/startup': probe('getHealthStartup', 'Startup: 200 once migrations are applied, 503 while booting'),
    '/readyz': probe('getReadyz', 'Readiness check (alias for /health/ready)'),
    '/metrics': endpoint(
      'getMetrics',
      'Prometheus metrics (Authorization: Bearer $TRELLIS_METRICS_TOKEN when that token is set)',
      { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
    ),
    '/openapi.json': endpoint('getOpenApi', 'This OpenAPI document', {
      description: 'OpenAPI 3.1',
      content: { 'application/json': { schema: { type: 'object' }, example: { openapi: '3.1.0' } } },
    }),
    '/version': endpoint('getVersion', 'Application version, source commit, served schema hash and uptime', {
      description: 'What is running',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['version', 'commit', 'schemaHash', 'uptimeSeconds', 'node'],
            properties: {
              version: { type: 'string' },
              commit: { type: 'string', description: 'TRELLIS_BUILD_COMMIT' },
              schemaHash: { type: 'string', description: 'sha256 of the supergraph served now' },
              uptimeSeconds: { type: 'integer' },
              node: { type: 'string' },
            },
          },
          example: {
            version: '0.1.0',
            commit: 'unknown',
            schemaHash: `sha256:${'0'.repeat(64)}`,
            uptimeSeconds: 86400,
            node: '24.21.0',
          },
        },
      },
    }),
  };
}
