/**
 * The compact route form and what the adapter derives from it, on a small
 * schema: variable types from the arguments, `(...)`, `select`, the shared
 * fragments and their bounds, and the REST form of answers (lowercase enums,
 * seed names) and of bodies (snake_case, bare arrays).
 */
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fragmentDefinitionsOf, fragmentsFor } from './fragments.ts';
import { outputTree, RESPONSE_ALIASES, responseSchema, restValue } from './output.ts';
import { requestShape } from './request-shape.ts';
import { routeOperation } from './route-operation.ts';
import type { OperationRoute } from './route-table.ts';
import { buildVariables } from './variables.ts';

const schema = buildSchema(/* GraphQL */ `
  enum Status { ACTIVE KILLED }
  type Organization { id: ID! name: String! workflows: [Workflow!]! members(limit: Int): MemberPage! }
  type Member { userId: ID! role: String! }
  type MemberPage { items: [Member!]! nextCursor: String }
  type Limits { perMinute: Int! }
  type Workflow {
    id: ID!
    organization: Organization!
    parent: Workflow
    name: String!
    status: Status!
    limits: Limits!
    history(days: Int!): [Int!]!
    children: [Workflow!]!
    tags: [String!]!
  }
  type WorkflowPage { items: [Workflow!]! nextCursor: String }
  type Created { workflow: Workflow! secret: String! }
  input CreateInput { name: String!, budgetMicros: Int, expiresAt: String }
  input BatchInput { events: [CreateInput!]! }
  type Query {
    workflow(id: ID!, orgId: ID): Workflow
    workflows(orgId: ID!, status: Status, limit: Int = 50, cursor: String): WorkflowPage!
    organization(id: ID!): Organization
  }
  type Mutation {
    create(orgId: ID!, input: CreateInput!): Created!
    batch(input: BatchInput!): Int!
  }
`);

const route = (r: Partial<OperationRoute>): OperationRoute =>
  ({ method: 'GET', path: '/v1/x', owner: 'governance', summary: 's', ...r }) as OperationRoute;

describe('compact routes', () => {
  it('types variables from the arguments they fill, names the operation after the route, results at the field path', () => {
    const op = routeOperation(
      route({ path: '/v1/orgs/{orgId}/workflows/{workflowId}', query: 'workflow(orgId: $orgId, id: $workflowId)' }),
      schema,
    );
    expect(op.operationName).toBe('GetOrgsOrgIdWorkflowsWorkflowId');
    expect(op.document).toMatch(/^query GetOrgsOrgIdWorkflowsWorkflowId\(\$orgId: ID, \$workflowId: ID!\)/);
    expect(op.document).toContain('...WorkflowFields');
    expect(op.resultPath).toBe('workflow');
  });

  it('passes the other arguments by name with (...), a defaulted one as optional', () => {
    const op = routeOperation(route({ path: '/v1/orgs/{orgId}/workflows', query: 'workflows(...)' }), schema);
    expect(op.document).toContain('($orgId: ID!, $status: Status, $limit: Int, $cursor: String)');
  });

  it('follows a field path and takes a select in place of the fragment', () => {
    const op = routeOperation(
      route({ path: '/v1/orgs/{id}/members', query: 'organization(id: $id).members(...)', select: 'items { userId }' }),
      schema,
    );
    expect(op.resultPath).toBe('organization.members');
    expect(op.document).toContain('organization(id: $id) {\n    members(limit: $limit) {\n      items {');
    expect(op.document).not.toContain('fragment');
  });

  it('refuses a field the schema does not have, and a route with two forms', () => {
    expect(() => routeOperation(route({ path: '/v1/a', query: 'nope(id: $id)' }), schema)).toThrow(
      /Query has no field nope/,
    );
    expect(() =>
      routeOperation(route({ path: '/v1/b', query: 'workflow(id: $id)', operation: 'query A { x }' }), schema),
    ).toThrow(/exactly one of/);
  });
});

describe('shared fragments', () => {
  const fragments = fragmentsFor(schema, ['WorkflowPage', 'Created']).join('\n');

  it('are bounded: from an entity, references as { id }, no lists of entities, no fields with required arguments', () => {
    expect(fragments).toContain(
      'fragment WorkflowFields on Workflow { id organization { id } parent { id } name status limits { ...LimitsFields } tags }',
    );
    expect(fragments).not.toContain('history');
    expect(fragments).not.toContain('children');
    expect(fragments).not.toContain('OrganizationFields');
  });

  it('give entities in full from wrappers (pages, payloads)', () => {
    expect(fragments).toContain(
      'fragment WorkflowPageFields on WorkflowPage { items { ...WorkflowFields } nextCursor }',
    );
    expect(fragments).toContain('fragment CreatedFields on Created { workflow { ...WorkflowFields } secret }');
  });
});

describe('REST answers', () => {
  const op = routeOperation(route({ path: '/v1/w/{id}', query: 'workflow(id: $id)' }), schema);
  const tree = outputTree(schema, op.operation, fragmentDefinitionsOf(parse(op.document)));

  it('lowercase enum values and add the seed names declared per type', () => {
    RESPONSE_ALIASES.Workflow = { workflow_name: 'name', org: 'organization.id' };
    try {
      const value = restValue(
        { workflow: { id: 'wf_1', status: 'KILLED', name: 'n', organization: { id: 'org_1' }, tags: [] } },
        tree,
      );
      expect(value).toEqual({
        workflow: {
          id: 'wf_1',
          status: 'killed',
          name: 'n',
          organization: { id: 'org_1' },
          tags: [],
          workflow_name: 'n',
          org: 'org_1',
        },
      });
    } finally {
      delete RESPONSE_ALIASES.Workflow;
    }
  });

  it('are documented required and non-null exactly as GraphQL says, enums in REST spelling', () => {
    const data = responseSchema(tree?.fields?.get('workflow') as never, true) as Record<string, never>;
    expect(data.required).toEqual(['id', 'organization', 'name', 'status', 'limits', 'tags']);
    expect((data.properties as unknown as Record<string, unknown>).status).toEqual({
      type: 'string',
      enum: ['active', 'killed'],
    });
    expect((data.properties as unknown as Record<string, unknown>).parent).toMatchObject({
      type: ['object', 'null'],
      required: ['id'],
    });
  });
});

describe('REST bodies', () => {
  const principal = { kind: 'user', id: 'usr_1', userId: 'usr_1', memberships: [], scopes: ['*'] } as never;

  it('accept snake_case spellings of every field, and refuse both spellings at once', () => {
    const create = route({
      method: 'POST',
      path: '/v1/orgs/{orgId}/w',
      body: 'input',
      mutation: 'create(orgId: $orgId, input: $input)',
    });
    const shape = requestShape(create, schema);
    const input = (body: unknown) => ({ params: { orgId: 'org_1' }, query: {}, body, principal });
    expect(buildVariables(shape, input({ name: 'a', budget_micros: 5, expires_at: 'x' }))).toEqual({
      orgId: 'org_1',
      input: { name: 'a', budgetMicros: 5, expiresAt: 'x' },
    });
    expect(() => buildVariables(shape, input({ name: 'a', budgetMicros: 1, budget_micros: 2 }))).toThrow(/same field/);
    expect(() => buildVariables(shape, input({ name: 'a', colour: 'red' }))).toThrow(/colour is not a known field/);
  });

  it('read a bare array as the arrayBody field', () => {
    const batch = route({
      method: 'POST',
      path: '/v1/batch',
      body: 'input',
      arrayBody: 'events',
      mutation: 'batch(input: $input)',
    });
    const variables = buildVariables(requestShape(batch, schema), {
      params: {},
      query: {},
      body: [{ name: 'a' }],
      principal,
    });
    expect(variables).toEqual({ input: { events: [{ name: 'a' }] } });
  });
});
