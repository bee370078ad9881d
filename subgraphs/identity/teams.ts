/** Teams: named groups of an organization's members. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../kernel/authz.ts';
import { invalidField, TrellisError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { decodeCursor, type Page, type PageArgs, pageSize, toPage } from '../../kernel/pagination.ts';
import { authorize } from '../../kernel/permissions.ts';
import type { Principal } from '../../kernel/principal.ts';
import { Invitation, Membership, Organization, Team, TeamMember, type TeamRow, User } from './entities.ts';
import { isUniqueViolation } from './support.ts';

export const TEAM_ROLES = ['owner', 'admin', 'member'] as const;

/** GraphQL enum value (`ADMIN`) or REST string (`admin`) → team role. */
export function parseTeamRole(value: unknown, field: string): string {
  const role = typeof value === 'string' ? value.toLowerCase() : value;
  if (!TEAM_ROLES.includes(role as (typeof TEAM_ROLES)[number]))
    throw new TrellisError('validation_failed', 'role must be owner, admin or member', { field });
  return role as string;
}

export class TeamService {
  private readonly em: EntityManager;
  private readonly requestId: string | undefined;

  constructor(em: EntityManager, requestId?: string) {
    this.em = em;
    this.requestId = requestId;
  }

  /** Authorization (`teams:write` in input.orgId) is declared on the mutation. */
  async create(principal: Principal, input: { orgId: string; name: string; description?: string | null }) {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw invalidField('input.name', 'name must be 1 to 100 characters');
    const description = input.description?.trim() || null;
    if (description && description.length > 500)
      throw invalidField('input.description', 'description must be at most 500 characters');
    if (!(await this.em.count(Organization, { id: input.orgId, deletedAt: null })))
      throw new TrellisError('not_found', 'Organization not found');
    const now = new Date();
    const team = this.em.create(Team, {
      id: newId('team'),
      orgId: input.orgId,
      name,
      description,
      createdAt: now,
      updatedAt: now,
    });
    recordEvent(this.em, {
      orgId: input.orgId,
      type: 'team.created',
      subject: { type: 'team', id: team.id },
      data: { teamId: team.id, name },
      actor: principal,
      requestId: this.requestId,
    });
    await this.em.flush().catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', 'A team with this name already exists', { field: 'input.name' });
      throw error;
    });
    return team;
  }

  /** A team by id; another organization's team is 404. */
  async get(principal: Principal, id: string): Promise<TeamRow | null> {
    const team = await this.em.findOne(Team, { id });
    if (!team) return null;
    requireOrgAccess(principal, team.orgId, 'Team');
    return team;
  }

  async #forWrite(principal: Principal, teamId: string): Promise<TeamRow> {
    const team = await this.get(principal, teamId);
    if (!team) throw new TrellisError('not_found', 'Team not found', { field: 'teamId' });
    authorize(principal, 'teams:write', team.orgId);
    return team;
  }

  async list(orgId: string, page: PageArgs): Promise<Page<TeamRow>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor, { n: 'text', i: 'text' });
    const rows = await this.em.find(
      Team,
      after ? { orgId, $or: [{ name: { $gt: after.n } }, { name: after.n, id: { $gt: after.i } }] } : { orgId },
      { orderBy: { name: 'asc', id: 'asc' }, limit: limit + 1 },
    );
    return toPage(rows, limit, (t) => ({ n: t.name, i: t.id }));
  }

  /** The caller's teams across their organizations. */
  async forUser(userId: string, orgIds: string[]): Promise<TeamRow[]> {
    if (orgIds.length === 0) return [];
    const links = await this.em.find(TeamMember, { userId, orgId: { $in: orgIds } });
    if (links.length === 0) return [];
    return this.em.find(Team, { id: { $in: links.map((l) => l.teamId) } }, { orderBy: { name: 'asc' } });
  }

  async members(teamId: string) {
    const links = await this.em.find(TeamMember, { teamId }, { orderBy: { createdAt: 'asc' } });
    const users = links.length ? await this.em.find(User, { id: { $in: links.map((l) => l.userId) } }) : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    return links.flatMap((l) => {
      const user = byId.get(l.userId);
      return user ? [{ user, userId: l.userId, role: l.role, addedAt: l.createdAt }] : [];
    });
  }

  /** Adds an organization member to the team with `role`, or changes the role of one already in it. */
  async addMember(principal: Principal, teamId: string, userId: string, roleInput?: string | null): Promise<TeamRow> {
    const role = parseTeamRole(roleInput ?? 'member', 'role');
    const team = await this.#forWrite(principal, teamId);
    if (!(await this.em.count(Membership, { orgId: team.orgId, userId })))
      throw new TrellisError('not_found', 'This user is not a member of the organization', { field: 'userId' });
    const existing = await this.em.findOne(TeamMember, { teamId, userId });
    if (existing) {
      existing.role = role;
      await this.em.flush();
      return team;
    }
    this.em.create(TeamMember, { id: newId('tmm'), teamId, orgId: team.orgId, userId, role, createdAt: new Date() });
    recordEvent(this.em, {
      orgId: team.orgId,
      type: 'team.member_added',
      subject: { type: 'team', id: team.id },
      data: { teamId: team.id, userId, role },
      actor: principal,
      requestId: this.requestId,
    });
    await this.em.flush().catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
    });
    return team;
  }

  async update(
    principal: Principal,
    id: string,
    input: { name?: string | null; description?: string | null },
  ): Promise<TeamRow> {
    const team = await this.#forWrite(principal, id);
    if (input.name != null) {
      const name = input.name.trim();
      if (name.length < 1 || name.length > 100) throw invalidField('input.name', 'name must be 1 to 100 characters');
      team.name = name;
    }
    if (input.description !== undefined) {
      const description = input.description?.trim() || null;
      if (description && description.length > 500)
        throw invalidField('input.description', 'description must be at most 500 characters');
      team.description = description;
    }
    team.updatedAt = new Date();
    recordEvent(this.em, {
      orgId: team.orgId,
      type: 'team.updated',
      subject: { type: 'team', id: team.id },
      data: { teamId: team.id, name: team.name },
      actor: principal,
      requestId: this.requestId,
    });
    await this.em.flush().catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new TrellisError('already_exists', 'A team with this name already exists', { field: 'input.name' });
      throw error;
    });
    return team;
  }

  /** Deletes the team, its member links and its pending invitations (admin or higher: `teams:write`). */
  async delete(principal: Principal, id: string): Promise<{ id: string; organizationId: string }> {
    const team = await this.#forWrite(principal, id);
    await this.em.transactional(async (em) => {
      await em.nativeDelete(TeamMember, { teamId: id });
      await em.nativeUpdate(Invitation, { teamId: id }, { teamId: null, teamRole: null, updatedAt: new Date() });
      await em.nativeDelete(Team, { id });
      recordEvent(em, {
        orgId: team.orgId,
        type: 'team.deleted',
        subject: { type: 'team', id },
        data: { teamId: id, name: team.name },
        actor: principal,
        requestId: this.requestId,
      });
    });
    return { id, organizationId: team.orgId };
  }

  /** A team for a team invitation: the caller must be able to invite (`invitations:write`) in its organization. */
  async forInvitation(principal: Principal, id: string): Promise<TeamRow> {
    const team = await this.get(principal, id);
    if (!team) throw new TrellisError('not_found', 'Team not found', { field: 'teamId' });
    authorize(principal, 'invitations:write', team.orgId);
    return team;
  }

  async removeMember(principal: Principal, teamId: string, userId: string): Promise<TeamRow> {
    const team = await this.#forWrite(principal, teamId);
    await this.em.nativeDelete(TeamMember, { teamId, userId });
    return team;
  }
}
