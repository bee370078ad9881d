/**
 * The event log and the audit trail (changes made by people and keys), filtered by type or
 * action; "Live" prepends new events as they happen (the org's event subscription).
 */
import { useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { when } from '../format.ts';
import {
  AuditLogDocument,
  EventLogDocument,
  type EventRowFieldsFragment,
  EventTailDocument,
} from '../generated/operations.ts';
import { useOrg } from '../org.tsx';

type View = 'events' | 'audit';

/** `workflow.*` or exact types, comma-separated, as the API takes them. */
function typesOf(filter: string): string[] | null {
  const types = filter
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return types.length ? types : null;
}

function useEventLog(orgId: string, view: View, filter: string, live: boolean) {
  const types = typesOf(filter);
  const events = useQuery(EventLogDocument, {
    variables: { orgId, filter: types ? { types } : null },
    skip: view !== 'events',
  });
  const audit = useQuery(AuditLogDocument, {
    variables: { orgId, action: filter.trim() || null },
    skip: view !== 'audit',
  });
  const [tail, setTail] = useState<EventRowFieldsFragment[]>([]);
  useSubscription(EventTailDocument, {
    variables: { orgId, types },
    skip: !live || view !== 'events',
    onData: ({ data }) => {
      const event = data.data?.events;
      if (event) setTail((previous) => [event, ...previous].slice(0, 200));
    },
  });
  const result = view === 'events' ? events : audit;
  const loaded = view === 'events' ? (events.data?.events.items ?? null) : (audit.data?.auditLog.items ?? null);
  const seen = new Set(tail.map((e) => e.id));
  const items = loaded ? [...tail, ...loaded.filter((e) => !seen.has(e.id))] : null;
  return { items, error: result.error, loading: result.loading, clearTail: () => setTail([]) };
}

function EventRow({ event }: { event: EventRowFieldsFragment }) {
  const [open, setOpen] = useState(false);
  return (
    <tr>
      <td>{when(event.occurredAt)}</td>
      <td>
        <code>{event.type}</code>
      </td>
      <td>{event.actor ? `${event.actor.type} ${event.actor.id}` : '—'}</td>
      <td>{event.subject ? `${event.subject.type} ${event.subject.id}` : '—'}</td>
      <td>
        <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide data' : 'Data'}
        </button>
        {open && <pre className="data">{JSON.stringify(event.data, null, 2)}</pre>}
      </td>
    </tr>
  );
}

export function EventsPage() {
  const { orgId, can } = useOrg();
  const [view, setView] = useState<View>('events');
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [live, setLive] = useState(true);
  const { items, error, loading, clearTail } = useEventLog(orgId, view, applied, live);
  return (
    <>
      <h1>Events</h1>
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          clearTail();
          setApplied(filter);
        }}
      >
        <label>
          Show
          <select value={view} onChange={(e) => setView(e.target.value as View)}>
            <option value="events">Event log</option>
            {can('audit:read') && <option value="audit">Audit trail</option>}
          </select>
        </label>
        <label>
          {view === 'events' ? 'Types (e.g. workflow.*, api_key.created)' : 'Action (e.g. api_key.*)'}
          <input value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
        <button type="submit">Filter</button>
        {view === 'events' && (
          <label className="check">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live
          </label>
        )}
      </form>
      <ErrorNote error={error} />
      {!items ? (
        loading && <Loading what="events" />
      ) : items.length === 0 ? (
        <Empty>No events match. Every change in the organization is recorded here.</Empty>
      ) : (
        <table aria-live="polite">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Type</th>
              <th scope="col">Actor</th>
              <th scope="col">Subject</th>
              <th scope="col">
                <span className="visually-hidden">Data</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <EventRow key={e.id} event={e} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
