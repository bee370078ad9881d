/** Calls waiting for a person: approve or deny (with an optional note); decided ones below. Live. */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { usd, when } from '../format.ts';
import {
  ApprovalsDocument,
  type ApprovalsQuery,
  ApproveApprovalDocument,
  DenyApprovalDocument,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

type Approval = ApprovalsQuery['approvals']['items'][number];

function useApprovals(orgId: string, status: 'PENDING' | null) {
  const result = useQuery(ApprovalsDocument, { variables: { orgId, status } });
  useRefetchOnEvents(orgId, ['approval.*'], result.refetch);
  return result;
}

function Decide({ approval }: { approval: Approval }) {
  const { orgId } = useOrg();
  const [note, setNote] = useState('');
  const options = { refetchQueries: [ApprovalsDocument] };
  const [approve, approved] = useMutation(ApproveApprovalDocument, options);
  const [deny, denied] = useMutation(DenyApprovalDocument, options);
  const variables = { id: approval.id, orgId, note: note || null };
  return (
    <div className="actions">
      <label>
        <span className="visually-hidden">Note for {approval.id}</span>
        <input placeholder="note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="button" className="primary" onClick={() => approve({ variables }).catch(() => undefined)}>
        Approve
      </button>
      <button type="button" className="danger" onClick={() => deny({ variables }).catch(() => undefined)}>
        Deny
      </button>
      <ErrorNote error={approved.error ?? denied.error} />
    </div>
  );
}

function ApprovalTable({ items, decide }: { items: Approval[]; decide: boolean }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Requested</th>
          <th scope="col">Amount</th>
          <th scope="col">Model</th>
          <th scope="col">Status</th>
          <th scope="col">{decide ? 'Decision' : 'Decided'}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((a) => (
          <tr key={a.id}>
            <td>
              {when(a.createdAt)}
              <div className="muted">by {a.requestedBy ?? '—'}</div>
            </td>
            <td>{usd(a.amountMicros)}</td>
            <td>{a.model ?? '—'}</td>
            <td>{a.status}</td>
            <td>
              {decide ? (
                <Decide approval={a} />
              ) : (
                `${when(a.decidedAt)}${a.decidedBy ? ` by ${a.decidedBy}` : ''}${a.note ? ` — ${a.note}` : ''}`
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ApprovalsPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = useApprovals(orgId, null);
  if (!data) return loading ? <Loading what="approvals" /> : <ErrorNote error={error} />;
  const pending = data.approvals.items.filter((a) => a.status === 'PENDING');
  const decided = data.approvals.items.filter((a) => a.status !== 'PENDING');
  return (
    <>
      <h1>Approvals</h1>
      <section className="card" aria-labelledby="pending-title">
        <h2 id="pending-title">Waiting ({pending.length})</h2>
        {pending.length === 0 ? (
          <Empty>Nothing waiting. Calls matched by a REQUIRE_APPROVAL policy appear here.</Empty>
        ) : (
          <ApprovalTable items={pending} decide={can('approvals:write')} />
        )}
      </section>
      <section className="card" aria-labelledby="decided-title">
        <h2 id="decided-title">Decided</h2>
        {decided.length === 0 ? <Empty>No decisions yet.</Empty> : <ApprovalTable items={decided} decide={false} />}
      </section>
    </>
  );
}
