/**
 * Policies in first-match order (ascending priority, as governance evaluates them): drag a row, or
 * use its Move up / Move down buttons (keyboard), to reorder; enable/disable; templates on/off.
 */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { usd } from '../format.ts';
import {
  DisablePolicyTemplateDocument,
  EnablePolicyTemplateDocument,
  PoliciesDocument,
  type PolicyRowFieldsFragment,
  SetPolicyPriorityDocument,
  TogglePolicyDocument,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

type Policy = PolicyRowFieldsFragment;

function usePolicies(orgId: string) {
  const result = useQuery(PoliciesDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, ['policy.*', 'policy_template.*'], result.refetch);
  return result;
}

/**
 * The priorities that put `ordered` in that order, changing as few policies as possible: the moved
 * one takes a free value between its neighbours, or everything is renumbered by tens.
 */
export function prioritiesFor(ordered: Policy[], movedId: string): Map<string, number> {
  const index = ordered.findIndex((p) => p.id === movedId);
  const before = ordered[index - 1]?.priority;
  const after = ordered[index + 1]?.priority;
  let candidate: number | null = null;
  if (before === undefined && after !== undefined) candidate = after - 10;
  else if (after === undefined && before !== undefined) candidate = before + 10;
  else if (before !== undefined && after !== undefined && after - before >= 2)
    candidate = Math.floor((before + after) / 2);
  if (candidate !== null) return new Map([[movedId, candidate]]);
  const start = Math.min(0, ordered[0]?.priority ?? 0);
  return new Map(ordered.map((p, i) => [p.id, start + i * 10]));
}

function describeMatch(policy: Policy): string {
  const m = policy.match;
  const parts = [
    m.workflowIds.length ? `workflows ${m.workflowIds.join(', ')}` : '',
    m.models.length ? `models ${m.models.join(', ')}` : '',
    m.excludeModels.length ? `models other than ${m.excludeModels.join(', ')}` : '',
    m.providers.length ? `providers ${m.providers.join(', ')}` : '',
    m.tags.length ? `tags ${m.tags.join(', ')}` : '',
    m.minEstimatedCostMicros != null ? `estimated ≥ ${usd(m.minEstimatedCostMicros)}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'every call';
}

function PolicyList({ policies }: { policies: Policy[] }) {
  const { orgId, can } = useOrg();
  const writable = can('policies:write');
  const [dragged, setDragged] = useState<string | null>(null);
  const [setPriority, priorityChange] = useMutation(SetPolicyPriorityDocument, { refetchQueries: [PoliciesDocument] });
  const [toggle, toggled] = useMutation(TogglePolicyDocument);
  const ordered = [...policies].sort((a, b) => a.priority - b.priority);

  async function move(id: string, to: number) {
    const from = ordered.findIndex((p) => p.id === id);
    if (from === -1 || to < 0 || to >= ordered.length || from === to) return;
    const next = [...ordered];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved as Policy);
    const changes = prioritiesFor(next, id);
    for (const [policyId, priority] of changes) {
      const current = ordered.find((p) => p.id === policyId)?.priority;
      if (current !== priority)
        await setPriority({ variables: { orgId, id: policyId, priority } }).catch(() => undefined);
    }
  }

  return (
    <>
      <ErrorNote error={priorityChange.error ?? toggled.error} />
      <ol className="policies">
        {ordered.map((policy, index) => (
          <li
            key={policy.id}
            className={`card ${dragged === policy.id ? 'dragging' : ''}`}
            draggable={writable}
            onDragStart={() => setDragged(policy.id)}
            onDragEnd={() => setDragged(null)}
            onDragOver={(event) => writable && event.preventDefault()}
            onDrop={(event) => {
              event.preventDefault();
              if (dragged) void move(dragged, index);
              setDragged(null);
            }}
          >
            <div className="row">
              <h2>
                {index + 1}. {policy.name}
              </h2>
              <span className="muted">priority {policy.priority}</span>
            </div>
            <p>
              <strong>{policy.action}</strong> {describeMatch(policy)}
              {policy.maxCostMicros != null && ` · max ${usd(policy.maxCostMicros)} per call`}
              {!policy.enabled && ' · disabled'}
            </p>
            {writable && (
              <div className="actions">
                <button
                  type="button"
                  aria-label={`Move ${policy.name} up`}
                  disabled={index === 0}
                  onClick={() => move(policy.id, index - 1)}
                >
                  Move up
                </button>
                <button
                  type="button"
                  aria-label={`Move ${policy.name} down`}
                  disabled={index === ordered.length - 1}
                  onClick={() => move(policy.id, index + 1)}
                >
                  Move down
                </button>
                <button
                  type="button"
                  onClick={() =>
                    toggle({ variables: { policyId: policy.id, enabled: !policy.enabled } }).catch(() => undefined)
                  }
                >
                  {policy.enabled ? 'Disable' : 'Enable'}
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

export function PoliciesPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = usePolicies(orgId);
  const [enable, enabled] = useMutation(EnablePolicyTemplateDocument, { refetchQueries: [PoliciesDocument] });
  const [disable, disabled] = useMutation(DisablePolicyTemplateDocument, { refetchQueries: [PoliciesDocument] });
  if (!data) return loading ? <Loading what="policies" /> : <ErrorNote error={error} />;
  return (
    <>
      <h1>Policies</h1>
      <p className="muted">Evaluated top to bottom: the first policy that matches a call decides.</p>
      {data.policies.items.length === 0 ? (
        <Empty>No policies: every call within budget is allowed. Enable a template below to start.</Empty>
      ) : (
        <PolicyList policies={data.policies.items} />
      )}
      <section className="card" aria-labelledby="templates-title">
        <h2 id="templates-title">Templates</h2>
        <ErrorNote error={enabled.error ?? disabled.error} />
        <ul>
          {data.policyTemplates.map((t) => (
            <li key={t.id}>
              <strong>{t.name}</strong> — {t.description}{' '}
              {can('policies:write') && (
                <button
                  type="button"
                  aria-label={`${t.enabled ? 'Disable' : 'Enable'} template ${t.name}`}
                  onClick={() =>
                    (t.enabled ? disable : enable)({ variables: { orgId, templateId: t.id } }).catch(() => undefined)
                  }
                >
                  {t.enabled ? 'Disable' : 'Enable'}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
