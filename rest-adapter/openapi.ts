/**
 * Generates the OpenAPI 3.1 document from the route table and the API schema:
 * parameters and request bodies from each operation's variables, response
 * `data` from the operation's selection set. `npm run openapi` writes it to
 * `schema/openapi.json`; CI fails when it is stale.
 */
import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { errorRegistry } from '../kernel/errors.ts';
import { MAX_PAGE_SIZE } from '../kernel/pagination.ts';
import { fastifyPath } from './adapter.ts';
import { API_VERSION } from './envelope.ts';
import type { OperationRoute, Route } from './route-table.ts';
import { operationOf, variableSpecs } from './variables.ts';

type JsonSchema = Record<string, unknown>;

const SCALARS: Record<string, JsonSchema> = {
  ID: { type: 'string' },
  String: { type: 'string' },
  Int: { type: 'integer', format: 'int32' },
  SafeInt: { type: 'integer', format: 'int64' },
  Float: { type: 'number' },
  Boolean: { type: 'boolean' },
  DateTime: { type: 'string', format: 'date-time' },
  JSON: {},
};

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

function inputSchema(type: GraphQLInputType, seen = new Set<string>()): JsonSchema {
  if (isNonNullType(type)) return inputSchema(type.ofType, seen);
  if (isListType(type)) return { type: 'array', items: inputSchema(type.ofType as GraphQLInputType, seen) };
  if (isScalarType(type)) return SCALARS[type.name] ?? {};
  if (isEnumType(type)) return { type: 'string', enum: type.getValues().map((v) => v.name) };
  if (isInputObjectType(type)) {
    if (seen.has(type.name)) return { type: 'object' };
    const inner = new Set(seen).add(type.name);
    const fields = Object.values(type.getFields());
    return {
      type: 'object',
      ...(type.description ? { description: type.description } : {}),
      properties: Object.fromEntries(
        fields.map((f) => [
          f.name,
          { ...inputSchema(f.type, inner), ...(f.description ? { description: f.description } : {}) },
        ]),
      ),
      required: fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name),
      additionalProperties: false,
    };
  }
  return {};
}

function outputSchema(schema: GraphQLSchema, type: GraphQLOutputType, selection?: SelectionSetNode): JsonSchema {
  if (isNonNullType(type)) return outputSchema(schema, type.ofType, selection);
  if (isListType(type)) return nullable({ type: 'array', items: outputSchema(schema, type.ofType, selection) });
  if (isScalarType(type)) return nullable(SCALARS[type.name] ?? {});
  if (isEnumType(type)) return nullable({ type: 'string', enum: type.getValues().map((v) => v.name) });
  if (!selection) return nullable({ type: 'object' });
  const properties: Record<string, JsonSchema> = {};
  const collect = (set: SelectionSetNode, parent: GraphQLOutputType) => {
    const named = getNamedType(parent);
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === '__typename') {
          properties[s.alias?.value ?? '__typename'] = { type: 'string' };
          continue;
        }
        const field = isObjectType(named) || isInterfaceType(named) ? named.getFields()[s.name.value] : undefined;
        if (field) properties[s.alias?.value ?? s.name.value] = outputSchema(schema, field.type, s.selectionSet);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const condition = s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLOutputType) : parent;
        collect(s.selectionSet, condition);
      }
    }
  };
  collect(selection, type);
  return nullable({ type: 'object', properties });
}

function responseDataSchema(schema: GraphQLSchema, route: OperationRoute): JsonSchema {
  if (typeof route.result === 'function') return {};
  const operation = operationOf(parse(route.operation));
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? null
        : schema.getQueryType();
  const path = (route.result ?? '').split('.').filter(Boolean);
  let selection: SelectionSetNode | undefined = operation.selectionSet;
  let type: GraphQLOutputType | undefined;
  let parent: GraphQLOutputType | null | undefined = root;
  const steps = path.length ? path : [undefined];
  for (const step of steps) {
    const field: SelectionNode | undefined = selection?.selections.find(
      (s) => s.kind === Kind.FIELD && (step === undefined || (s.alias?.value ?? s.name.value) === step),
    );
    if (!field || field.kind !== Kind.FIELD || !parent) return {};
    const named: GraphQLNamedType = getNamedType(parent);
    const definition: GraphQLField<unknown, unknown> | undefined =
      isObjectType(named) || isInterfaceType(named) ? named.getFields()[field.name.value] : undefined;
    if (!definition) return {};
    type = definition.type;
    parent = type;
    selection = field.selectionSet;
  }
  return type ? outputSchema(schema, type, selection) : {};
}

function envelopeOf(data: JsonSchema): JsonSchema {
  return {
    allOf: [{ $ref: '#/components/schemas/Envelope' }, { type: 'object', properties: { data } }],
  };
}

const ERROR_STATUSES = [400, 401, 403, 404, 409, 422, 429, 503];

export function buildOpenApi(routes: Route[], schema: GraphQLSchema): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const parameters: JsonSchema[] = [];
    let requestBody: JsonSchema | undefined;
    let dataSchema: JsonSchema = {};
    let operationId = `${route.method.toLowerCase()}${fastifyPath(route.path).replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string = '') => c.toUpperCase())}`;
    if (route.kind !== 'handler') {
      const operation = operationOf(parse(route.operation));
      operationId = operation.name?.value ?? operationId;
      const specs = variableSpecs(schema, operation);
      const byName = new Map(specs.map((s) => [s.name, s]));
      for (const name of pathParams)
        parameters.push({
          name,
          in: 'path',
          required: true,
          schema: byName.has(name) ? inputSchema(byName.get(name)!.type) : { type: 'string' },
        });
      const rest = specs.filter((s) => !pathParams.includes(s.name));
      const bodyMethods = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
      if (bodyMethods) {
        const bodyVar = route.body ? byName.get(route.body) : undefined;
        const bodySchema = bodyVar
          ? inputSchema(bodyVar.type)
          : rest.length
            ? {
                type: 'object',
                properties: Object.fromEntries(rest.map((s) => [s.name, inputSchema(s.type)])),
                required: rest.filter((s) => s.required).map((s) => s.name),
              }
            : undefined;
        if (bodySchema)
          requestBody = {
            required: bodyVar ? bodyVar.required : rest.some((s) => s.required),
            content: { 'application/json': { schema: bodySchema } },
          };
      } else {
        for (const spec of rest)
          parameters.push({ name: spec.name, in: 'query', required: spec.required, schema: inputSchema(spec.type) });
      }
      if (route.paginated) {
        for (const name of ['limit', 'cursor'])
          if (!byName.has(name))
            parameters.push({
              name,
              in: 'query',
              required: false,
              schema: name === 'limit' ? { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } : { type: 'string' },
            });
      }
      dataSchema = responseDataSchema(schema, route);
    } else {
      for (const name of pathParams) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
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
    let suffix = 2;
    const baseId = operationId;
    while (operationIds.has(operationId)) operationId = `${baseId}${suffix++}`;
    operationIds.add(operationId);
    const success = route.kind === 'handler' ? 200 : (route.status ?? 200);
    const produces = route.kind === 'handler' ? (route.produces ?? 'application/json') : 'application/json';
    const responses: Record<string, unknown> = {
      [String(success)]: {
        description: 'Success',
        content: {
          [produces]: { schema: produces === 'application/json' ? envelopeOf(dataSchema) : { type: 'string' } },
        },
      },
    };
    for (const status of ERROR_STATUSES) responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId,
      summary: route.summary,
      tags: [route.owner],
      ...(route.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
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
    paths,
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
