/** API keys: mint with scopes (key and signing secret shown once, with copy), roll, revoke, usage. */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '../components/confirm.tsx';
import { SecretValue } from '../components/copy.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { when } from '../format.ts';
import {
  type ApiKeyRowFieldsFragment,
  ApiKeysDocument,
  CreateApiKeyDocument,
  RevokeApiKeyDocument,
  RollApiKeyDocument,
} from '../generated/operations.ts';
import { useOrg } from '../org.tsx';

/** The resources a key's scopes name (docs/authorization.md); `*` is every one. */
const RESOURCES = ['workflows', 'executions', 'policies', 'approvals', 'alerts', 'events', 'compute', 'billing'];

interface Minted {
  key: string;
  signingSecret: string;
  name: string;
}

function useApiKeys(orgId: string) {
  return useQuery(ApiKeysDocument, { variables: { orgId } });
}

function ShownOnce({ minted, onDone }: { minted: Minted; onDone(): void }) {
  return (
    <section className="card notice" aria-labelledby="minted-title">
      <h2 id="minted-title">Key “{minted.name}” — copy it now</h2>
      <p>This is the only time the key and its signing secret are shown. Store them in your secret manager.</p>
      <SecretValue label="API key" value={minted.key} />
      <SecretValue label="Signing secret" value={minted.signingSecret} />
      <button type="button" onClick={onDone}>
        I have stored them
      </button>
    </section>
  );
}

function CreateKeyForm({ onMinted }: { onMinted(minted: Minted): void }) {
  const { orgId } = useOrg();
  const [create, { loading, error }] = useMutation(CreateApiKeyDocument, { refetchQueries: [ApiKeysDocument] });
  return (
    <form
      className="card"
      aria-labelledby="create-key-title"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const name = String(data.get('name') ?? '');
        const access = String(data.get('access') ?? 'write');
        const picked = data.getAll('resource').map(String);
        const scopes = picked.length === 0 ? ['*'] : picked.map((r) => `${r}:${access}`);
        const result = await create({ variables: { input: { orgId, name, scopes } } }).catch(() => undefined);
        if (result?.data) {
          onMinted({ ...result.data.createApiKey, name });
          form.reset();
        }
      }}
    >
      <h2 id="create-key-title">Create a key</h2>
      <label>
        Name <input name="name" required maxLength={100} />
      </label>
      <fieldset>
        <legend>Scopes (none ticked: every resource)</legend>
        {RESOURCES.map((resource) => (
          <label key={resource} className="check">
            <input type="checkbox" name="resource" value={resource} /> {resource}
          </label>
        ))}
      </fieldset>
      <label>
        Access
        <select name="access" defaultValue="write">
          <option value="read">read</option>
          <option value="write">read and write</option>
        </select>
      </label>
      <ErrorNote error={error} />
      <button type="submit" className="primary" disabled={loading}>
        Create key
      </button>
    </form>
  );
}

function KeyRow({ apiKey, onMinted }: { apiKey: ApiKeyRowFieldsFragment; onMinted(minted: Minted): void }) {
  const { orgId, can } = useOrg();
  const [roll, rolled] = useMutation(RollApiKeyDocument);
  const [revoke, revoked] = useMutation(RevokeApiKeyDocument);
  const week = apiKey.usage.reduce((sum, day) => sum + day.requests, 0);
  const live = apiKey.status === 'ACTIVE' || apiKey.status === 'DISABLED';
  return (
    <tr>
      <td>{apiKey.name}</td>
      <td>
        <code>{apiKey.prefix}…</code>
      </td>
      <td>{apiKey.scopes.join(', ')}</td>
      <td>{apiKey.status}</td>
      <td>
        {week} this week · {apiKey.usageCount} total
      </td>
      <td>{when(apiKey.lastUsedAt)}</td>
      <td>
        {can('api_keys:write') && live && (
          <div className="actions">
            <ConfirmButton
              label="Roll"
              ariaLabel={`Roll ${apiKey.name}`}
              title={`Roll ${apiKey.name}?`}
              confirmLabel="Roll key"
              onConfirm={async () => {
                const result = await roll({ variables: { id: apiKey.id, orgId } }).catch(() => undefined);
                if (result?.data) onMinted({ ...result.data.rollApiKey, name: apiKey.name });
              }}
            >
              A new key and signing secret replace the old ones at once: the old key stops working now.
            </ConfirmButton>
            <ConfirmButton
              label="Revoke"
              ariaLabel={`Revoke ${apiKey.name}`}
              title={`Revoke ${apiKey.name}?`}
              confirmLabel="Revoke key"
              danger
              onConfirm={() => revoke({ variables: { id: apiKey.id, orgId } }).catch(() => undefined)}
            >
              Revoking is permanent: every request with this key is refused from now on.
            </ConfirmButton>
            <ErrorNote error={rolled.error ?? revoked.error} />
          </div>
        )}
      </td>
    </tr>
  );
}

export function ApiKeysPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = useApiKeys(orgId);
  const [minted, setMinted] = useState<Minted | null>(null);
  return (
    <>
      <h1>API keys</h1>
      {minted && <ShownOnce minted={minted} onDone={() => setMinted(null)} />}
      {can('api_keys:write') && !minted && <CreateKeyForm onMinted={setMinted} />}
      {!data ? (
        loading ? (
          <Loading what="API keys" />
        ) : (
          <ErrorNote error={error} />
        )
      ) : data.apiKeys.items.length === 0 ? (
        <Empty>No API keys yet. Create one for each service that calls Trellis.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Status</th>
              <th scope="col">Requests</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.apiKeys.items.map((k) => (
              <KeyRow key={k.id} apiKey={k} onMinted={setMinted} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
