/**
 * The credentials vault: names and descriptions (never values), create or replace (the value is sent
 * once and never shown back), delete, and — for roles with `credentials:reveal` only — reveal a value
 * after a confirmation (the read is audited).
 */
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '../components/confirm.tsx';
import { SecretValue } from '../components/copy.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { when } from '../format.ts';
import {
  CredentialsDocument,
  DeleteCredentialDocument,
  PutCredentialDocument,
  RevealCredentialDocument,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

function useCredentials(orgId: string) {
  const result = useQuery(CredentialsDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, ['credential.created', 'credential.updated', 'credential.deleted'], result.refetch);
  return result;
}

function PutCredentialForm() {
  const { orgId } = useOrg();
  const [put, { error, loading }] = useMutation(PutCredentialDocument, { refetchQueries: [CredentialsDocument] });
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const description = String(data.get('description') ?? '').trim();
        const input = {
          key: String(data.get('key')),
          value: String(data.get('value')),
          ...(description ? { description } : {}),
        };
        const result = await put({ variables: { orgId, input } }).catch(() => undefined);
        if (result?.data) form.reset();
      }}
    >
      <label>
        Name <input name="key" required maxLength={128} placeholder="OPENAI_API_KEY" autoComplete="off" />
      </label>
      <label>
        Value <input name="value" type="password" required autoComplete="new-password" />
      </label>
      <label>
        Description <input name="description" maxLength={500} />
      </label>
      <button type="submit" className="primary" disabled={loading}>
        Save credential
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function RevealButton({ credentialKey }: { credentialKey: string }) {
  const { orgId } = useOrg();
  const client = useApolloClient();
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (value !== null)
    return (
      <>
        <SecretValue label={credentialKey} value={value} />
        <button type="button" onClick={() => setValue(null)}>
          Hide
        </button>
      </>
    );
  return (
    <>
      <ConfirmButton
        label="Reveal"
        ariaLabel={`Reveal ${credentialKey}`}
        title={`Reveal ${credentialKey}?`}
        confirmLabel="Reveal value"
        onConfirm={async () => {
          setError(null);
          // Never cached: the value lives in this component only while shown.
          const answer = await client
            .query({
              query: RevealCredentialDocument,
              variables: { orgId, key: credentialKey },
              fetchPolicy: 'no-cache',
            })
            .catch((e: unknown) => ({ data: undefined, error: e }));
          if (answer.data) setValue(answer.data.credential.value);
          else setError(answer.error);
        }}
      >
        The value is shown on this screen, and the read is recorded in the audit trail.
      </ConfirmButton>
      <ErrorNote error={error} />
    </>
  );
}

export function VaultPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = useCredentials(orgId);
  const [remove, removed] = useMutation(DeleteCredentialDocument, { refetchQueries: [CredentialsDocument] });
  const writable = can('credentials:write');
  const revealable = can('credentials:reveal');
  return (
    <>
      <h1>Vault</h1>
      <p className="muted">
        Secrets jobs, pipeline nodes and AI providers ask for by name. Values are sealed at rest and never listed.
      </p>
      {writable && <PutCredentialForm />}
      {!data ? (
        loading ? (
          <Loading what="credentials" />
        ) : (
          <ErrorNote error={error} />
        )
      ) : data.credentials.length === 0 ? (
        <Empty>
          No credentials.{' '}
          {writable ? 'Save one above: its name is what jobs and nodes ask for.' : 'An admin can add them.'}
        </Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Credentials</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Updated</th>
              <th scope="col">Last read</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.credentials.map((c) => (
              <tr key={c.key} data-testid={`credential-${c.key}`}>
                <td>
                  <code>{c.key}</code>
                </td>
                <td>{c.description ?? '—'}</td>
                <td>
                  {when(c.updatedAt)}
                  {c.updatedBy && <div className="muted">by {c.updatedBy}</div>}
                </td>
                <td>{c.lastAccessedAt ? when(c.lastAccessedAt) : 'never'}</td>
                <td>
                  <div className="actions">
                    {revealable && <RevealButton credentialKey={c.key} />}
                    {writable && (
                      <ConfirmButton
                        label="Delete"
                        ariaLabel={`Delete ${c.key}`}
                        title={`Delete ${c.key}?`}
                        confirmLabel="Delete credential"
                        danger
                        onConfirm={() => remove({ variables: { orgId, key: c.key } }).catch(() => undefined)}
                      >
                        Jobs and nodes that ask for {c.key} will no longer receive it.
                      </ConfirmButton>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={removed.error} />
    </>
  );
}
