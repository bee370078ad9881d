/**
 * Identity's tables (schema `identity`). Other subgraphs never read these.
 * Every credential column holds a SHA-256 digest (`…Hash`) or an AES-GCM
 * sealed value (`…Sealed`); plaintext secrets are never stored.
 */
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.string().primary(),
    /** Lowercased and trimmed; unique. */
    email: p.string().unique(),
    /** argon2id (PHC string). */
    passwordHash: p.string().lazy(),
    name: p.string().nullable(),
    avatarUrl: p.string().nullable(),
    defaultOrgId: p.string().nullable(),
    /** Set by the onboarding bootstrap, which runs once. */
    onboardedAt: p.datetime().nullable(),
    /** Unique, case-insensitively (seed 004). */
    username: p.string().nullable(),
    /** When the user accepted the terms of service / the privacy policy at registration. */
    termsAcceptedAt: p.datetime().nullable(),
    privacyAcceptedAt: p.datetime().nullable(),
    /** An operator of this installation (see docs/authentication.md#platform-administrators). */
    platformAdmin: p.boolean().default(false),
    /** Set when the account was erased: the row stays, pseudonymised, so references remain valid. */
    erasedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type UserRow = InferEntity<typeof User>;

export const Organization = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    slug: p.string().unique(),
    billingEmail: p.string().nullable(),
    createdBy: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    deletedAt: p.datetime().nullable(),
  },
});
export type OrganizationRow = InferEntity<typeof Organization>;

export const Membership = defineEntity({
  name: 'Membership',
  tableName: 'memberships',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    userId: p.string(),
    role: p.string(),
    createdAt: p.datetime(),
  },
});
export type MembershipRow = InferEntity<typeof Membership>;

export const Team = defineEntity({
  name: 'Team',
  tableName: 'teams',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    name: p.string(),
    description: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type TeamRow = InferEntity<typeof Team>;

export const TeamMember = defineEntity({
  name: 'TeamMember',
  tableName: 'team_members',
  properties: {
    id: p.string().primary(),
    teamId: p.string(),
    orgId: p.string(),
    userId: p.string(),
    /** owner, admin or member of the team (seed 004). */
    role: p.string().default('member'),
    createdAt: p.datetime(),
  },
});
export type TeamMemberRow = InferEntity<typeof TeamMember>;

export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().primary(),
    userId: p.string(),
    tokenHash: p.string().unique(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    /** Sessions issued from one sign-in by successive refreshes; reuse of a used refresh token revokes them all. */
    familyId: p.string().nullable(),
    refreshTokenHash: p.string().nullable().unique(),
    refreshExpiresAt: p.datetime().nullable(),
    /** When its refresh token was exchanged (a second exchange is a reuse). */
    refreshedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});
export type SessionRow = InferEntity<typeof Session>;

export const PasswordReset = defineEntity({
  name: 'PasswordReset',
  tableName: 'password_resets',
  properties: {
    id: p.string().primary(),
    userId: p.string(),
    tokenHash: p.string().unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    email: p.string(),
    role: p.string(),
    tokenHash: p.string().unique(),
    /** pending | accepted | declined | revoked (expiry is computed from expiresAt). */
    status: p.string(),
    invitedBy: p.string(),
    acceptedBy: p.string().nullable(),
    /** A team invitation: accepting also adds the invitee to this team with teamRole. */
    teamId: p.string().nullable(),
    teamRole: p.string().nullable(),
    expiresAt: p.datetime(),
    respondedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type InvitationRow = InferEntity<typeof Invitation>;

export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.string().primary(),
    orgId: p.string(),
    name: p.string(),
    description: p.string().nullable(),
    prefix: p.string(),
    keyHash: p.string().unique(),
    /** The key replaced by a rotation, valid until previousKeyExpiresAt (grace period). */
    previousKeyHash: p.string().nullable().unique(),
    previousKeyExpiresAt: p.datetime().nullable(),
    scopes: p.array(),
    role: p.string(),
    workflowId: p.string().nullable(),
    createdBy: p.string(),
    /** AES-GCM sealed HMAC signing secret (see kernel/secrets.ts), bound to the key id. */
    signingSecretSealed: p.text(),
    /** The secret replaced by an in-place rotation, accepted until previousSecretExpiresAt. */
    previousSecretSealed: p.text().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    disabledAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    usageCount: p.bigint('number').default(0),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type ApiKeyRow = InferEntity<typeof ApiKey>;

export const identityEntities = [
  User,
  Organization,
  Membership,
  Team,
  TeamMember,
  Session,
  PasswordReset,
  Invitation,
  ApiKey,
];
