/**
 * Authorization, declared in each subgraph's SDL and enforced here once:
 *
 *   createWorkflow(orgId: ID!, …): Workflow! @authz(org: "orgId", permission: "workflows:write")
 *   register(…): AuthResult! @public
 *
 * - Every root field needs an authenticated principal unless marked `@public`.
 * - `permission` names an action of kernel/permissions.ts and stands for its
 *   role and API-key scope (sessions carry every scope) — the same table
 *   `authz/check` and `me/permissions` answer from.
 * - `org` names where the organization comes from: an argument path
 *   (`orgId`, `input.orgId`) or `parent` (the parent object's `orgId`, else
 *   its `id`, for fields on `Organization`). Not a member → 403 org_mismatch;
 *   a role below the action's → 403 forbidden.
 * - Objects loaded by id are checked by services with `requireOrgAccess`, which
 *   answers 404 for another org's object so existence never leaks.
 */
import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type ValueNode,
} from 'graphql';
import { TrellisError } from './errors.ts';
import { permissionRule } from './permissions.ts';
import { hasScope, type Principal, type Role, roleIn, roleRank } from './principal.ts';

/** Directives and scalars every subgraph SDL is loaded with (see `readSdl`). */
export const SHARED_SDL_FILE = new URL('./shared.graphql', import.meta.url);

export interface AuthzRule {
  role?: Role;
  scope?: string;
  org?: string;
  workflow?: string;
  public: boolean;
}

export interface AuthzContext {
  principal: Principal;
}

function literal(node: ValueNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.STRING || node.kind === Kind.ENUM) return node.value;
  return undefined;
}

function valueAt(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** 403 insufficient_scope unless the caller's scopes cover `scope` (sessions and service principals carry `*`). */
export function requireScope(principal: Principal, scope: string): void {
  if (!hasScope(principal, scope))
    throw new TrellisError('insufficient_scope', `This operation needs the ${scope} scope`, {
      details: { requiredScope: scope },
    });
}

export function assertAuthorized(rule: AuthzRule, principal: Principal, args: unknown, parent: unknown): void {
  if (rule.scope) requireScope(principal, rule.scope);
  if (rule.workflow && principal.workflowId) {
    const workflowId = valueAt(args, rule.workflow);
    if (typeof workflowId === 'string' && workflowId !== principal.workflowId)
      throw new TrellisError('forbidden', 'This call is bound to another workflow (its API key or X-Workflow-Id)', {
        field: rule.workflow,
      });
  }
  if (rule.org) {
    const orgId =
      rule.org === 'parent'
        ? ((valueAt(parent, 'orgId') ?? valueAt(parent, 'id')) as unknown)
        : valueAt(args, rule.org);
    if (typeof orgId !== 'string' || orgId === '')
      throw new TrellisError('validation_failed', `${rule.org} is required`, { field: rule.org });
    const role = roleIn(principal, orgId);
    if (!role)
      throw new TrellisError('org_mismatch', undefined, { field: rule.org === 'parent' ? undefined : rule.org });
    if (rule.role && roleRank(role) < roleRank(rule.role))
      throw new TrellisError('forbidden', `This operation needs the ${rule.role} role or higher`, {
        details: { requiredRole: rule.role, role },
      });
  }
}

/** Returns the role of the caller in `orgId`, or throws not_found (another org's object must not be revealed). */
export function requireOrgAccess(principal: Principal, orgId: string, what: string, minimum: Role = 'viewer'): Role {
  const role = roleIn(principal, orgId);
  if (!role) throw new TrellisError('not_found', `${what} not found`);
  if (roleRank(role) < roleRank(minimum))
    throw new TrellisError('forbidden', `This operation needs the ${minimum} role or higher`, {
      details: { requiredRole: minimum, role },
    });
  return role;
}

/**
 * A workflow-bound call (an API key bound to a workflow, or a request with `X-Workflow-Id`) reads and acts on
 * that workflow only: an object of another workflow — or of none, when `workflowId` is null — is not found,
 * exactly like another organization's. Lists restrict themselves with `boundWorkflowOf`.
 */
export function requireWorkflowAccess(principal: Principal, workflowId: string | null, what: string): void {
  if (principal.workflowId && workflowId !== principal.workflowId)
    throw new TrellisError('not_found', `${what} not found`);
}

/** Platform-wide operations (users administration, operator controls, catalog, manual adjustments): 403 for everyone else. */
export function requirePlatformAdmin(principal: Principal): void {
  if (principal.platformAdmin !== true)
    throw new TrellisError('forbidden', 'This operation needs a platform administrator', {
      details: { required: 'platform_admin' },
    });
}

/** The one workflow a list must be restricted to for this caller, or null for an organization-wide caller. */
export const boundWorkflowOf = (principal: Principal): string | null => principal.workflowId ?? null;

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
/** Federation's own entry points: reachable only with a gateway-signed principal. */
const FEDERATION_FIELDS = new Set(['_entities', '_service']);

/**
 * Wraps every resolver of `schema` with its `@authz` / `@public` rule. Call it
 * on the schema returned by `buildSubgraphSchema`; it mutates and returns it.
 */
export function applyAuthz(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const isRoot = ROOT_TYPES.has(type.name);
    for (const field of Object.values(type.getFields())) {
      if (isRoot && FEDERATION_FIELDS.has(field.name)) continue;
      const directives = field.astNode?.directives ?? [];
      const authz = directives.find((d) => d.name.value === 'authz');
      const isPublic = directives.some((d) => d.name.value === 'public');
      if (!authz && !isRoot) continue;
      const arg = (name: string) => literal(authz?.arguments?.find((a) => a.name.value === name)?.value);
      // `permission:` names a row of kernel/permissions.ts: the one place roles and scopes are decided.
      const permission = arg('permission');
      const fromTable = permission ? permissionRule(permission, `@authz on ${type.name}.${field.name}`) : undefined;
      const rule: AuthzRule = {
        role: fromTable?.role,
        scope: fromTable?.scope,
        org: arg('org'),
        workflow: arg('workflow'),
        public: isPublic,
      };
      const resolve: GraphQLFieldResolver<unknown, AuthzContext> = field.resolve ?? defaultFieldResolver;
      const subscribe = field.subscribe;
      const guard = (parent: unknown, args: unknown, context: AuthzContext) => {
        if (isRoot && !rule.public && context.principal.kind === 'anonymous')
          throw new TrellisError('unauthenticated', 'Authentication required');
        assertAuthorized(rule, context.principal, args, parent);
      };
      field.resolve = (parent, args, context: AuthzContext, info) => {
        guard(parent, args, context);
        return resolve(parent, args, context, info);
      };
      if (subscribe) {
        field.subscribe = (parent, args, context: AuthzContext, info) => {
          guard(parent, args, context);
          return subscribe(parent, args, context, info);
        };
      }
    }
  }
  return schema;
}
