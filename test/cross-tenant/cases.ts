/**
 * Generates the cross-tenant matrix from the API schema and the REST route
 * table, so a new root field or route joins it without editing the test.
 *
 * A value names an object of org A when its argument, input field or path
 * parameter is named after an entity (`orgId`, `workflowId`, …) or is a bare
 * `id` whose entity is read from the root field's name (`deletePolicy` →
 * policy) or from the path segment before it (`/teams/{id}` → team). Other
 * required values get a plain valid value of their type. Each field or route
 * yields a "foreign" case (every named object is A's) and, when it names both
 * an organization and another object, an "own org" case (the caller's own
 * organization with A's object). What can name nothing of A's has no case and
 * must be on an exemption list with its reason.
 */
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { routeOperation } from '../../rest-adapter/route-operation.ts';
import type { Route } from '../../rest-adapter/route-table.ts';
import { variableSpecs } from '../../rest-adapter/variables.ts';
import type { Entity } from './fixtures.ts';

/** Argument, input-field and path-parameter names that name an object of an organization. */
const ENTITY_OF_NAME: Record<string, Entity> = {
  orgId: 'org',
  organizationId: 'org',
  defaultOrganizationId: 'org',
  userId: 'user',
  teamId: 'team',
  inviteId: 'invite',
  invitationId: 'invite',
  apiKeyId: 'apiKey',
  workflowId: 'workflow',
  policyId: 'policy',
  webhookId: 'webhook',
  alertChannelId: 'alertChannel',
  alertId: 'alert',
  executionId: 'execution',
  approvalId: 'approval',
  vmId: 'vm',
  nodeId: 'node',
  workloadId: 'vm',
  clusterId: 'cluster',
  sshKeyId: 'sshKey',
  jobId: 'job',
  agentId: 'agent',
  assignedTo: 'agent',
  snapshotId: 'snapshot',
  sshKeyIds: 'sshKey',
  // initiateTransfer's resource: A's VM (offered from A's org, or from the caller's own).
  resourceId: 'vm',
  definitionId: 'definition',
  runId: 'run',
  sessionId: 'session',
  scheduleId: 'schedule',
  triggerId: 'trigger',
};

/** What a bare `id` argument names, read from the root field's name (longest word first). */
const ENTITY_OF_WORD: [string, Entity][] = [
  ['runnerpool', 'runnerPool'],
  ['agenttemplate', 'agentTemplate'],
  ['workflowdefinition', 'definition'],
  ['workflowrun', 'run'],
  ['workflowsession', 'session'],
  ['workflowschedule', 'schedule'],
  ['workflowtrigger', 'trigger'],
  ['provisioningtoken', 'provisioningToken'],
  ['cluster', 'cluster'],
  ['registrycredential', 'registryCredential'],
  ['credential', 'credential'],
  ['asset', 'asset'],
  ['sshkey', 'sshKey'],
  ['notification', 'notification'],
  ['alertchannel', 'alertChannel'],
  ['organization', 'org'],
  ['invitation', 'invite'],
  ['execution', 'execution'],
  ['agenttask', 'agentTask'],
  ['approval', 'approval'],
  ['workflow', 'workflow'],
  ['webhook', 'webhook'],
  ['policy', 'policy'],
  ['apikey', 'apiKey'],
  ['alert', 'alert'],
  ['agent', 'agent'],
  ['event', 'event'],
  ['team', 'team'],
  ['user', 'user'],
  ['job', 'job'],
  ['transfer', 'transfer'],
  ['vm', 'vm'],
  // After `vm`: createVmSnapshot(id) names the VM; deleteSnapshot(id) the snapshot.
  ['snapshot', 'snapshot'],
];

/** What a bare `{id}` path parameter names, read from the segment before it. */
const ENTITY_OF_SEGMENT: Record<string, Entity> = {
  orgs: 'org',
  organizations: 'org',
  members: 'user',
  users: 'user',
  teams: 'team',
  invites: 'invite',
  invitations: 'invite',
  'api-keys': 'apiKey',
  workflows: 'workflow',
  policies: 'policy',
  webhooks: 'webhook',
  'alert-channels': 'alertChannel',
  alerts: 'alert',
  executions: 'execution',
  approvals: 'approval',
  events: 'event',
  vms: 'vm',
  tokens: 'provisioningToken',
  clusters: 'cluster',
  'ssh-keys': 'sshKey',
  'registry-credentials': 'registryCredential',
  nodes: 'node',
  jobs: 'job',
  agents: 'agent',
  templates: 'agentTemplate',
  tasks: 'agentTask',
  snapshots: 'snapshot',
  transfers: 'transfer',
  'workflow-definitions': 'definition',
  'workflow-runs': 'run',
  sessions: 'session',
  schedules: 'schedule',
  triggers: 'trigger',
  assets: 'asset',
  credentials: 'credential',
  'runner-pools': 'runnerPool',
};

/** Plain values for required arguments that name nothing of A's (by name, then by type). */
const PLAIN_BY_NAME: Record<string, unknown> = {
  email: 'intruder@example.com',
  password: 'correct horse battery',
  url: 'http://127.0.0.1:9/intruder',
  target: 'intruder@example.com',
  permission: 'members:read',
  templateId: 'tpl_cost_cap_per_call',
  model: 'gpt-4o',
  stepId: 'aliceStep',
  // A real RAM tier: a resize of A's pool must be refused for its owner, not for its value.
  poolRamGb: 64,
};
const PLAIN_BY_TYPE: Record<string, unknown> = {
  String: 'intruder',
  Int: 1,
  SafeInt: 1,
  Float: 1,
  Boolean: false,
  JSON: {},
  DateTime: '2030-01-01T00:00:00Z',
};

/** How a case names objects: all A's ("foreign"), or the caller's own org with A's other objects ("own org"). */
export type Variant = 'foreign' | 'own org';

/** Resolves an entity to an id for a variant; the test binds it to org A's fixtures and the caller's org. */
export type IdOf = (entity: Entity, variant: Variant) => string;

interface Generated {
  value: unknown;
  /** Entities the value names (org A's objects in the foreign variant). */
  names: Set<Entity>;
}

class CannotFill extends Error {}

function entityOfArgument(name: string, idEntity: Entity | undefined): Entity | undefined {
  if (name === 'id') return idEntity;
  // A vault credential's id is its key (`credential(orgId, key)`); a `key` input field names nothing.
  if (name === 'key' && idEntity === 'credential') return idEntity;
  return ENTITY_OF_NAME[name];
}

/**
 * A value for an input of `type` named `name`. Optional inputs are filled
 * only when they name an entity (leaf) — nested optional objects stay out.
 */
function generate(
  name: string,
  type: GraphQLInputType,
  idOf: (entity: Entity) => string,
  idEntity?: Entity,
): Generated | undefined {
  const required = isNonNullType(type);
  const inner = required ? type.ofType : type;
  if (isListType(inner)) {
    const element = generate(name, inner.ofType, idOf, idEntity);
    // An optional list is sent only when it names something of A's.
    if (!element || (!required && element.names.size === 0))
      return required ? { value: [], names: new Set() } : undefined;
    return { value: [element.value], names: element.names };
  }
  if (isInputObjectType(inner)) {
    if (!required) return undefined;
    const value: Record<string, unknown> = {};
    const names = new Set<Entity>();
    for (const field of Object.values(inner.getFields())) {
      const generated = generate(field.name, field.type, idOf);
      if (!generated) continue;
      value[field.name] = generated.value;
      for (const entity of generated.names) names.add(entity);
    }
    return { value, names };
  }
  const entity = entityOfArgument(name, idEntity);
  if (entity) return { value: idOf(entity), names: new Set([entity]) };
  if (!required) return undefined;
  if (isEnumType(inner)) return { value: inner.getValues()[0]?.value, names: new Set() };
  const plain = name in PLAIN_BY_NAME ? PLAIN_BY_NAME[name] : PLAIN_BY_TYPE[inner.name];
  if (plain === undefined) throw new CannotFill(`no value for required ${name}: ${inner.name}`);
  return { value: plain, names: new Set() };
}

/** Fills a list of named inputs; throws CannotFill when a required one cannot be. */
function fill(
  inputs: readonly { name: string; type: GraphQLInputType }[],
  variant: Variant,
  idOfVariant: IdOf,
  idEntity?: Entity,
): { values: Record<string, unknown>; names: Set<Entity> } {
  const values: Record<string, unknown> = {};
  const names = new Set<Entity>();
  for (const input of inputs) {
    const generated = generate(input.name, input.type, (entity) => idOfVariant(entity, variant), idEntity);
    if (!generated) continue;
    values[input.name] = generated.value;
    for (const entity of generated.names) names.add(entity);
  }
  return { values, names };
}

/** The variants worth running for the entities a field or route names. */
function variantsFor(names: Set<Entity>): Variant[] {
  if (names.size === 0) return [];
  const others = [...names].some((entity) => entity !== 'org');
  return names.has('org') && others ? ['foreign', 'own org'] : ['foreign'];
}

// ---- GraphQL ---------------------------------------------------------------------------------

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface GraphqlCase {
  kind: OperationKind;
  field: string;
  variant: Variant;
  query: string;
  variables: Record<string, unknown>;
  /** The field names org A itself (its id as an org argument): the answer must be a denial. */
  namesOrg: boolean;
  /** The field may answer `null` (a lookup scoped to the caller's org) instead of an error. */
  nullable: boolean;
}

function idEntityOfField(field: string): Entity | undefined {
  const lower = field.toLowerCase();
  return ENTITY_OF_WORD.find(([word]) => lower.includes(word))?.[1];
}

/** Leaf fields without required arguments: what a caller would read. */
function selectionOf(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const leaves = Object.values(named.getFields())
    .filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => isNonNullType(a.type)))
    .map((f) => f.name);
  return `{ __typename ${leaves.join(' ')} }`;
}

function graphqlCasesOf(
  kind: OperationKind,
  field: GraphQLField<unknown, unknown>,
  idOf: IdOf,
): GraphqlCase[] | undefined {
  const idEntity = idEntityOfField(field.name);
  const args: readonly GraphQLArgument[] = field.args;
  let variants: Variant[];
  try {
    variants = variantsFor(fill(args, 'foreign', idOf, idEntity).names);
  } catch (error) {
    if (error instanceof CannotFill) return undefined;
    throw error;
  }
  return variants.map((variant) => {
    const { values } = fill(args, variant, idOf, idEntity);
    const used = args.filter((a) => a.name in values);
    const definitions = used.map((a) => `$${a.name}: ${a.type}`).join(', ');
    const call = used.map((a) => `${a.name}: $${a.name}`).join(', ');
    return {
      kind,
      field: field.name,
      variant,
      query: `${kind}${definitions ? `(${definitions})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selectionOf(field.type)} }`,
      variables: values,
      namesOrg: variant === 'foreign' && used.some((a) => entityOfArgument(a.name, idEntity) === 'org'),
      nullable: !isNonNullType(field.type),
    };
  });
}

/** Every root field, keyed `Query.me`: its cases, or none (it names nothing of another org). */
export function graphqlMatrix(schema: GraphQLSchema, idOf: IdOf): Map<string, GraphqlCase[]> {
  const matrix = new Map<string, GraphqlCase[]>();
  for (const [kind, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const)
    for (const field of Object.values(type?.getFields() ?? {}))
      matrix.set(`${type?.name}.${field.name}`, graphqlCasesOf(kind, field, idOf) ?? []);
  return matrix;
}

// ---- REST ------------------------------------------------------------------------------------

export interface RestCase {
  route: string;
  variant: Variant;
  method: string;
  path: string;
  body?: unknown;
  /** The path names org A (`{orgId}` or an organization `{id}`): 403 org_mismatch. */
  orgInPath: boolean;
  /** The path names another of A's objects: 404 not_found (unless the org is A's). */
  objectInPath: boolean;
}

const PARAM = /\{(\w+)\}/g;

interface PathParam {
  param: string;
  /** The entity the parameter names, or a plain value (`{templateId}`), or neither: no case. */
  entity?: Entity;
  plain?: string;
}

function pathParams(path: string): PathParam[] {
  return [...path.matchAll(PARAM)].map((match) => {
    const param = match[1] as string;
    const before = path.slice(0, match.index).split('/').filter(Boolean).at(-1) ?? '';
    const entity = param === 'id' || param === 'key' ? ENTITY_OF_SEGMENT[before] : ENTITY_OF_NAME[param];
    const plain = PLAIN_BY_NAME[param];
    return { param, entity, plain: typeof plain === 'string' ? plain : undefined };
  });
}

/** Query string of scalar values (lists joined by commas). */
function queryString(values: Record<string, unknown>): string {
  const pairs = Object.entries(values).filter(([, v]) => v !== null && typeof v !== 'object' && v !== undefined);
  const lists = Object.entries(values).filter(([, v]) => Array.isArray(v) && v.every((e) => typeof e !== 'object'));
  const all = [...pairs, ...lists.map(([k, v]) => [k, (v as unknown[]).join(',')] as const)];
  return all.length ? `?${all.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}` : '';
}

/**
 * The non-path inputs of a route: its operation's variables (the `body`
 * variable is the whole body; an input object is also offered flat, as the
 * flat-body routes read it), or `?orgId=` for raw handlers (streams).
 */
function restInputs(
  route: Route,
  schema: GraphQLSchema,
  pathParams: Set<string>,
): { name: string; type: GraphQLInputType; whole?: boolean }[] {
  if (route.kind === 'handler') {
    const orgId = schema.getType('ID');
    return orgId && isLeafType(orgId) ? [{ name: 'orgId', type: orgId }] : [];
  }
  const specs = variableSpecs(schema, routeOperation(route, schema).operation);
  return specs
    .filter((spec) => !pathParams.has(spec.name))
    .map((spec) => ({ name: spec.name, type: spec.type, whole: spec.name === route.body }));
}

function restCasesOf(route: Route, schema: GraphQLSchema, idOf: IdOf): RestCase[] | undefined {
  const params = pathParams(route.path);
  if (params.some((p) => !p.entity && !p.plain)) return undefined;
  const inputs = restInputs(route, schema, new Set(params.map((p) => p.param)));
  const build = (variant: Variant) => {
    const names = new Set<Entity>();
    let path = route.path;
    for (const { param, entity, plain } of params) {
      path = path.replace(`{${param}}`, encodeURIComponent(entity ? idOf(entity, variant) : (plain as string)));
      if (entity) names.add(entity);
    }
    const filled = fill(inputs, variant, idOf);
    for (const entity of filled.names) names.add(entity);
    const whole = inputs.find((i) => i.whole);
    let body: unknown;
    if (route.method === 'GET' || route.method === 'DELETE') path += queryString(filled.values);
    else if (whole) body = filled.values[whole.name] ?? {};
    else {
      const flat: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(filled.values))
        Object.assign(flat, value && typeof value === 'object' && !Array.isArray(value) ? value : { [name]: value });
      body = flat;
    }
    // A body never repeats what the path already names: the adapter fills it from the path.
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const own = { ...(body as Record<string, unknown>) };
      for (const { param } of params) delete own[param];
      body = own;
    }
    const orgInPath = variant === 'foreign' && params.some((p) => p.entity === 'org');
    return {
      names,
      restCase: {
        route: `${route.method} ${route.path}`,
        variant,
        method: route.method,
        path,
        body,
        orgInPath,
        objectInPath: params.some((p) => p.entity && p.entity !== 'org'),
      },
    };
  };
  let variants: Variant[];
  try {
    variants = variantsFor(build('foreign').names);
  } catch (error) {
    if (error instanceof CannotFill) return undefined;
    throw error;
  }
  return variants.map((variant) => build(variant).restCase);
}

/** Every route of the route table that needs credentials: its cases, or none. */
export function restMatrix(routes: Route[], schema: GraphQLSchema, idOf: IdOf): Map<string, RestCase[]> {
  const matrix = new Map<string, RestCase[]>();
  for (const route of routes)
    if (!route.public) matrix.set(`${route.method} ${route.path}`, restCasesOf(route, schema, idOf) ?? []);
  return matrix;
}
