/** A transition log: events of one object, oldest first, with the status and reason they carry. */

import { when } from '../format.ts';
import type { EventRowFieldsFragment } from '../generated/operations.ts';
import { Empty } from './states.tsx';

function detailOf(data: unknown): string {
  if (!data || typeof data !== 'object') return '';
  const d = data as Record<string, unknown>;
  const parts = [d.replicaId && `replica ${d.replicaId}`, d.statusReason, d.message, d.nodeId && `node ${d.nodeId}`];
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' · ');
}

export function TransitionLog({ label, events }: { label: string; events: EventRowFieldsFragment[] }) {
  if (events.length === 0) return <Empty>No transitions recorded yet.</Empty>;
  const oldestFirst = [...events].sort((a, b) => a.seq - b.seq);
  return (
    <ol className="transitions" aria-label={label}>
      {oldestFirst.map((e) => (
        <li key={e.id}>
          <time dateTime={e.occurredAt}>{when(e.occurredAt)}</time> <strong>{e.type}</strong>{' '}
          <span className="muted">{detailOf(e.data)}</span>
        </li>
      ))}
    </ol>
  );
}
