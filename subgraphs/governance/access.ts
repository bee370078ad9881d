/** Organization checks shared by governance services. */
import { requireOrgAccess, requireWorkflowAccess } from '../../kernel/authz.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { type Principal, type Role, roleIn, roleRank } from '../../kernel/principal.ts';

/** An organization named by the caller (path or argument): not a member → 403, role too low → 403. */
export function assertOrgRole(principal: Principal, orgId: string, minimum: Role = 'viewer', field = 'orgId'): Role {
  const role = roleIn(principal, orgId);
  if (!role) throw new TrellisError('org_mismatch', undefined, { field });
  if (roleRank(role) < roleRank(minimum))
    throw new TrellisError('forbidden', `This operation needs the ${minimum} role or higher`, {
      details: { requiredRole: minimum, role },
    });
  return role;
}

/**
 * An object loaded by id: another organization's object is 404, and so is one
 * that does not belong to the organization the path names, or — for a
 * workflow-bound caller — one of another workflow (`workflowId`: the object's).
 */
export function requireObjectAccess(
  principal: Principal,
  objectOrgId: string,
  what: string,
  options: { orgId?: string | null; minimum?: Role; workflowId?: string | null } = {},
): Role {
  if (options.orgId) {
    assertOrgRole(principal, options.orgId);
    if (options.orgId !== objectOrgId) throw new TrellisError('not_found', `${what} not found`);
  }
  const role = requireOrgAccess(principal, objectOrgId, what, options.minimum ?? 'viewer');
  if (options.workflowId !== undefined) requireWorkflowAccess(principal, options.workflowId, what);
  return role;
}

/** The API key id of the caller, if it is one. */
export const apiKeyIdOf = (principal: Principal): string | null => (principal.kind === 'api_key' ? principal.id : null);

/** `usr_…`/`key_…` of whoever acts, for `created_by` style columns. */
export const actorIdOf = (principal: Principal): string =>
  principal.kind === 'api_key' ? principal.id : (principal.userId ?? principal.id);
