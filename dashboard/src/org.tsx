/**
 * The organization being looked at and what the signed-in person may do in it. The UI hides
 * actions the role does not allow; the server still checks every call.
 */
import { createContext, useContext } from 'react';
import type { MeQuery } from './generated/operations.ts';

export interface OrgContextValue {
  orgId: string;
  orgName: string;
  role: string;
  userId: string | null;
  /** Whether the caller's role allows an action of the permission table (`workflows:write`). */
  can(permission: string): boolean;
}

const OrgContext = createContext<OrgContextValue | null>(null);
export const OrgProvider = OrgContext.Provider;

export function useOrg(): OrgContextValue {
  const value = useContext(OrgContext);
  if (!value) throw new Error('useOrg outside an organization');
  return value;
}

export function orgContextFor(me: MeQuery['me'], orgId: string): OrgContextValue | null {
  const membership = me.memberships.find((m) => m.organizationId === orgId);
  if (!membership) return null;
  const granted = new Set(me.permissions.find((p) => p.organizationId === orgId)?.permissions ?? []);
  return {
    orgId,
    orgName: membership.organization.name,
    role: membership.role,
    userId: me.user?.id ?? null,
    can: (permission) => granted.has(permission) || granted.has('*'),
  };
}
