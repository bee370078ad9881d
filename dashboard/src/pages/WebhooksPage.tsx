/** Webhooks: create (signing secret shown once), enable/disable, delete, recent deliveries and retry state. */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '../components/confirm.tsx';
import { SecretValue } from '../components/copy.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { when } from '../format.ts';
import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  ToggleWebhookDocument,
  type WebhookCardFieldsFragment,
  WebhooksDocument,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

function useWebhooks(orgId: string) {
  const result = useQuery(WebhooksDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, ['webhook.*'], result.refetch);
  return result;
}

function CreateWebhookForm({ onSecret }: { onSecret(secret: string): void }) {
  const { orgId } = useOrg();
  const [create, { error, loading }] = useMutation(CreateWebhookDocument, { refetchQueries: [WebhooksDocument] });
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const events = String(data.get('events') ?? '')
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean);
        const input = { name: String(data.get('name')), url: String(data.get('url')), events };
        const result = await create({ variables: { orgId, input } }).catch(() => undefined);
        if (result?.data) {
          onSecret(result.data.createWebhook.secret);
          form.reset();
        }
      }}
    >
      <label>
        Name <input name="name" required maxLength={100} />
      </label>
      <label>
        URL <input name="url" type="url" required placeholder="https://example.com/hooks/trellis" />
      </label>
      <label>
        Events (empty: all) <input name="events" placeholder="workflow.*, alert.triggered" />
      </label>
      <button type="submit" className="primary" disabled={loading}>
        Create webhook
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function WebhookCard({ webhook }: { webhook: WebhookCardFieldsFragment }) {
  const { orgId, can } = useOrg();
  const [toggle, toggled] = useMutation(ToggleWebhookDocument);
  const [remove, removed] = useMutation(DeleteWebhookDocument, { refetchQueries: [WebhooksDocument] });
  const deliveries = webhook.deliveries.items;
  return (
    <li className="card">
      <div className="row">
        <h2>{webhook.name}</h2>
        <span className={`status ${webhook.enabled ? 'active' : 'paused'}`}>
          {webhook.enabled ? 'ENABLED' : 'DISABLED'}
        </span>
      </div>
      <p>
        <code>{webhook.url}</code> · {webhook.events.length ? webhook.events.join(', ') : 'all events'} · secret{' '}
        <code>{webhook.secretPrefix}…</code>
      </p>
      {webhook.disabledReason && <p className="error">{webhook.disabledReason}</p>}
      {webhook.consecutiveFailures > 0 && <p className="muted">{webhook.consecutiveFailures} failures in a row</p>}
      {can('webhooks:write') && (
        <div className="actions">
          <button
            type="button"
            onClick={() =>
              toggle({ variables: { orgId, id: webhook.id, enabled: !webhook.enabled } }).catch(() => undefined)
            }
          >
            {webhook.enabled ? 'Disable' : 'Enable'}
          </button>
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete ${webhook.name}`}
            title={`Delete ${webhook.name}?`}
            confirmLabel="Delete webhook"
            danger
            onConfirm={() => remove({ variables: { orgId, id: webhook.id } }).catch(() => undefined)}
          >
            Deliveries stop at once; pending retries are dropped.
          </ConfirmButton>
          <ErrorNote error={toggled.error ?? removed.error} />
        </div>
      )}
      {deliveries.length === 0 ? (
        <Empty>No deliveries yet.</Empty>
      ) : (
        <table>
          <caption>Recent deliveries</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Next retry</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.eventType}</code>
                  <div className="muted">{when(d.createdAt)}</div>
                </td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td>{d.lastStatusCode ?? d.lastError ?? '—'}</td>
                <td>{when(d.nextAttemptAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

export function WebhooksPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = useWebhooks(orgId);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <>
      <h1>Webhooks</h1>
      {secret && (
        <section className="card notice" aria-label="New webhook secret">
          <p>Verify deliveries with this signing secret. It is shown only now.</p>
          <SecretValue label="Webhook secret" value={secret} />
          <button type="button" onClick={() => setSecret(null)}>
            I have stored it
          </button>
        </section>
      )}
      {can('webhooks:write') && <CreateWebhookForm onSecret={setSecret} />}
      {!data ? (
        loading ? (
          <Loading what="webhooks" />
        ) : (
          <ErrorNote error={error} />
        )
      ) : data.webhooks.items.length === 0 ? (
        <Empty>No webhooks. Add one to receive signed event deliveries at your URL.</Empty>
      ) : (
        <ul className="cards">
          {data.webhooks.items.map((w) => (
            <WebhookCard key={w.id} webhook={w} />
          ))}
        </ul>
      )}
    </>
  );
}
