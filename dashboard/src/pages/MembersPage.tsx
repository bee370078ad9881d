/** Members and their roles, teams, and pending invitations (the link token is shown once). */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '../components/confirm.tsx';
import { SecretValue } from '../components/copy.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { when } from '../format.ts';
import {
  CreateInvitationDocument,
  CreateTeamDocument,
  InvitationsDocument,
  MembersDocument,
  type MembersQuery,
  RemoveMemberDocument,
  RevokeInvitationDocument,
  type Role,
  UpdateMemberRoleDocument,
} from '../generated/operations.ts';
import { useOrg } from '../org.tsx';

const ROLES: Role[] = ['VIEWER', 'MEMBER', 'ADMIN', 'OWNER'];
type Member = NonNullable<MembersQuery['organization']>['members']['items'][number];

function useMembers(orgId: string) {
  return useQuery(MembersDocument, { variables: { orgId } });
}

function MemberRow({ member }: { member: Member }) {
  const { orgId, can, userId } = useOrg();
  const [setRole, roleChange] = useMutation(UpdateMemberRoleDocument, { refetchQueries: [MembersDocument] });
  const [remove, removal] = useMutation(RemoveMemberDocument, { refetchQueries: [MembersDocument] });
  const label = member.user.name ? `${member.user.name} <${member.user.email}>` : member.user.email;
  const editable = can('members:write') && member.userId !== userId;
  return (
    <tr>
      <td>{label}</td>
      <td>
        {editable ? (
          <label>
            <span className="visually-hidden">Role of {member.user.email}</span>
            <select
              value={member.role}
              onChange={(e) =>
                setRole({ variables: { orgId, userId: member.userId, role: e.target.value as Role } }).catch(
                  () => undefined,
                )
              }
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r.toLowerCase()}
                </option>
              ))}
            </select>
          </label>
        ) : (
          member.role.toLowerCase()
        )}
      </td>
      <td>{when(member.joinedAt)}</td>
      <td>
        {editable && (
          <ConfirmButton
            label="Remove"
            ariaLabel={`Remove ${member.user.email}`}
            title={`Remove ${member.user.email}?`}
            confirmLabel="Remove member"
            danger
            onConfirm={() => remove({ variables: { orgId, userId: member.userId } }).catch(() => undefined)}
          >
            They lose access to this organization at once, and API keys they minted stop working.
          </ConfirmButton>
        )}
        <ErrorNote error={roleChange.error ?? removal.error} />
      </td>
    </tr>
  );
}

function Invitations() {
  const { orgId, can } = useOrg();
  const { data, error } = useQuery(InvitationsDocument, { variables: { orgId } });
  const [token, setToken] = useState<string | null>(null);
  const [invite, invited] = useMutation(CreateInvitationDocument, { refetchQueries: [InvitationsDocument] });
  const [revoke, revoked] = useMutation(RevokeInvitationDocument, { refetchQueries: [InvitationsDocument] });
  const items = data?.organization?.invitations.items ?? [];
  return (
    <section className="card" aria-labelledby="invites-title">
      <h2 id="invites-title">Invitations</h2>
      {token && <SecretValue label="Invitation token" value={token} />}
      {can('invitations:write') && (
        <form
          className="inline"
          onSubmit={async (event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const data = new FormData(form);
            const result = await invite({
              variables: {
                input: { orgId, email: String(data.get('email')), role: String(data.get('role')) as Role },
              },
            }).catch(() => undefined);
            if (result?.data) {
              setToken(result.data.createInvitation.token);
              form.reset();
            }
          }}
        >
          <label>
            Email <input name="email" type="email" required />
          </label>
          <label>
            Role
            <select name="role" defaultValue="MEMBER">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r.toLowerCase()}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary">
            Invite
          </button>
          <ErrorNote error={invited.error} />
        </form>
      )}
      <ErrorNote error={error ?? revoked.error} />
      {items.length === 0 ? (
        <Empty>No pending invitations.</Empty>
      ) : (
        <ul>
          {items.map((i) => (
            <li key={i.id}>
              {i.email} as {i.role.toLowerCase()} — expires {when(i.expiresAt)}{' '}
              {can('invitations:write') && (
                <button
                  type="button"
                  aria-label={`Revoke invitation of ${i.email}`}
                  onClick={() => revoke({ variables: { id: i.id, orgId } }).catch(() => undefined)}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Teams({ teams }: { teams: NonNullable<MembersQuery['organization']>['teams']['items'] }) {
  const { orgId, can } = useOrg();
  const [create, created] = useMutation(CreateTeamDocument, { refetchQueries: [MembersDocument] });
  return (
    <section className="card" aria-labelledby="teams-title">
      <h2 id="teams-title">Teams</h2>
      {can('teams:write') && (
        <form
          className="inline"
          onSubmit={async (event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const name = String(new FormData(form).get('name'));
            const result = await create({ variables: { input: { orgId, name } } }).catch(() => undefined);
            if (result?.data) form.reset();
          }}
        >
          <label>
            Team name <input name="name" required maxLength={100} />
          </label>
          <button type="submit">Create team</button>
          <ErrorNote error={created.error} />
        </form>
      )}
      {teams.length === 0 ? (
        <Empty>No teams. Teams group members, e.g. by project.</Empty>
      ) : (
        <ul>
          {teams.map((t) => (
            <li key={t.id}>
              <strong>{t.name}</strong>: {t.members.map((m) => m.user.email).join(', ') || 'no members'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function MembersPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = useMembers(orgId);
  if (!data) return loading ? <Loading what="members" /> : <ErrorNote error={error} />;
  const org = data.organization;
  if (!org) return <ErrorNote error={new Error('Organization not found')} />;
  return (
    <>
      <h1>Members</h1>
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members ({org.members.items.length})</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {org.members.items.map((m) => (
              <MemberRow key={m.userId} member={m} />
            ))}
          </tbody>
        </table>
      </section>
      <Teams teams={org.teams.items} />
      {can('invitations:read') && <Invitations />}
    </>
  );
}
