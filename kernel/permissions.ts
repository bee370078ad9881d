/**
 * The permission table: the one place that says which role and which API-key
 * scope each action needs. SDL fields name an action with
 * `@authz(permission: "api_keys:write", org: "input.orgId")`; services that
 * resolve the organization themselves call `authorize()`; the `authz/check`
 * endpoints and `me/permissions` answer from `decide()`. All of them end in
 * `assertAuthorized` (kernel/authz.ts), so no answer can disagree with another.
 *
 * Actions are `<resource>:<verb>`; the scope an API key needs is usually the
 * action itself (`organizations:delete` needs the `organizations:write` scope).
 */
import { type AuthzRule, assertAuthorized, requireOrgAccess, requireScope } from './authz.ts';
import { TrellisError } from './errors.ts';
import { type Principal, type Role, roleIn } from './principal.ts';

export interface PermissionRule {
  /** The weakest role that may perform the action. */
  role: Role;
  /** The API-key scope it needs (sessions carry `*`). */
  scope: string;
  description: string;
}

const rule = (role: Role, scope: string, description: string): PermissionRule => ({ role, scope, description });

export const PERMISSIONS = {
  'organizations:read': rule('viewer', 'organizations:read', 'Read the organization'),
  'organizations:write': rule('admin', 'organizations:write', 'Update the organization’s name, slug and billing email'),
  'organizations:delete': rule('owner', 'organizations:write', 'Delete the organization'),
  'members:read': rule('viewer', 'members:read', 'List members and their roles'),
  'members:write': rule('admin', 'members:write', 'Add members, change roles, remove members'),
  'teams:read': rule('viewer', 'teams:read', 'List teams and their members'),
  'teams:write': rule('admin', 'teams:write', 'Create teams and change their members'),
  'invitations:read': rule('admin', 'invitations:read', 'List invitations'),
  'invitations:write': rule('admin', 'invitations:write', 'Invite, resend and revoke invitations'),
  'api_keys:read': rule('admin', 'api_keys:read', 'List API keys and their usage (never the secrets)'),
  'api_keys:write': rule('admin', 'api_keys:write', 'Mint, disable, revoke, roll and rotate API keys'),
  'workflows:read': rule('viewer', 'workflows:read', 'Read workflows'),
  'workflows:write': rule('member', 'workflows:write', 'Create, update, pause, resume and kill workflows'),
  'policies:read': rule('viewer', 'policies:read', 'Read policies'),
  'policies:write': rule('admin', 'policies:write', 'Create, update, toggle and delete policies'),
  'executions:read': rule('viewer', 'executions:read', 'Read executions'),
  'executions:write': rule('member', 'executions:write', 'Gate, execute and track model calls'),
  'approvals:read': rule('viewer', 'approvals:read', 'Read approvals and their decisions'),
  'approvals:write': rule('admin', 'approvals:write', 'Approve or deny a call that needs approval'),
  'alerts:read': rule('viewer', 'alerts:read', 'Read alerts and alert channels'),
  'alerts:dismiss': rule('member', 'alerts:write', 'Dismiss an alert'),
  'alerts:write': rule('admin', 'alerts:write', 'Manage alerts, alert channels and notification settings'),
  'compute:read': rule('viewer', 'compute:read', 'Read VMs, clusters, jobs and runs'),
  'compute:write': rule('member', 'compute:write', 'Create and operate VMs, clusters, jobs and runs'),
  'jobs:work': rule(
    'member',
    'jobs:work',
    'Work jobs as a worker: claim, heartbeat, complete and fail (an API key for worker processes)',
  ),
  'ai:read': rule('viewer', 'ai:read', 'Read the AI proxy connection info, settings and usage'),
  'ai:call': rule(
    'member',
    'ai:write',
    'Call models through the AI gateway (also needs executions:write for governance)',
  ),
  'ai:configure': rule('admin', 'ai:write', 'Change the AI proxy settings (default workflow, request logging)'),
  'credentials:read': rule('member', 'credentials:read', 'List the vault’s credential names (never their values)'),
  'credentials:write': rule('admin', 'credentials:write', 'Create, update and delete vault credentials'),
  'credentials:reveal': rule(
    'admin',
    'credentials:reveal',
    'Read a vault credential’s value (its own scope; every read is in the audit trail)',
  ),
  'assets:read': rule('viewer', 'assets:read', 'Download the organization’s assets'),
  'assets:write': rule('member', 'assets:write', 'Upload assets'),
  'vms:read': rule(
    'viewer',
    'vms:read',
    'Read VMs, their detail, SSH keys, snapshots and registry credentials (no secrets)',
  ),
  'vms:write': rule(
    'member',
    'vms:write',
    'Create, stop, restart, reboot, terminate and resize VMs; SSH keys, snapshots',
  ),
  'clusters:read': rule('viewer', 'clusters:read', 'Read clusters and their replicas'),
  'clusters:write': rule('member', 'clusters:write', 'Create, scale, stop, restart and terminate clusters'),
  'provider:read': rule(
    'admin',
    'provider:read',
    'Read the provider side: application, nodes, tokens, stats, earnings',
  ),
  'provider:write': rule(
    'admin',
    'provider:write',
    'Apply as a provider, mint and revoke provisioning tokens, operate nodes',
  ),
  'billing:read': rule('admin', 'billing:read', 'Read balance, ledger, usage and invoices'),
  'billing:write': rule('owner', 'billing:write', 'Deposit, save cards and change auto-recharge'),
  'credits:read': rule('viewer', 'billing:read', 'Read the token-credit balance and its transactions'),
  'credits:consume': rule('member', 'billing:write', 'Consume token credits for an action'),
  'webhooks:read': rule('admin', 'webhooks:read', 'Read webhooks and deliveries'),
  'webhooks:write': rule('admin', 'webhooks:write', 'Create, update and delete webhooks'),
  'events:read': rule('viewer', 'events:read', 'Read the event log and live event streams'),
  'audit:read': rule('admin', 'audit:read', 'Read the audit trail (changes made by users and API keys)'),
  'notifications:read': rule('viewer', 'notifications:read', 'Read and mark read one’s own notifications'),
  'notifications:write': rule('admin', 'notifications:write', 'Add notifications to members’ inboxes'),
  'activity:read': rule('viewer', 'activity:read', 'Read the activity log and its statistics'),
  'activity:write': rule('member', 'activity:write', 'Record activity entries'),
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

/** The resources a scope can name (seed 003's `vms`, `clusters`, `billing` among them). */
export const SCOPE_RESOURCES: readonly string[] = [
  ...new Set(Object.values(PERMISSIONS).map((rule: PermissionRule) => rule.scope.split(':')[0] as string)),
];

/** Scopes that neither `:read` nor `:write` imply (only `<resource>:*` and `*` do): reading secret values. */
const SEPARATE_SCOPES = new Set(['credentials:reveal']);

/**
 * Every scope an API key may carry: `*`, or `<resource>:read`, `:write` (implies read) or `:*` — the
 * scopes of actions that are neither reading nor writing (`jobs:work`, a worker's only scope), and the
 * separate ones.
 */
export const VALID_SCOPES: readonly string[] = [
  ...new Set([
    '*',
    ...SCOPE_RESOURCES.flatMap((resource) => [`${resource}:read`, `${resource}:write`, `${resource}:*`]),
    ...Object.values(PERMISSIONS).map((rule: PermissionRule) => rule.scope),
    ...SEPARATE_SCOPES,
  ]),
];

const validScopes = new Set(VALID_SCOPES);
export const isValidScope = (scope: string): boolean => validScopes.has(scope);

/** The weakest role an action needs, for services that check objects they load themselves. */
export const roleFor = (permission: Permission): Role => PERMISSIONS[permission].role;

export const isPermission = (value: unknown): value is Permission =>
  typeof value === 'string' && Object.hasOwn(PERMISSIONS, value);

export function permissionRule(permission: string, field = 'permission'): PermissionRule {
  if (!isPermission(permission))
    throw new TrellisError('validation_failed', `Unknown permission "${permission}"`, {
      field,
      details: { known: Object.keys(PERMISSIONS) },
    });
  return PERMISSIONS[permission];
}

/** The `@authz` rule an action stands for, checked against the organization in `args.orgId`. */
export const authzRuleFor = (permission: string): AuthzRule => {
  const { role, scope } = permissionRule(permission);
  return { role, scope, org: 'orgId', public: false };
};

/** Throws exactly what `@authz(permission:, org:)` would: 403 insufficient_scope, org_mismatch or forbidden. */
export function authorize(principal: Principal, permission: string, orgId: string): void {
  assertAuthorized(authzRuleFor(permission), principal, { orgId }, undefined);
}

/**
 * An entity reference resolved for a caller (`__resolveReference`: another subgraph's object names this one,
 * e.g. `StateChange.workflow`) answers what the root field reading the type answers: the permission's scope
 * first (403 insufficient_scope), then `load` — the service's own read, whose org check makes another
 * organization's object not found — and the permission's role in the object's organization. Service
 * principals carry `*` and every organization, so internal resolution keeps working.
 */
export async function authorizeReference<T extends { orgId: string }>(
  principal: Principal,
  permission: Permission,
  what: string,
  load: () => Promise<T | null>,
): Promise<T | null> {
  const { role, scope } = PERMISSIONS[permission];
  requireScope(principal, scope);
  const object = await load();
  if (object) requireOrgAccess(principal, object.orgId, what, role);
  return object;
}

export interface Decision {
  allowed: boolean;
  /** The registry code that denies it (`org_mismatch`, `forbidden`, `insufficient_scope`), when denied. */
  reason: string | null;
  requiredRole: Role;
  requiredScope: string;
}

export function decide(principal: Principal, permission: string, orgId: string): Decision {
  const { role, scope } = permissionRule(permission);
  try {
    authorize(principal, permission, orgId);
    return { allowed: true, reason: null, requiredRole: role, requiredScope: scope };
  } catch (error) {
    if (error instanceof TrellisError)
      return { allowed: false, reason: error.code, requiredRole: role, requiredScope: scope };
    throw error;
  }
}

/**
 * Who did what is the audit trail (`audit:read`, admins): an event's actor is shown — and events can be
 * filtered by actor — only for callers allowed to read it in the event's organization. Everyone else with
 * `events:read` reads the same log without actors, so no filter or field widens what their role may read.
 */
export function mayReadActors(principal: Principal, orgId: string): boolean {
  // Asked once per event of a page or stream: remembered per principal object (one per request or stream).
  let byOrg = actorReaders.get(principal);
  if (!byOrg) {
    byOrg = new Map();
    actorReaders.set(principal, byOrg);
  }
  let allowed = byOrg.get(orgId);
  if (allowed === undefined) {
    allowed = decide(principal, 'audit:read', orgId).allowed;
    byOrg.set(orgId, allowed);
  }
  return allowed;
}
const actorReaders = new WeakMap<Principal, Map<string, boolean>>();

/** An event as `principal` may read it: its actor only for those allowed to read the audit trail. */
export const eventForReader = <T extends { orgId: string; actor: unknown }>(principal: Principal, event: T): T =>
  event.actor === null || mayReadActors(principal, event.orgId) ? event : { ...event, actor: null };

/** Every action the principal may perform in `orgId`, in table order (the same check as everything else). */
export function effectivePermissions(principal: Principal, orgId: string): Permission[] {
  if (!roleIn(principal, orgId)) return [];
  return (Object.keys(PERMISSIONS) as Permission[]).filter(
    (permission) => decide(principal, permission, orgId).allowed,
  );
}
