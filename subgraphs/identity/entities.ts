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
    createdAt: p.datetime(),
  },
});

export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().primary(),
    userId: p.string(),
    tokenHash: p.string().unique(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

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
