/**
 * Workflows: budgets, pause/resume/kill (each asks first), recent executions. Status changes arrive
 * live through `workflowStateChanged`, which carries the workflow itself, so the cache updates
 * without a refetch.
 */
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { BudgetMeter } from '../components/charts.tsx';
import { ConfirmButton } from '../components/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { duration, parseUsd, usd, when } from '../format.ts';
import {
  CreateWorkflowDocument,
  ExecutionsDocument,
  KillWorkflowDocument,
  PauseWorkflowDocument,
  ResumeWorkflowDocument,
  UpdateWorkflowBudgetDocument,
  type WorkflowCardFieldsFragment,
  WorkflowStateChangedDocument,
  WorkflowsDocument,
} from '../generated/operations.ts';
import { useOrg } from '../org.tsx';

function useWorkflows(orgId: string) {
  const result = useQuery(WorkflowsDocument, { variables: { orgId } });
  useSubscription(WorkflowStateChangedDocument, {
    variables: { orgId },
    // A created workflow is new to the list; other changes update the cached workflow in place.
    onData: ({ data }) => {
      if (data.data?.workflowStateChanged.action === 'created') void result.refetch().catch(() => undefined);
    },
  });
  return result;
}

function CreateWorkflowForm() {
  const { orgId } = useOrg();
  const [formError, setFormError] = useState<unknown>(null);
  const [create, { loading, error }] = useMutation(CreateWorkflowDocument, { refetchQueries: [WorkflowsDocument] });
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        try {
          setFormError(null);
          const budgetMicros = parseUsd(String(data.get('budget') ?? ''));
          const period = String(data.get('period') ?? 'NONE') as 'NONE' | 'DAILY' | 'MONTHLY';
          const name = String(data.get('name') ?? '');
          const result = await create({ variables: { orgId, input: { name, budgetMicros, budgetPeriod: period } } });
          if (result.data) form.reset();
        } catch (e) {
          setFormError(e);
        }
      }}
    >
      <label>
        Name <input name="name" required maxLength={100} />
      </label>
      <label>
        Budget (USD) <input name="budget" inputMode="decimal" placeholder="unlimited" />
      </label>
      <label>
        Renews
        <select name="period" defaultValue="NONE">
          <option value="NONE">never</option>
          <option value="DAILY">daily</option>
          <option value="MONTHLY">monthly</option>
        </select>
      </label>
      <button type="submit" className="primary" disabled={loading}>
        Create workflow
      </button>
      <ErrorNote error={formError ?? error} />
    </form>
  );
}

function BudgetEditor({ workflow }: { workflow: WorkflowCardFieldsFragment }) {
  const { orgId } = useOrg();
  const [formError, setFormError] = useState<unknown>(null);
  const [update, { loading }] = useMutation(UpdateWorkflowBudgetDocument);
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          setFormError(null);
          const budgetMicros = parseUsd(String(new FormData(event.currentTarget).get('budget') ?? ''));
          await update({ variables: { id: workflow.id, orgId, input: { budgetMicros } } });
        } catch (e) {
          setFormError(e);
        }
      }}
    >
      <label>
        Budget (USD)
        <input
          name="budget"
          inputMode="decimal"
          defaultValue={workflow.budgetMicros == null ? '' : String(workflow.budgetMicros / 1_000_000)}
        />
      </label>
      <button type="submit" disabled={loading}>
        Save budget
      </button>
      <ErrorNote error={formError} />
    </form>
  );
}

function WorkflowActions({ workflow }: { workflow: WorkflowCardFieldsFragment }) {
  const { orgId } = useOrg();
  const variables = { id: workflow.id, orgId };
  const [pause, paused] = useMutation(PauseWorkflowDocument);
  const [resume, resumed] = useMutation(ResumeWorkflowDocument);
  const [kill, killed] = useMutation(KillWorkflowDocument);
  if (workflow.status === 'KILLED') return null;
  return (
    <div className="actions">
      {workflow.status === 'ACTIVE' ? (
        <ConfirmButton
          label="Pause"
          ariaLabel={`Pause ${workflow.name}`}
          title={`Pause ${workflow.name}?`}
          confirmLabel="Pause"
          onConfirm={() => pause({ variables }).catch(() => undefined)}
        >
          Calls of this workflow are denied until it is resumed.
        </ConfirmButton>
      ) : (
        <ConfirmButton
          label="Resume"
          ariaLabel={`Resume ${workflow.name}`}
          title={`Resume ${workflow.name}?`}
          confirmLabel="Resume"
          onConfirm={() => resume({ variables }).catch(() => undefined)}
        >
          Calls of this workflow are allowed again, within its budget.
        </ConfirmButton>
      )}
      <ConfirmButton
        label="Kill"
        ariaLabel={`Kill ${workflow.name}`}
        title={`Kill ${workflow.name}?`}
        confirmLabel="Kill workflow"
        danger
        onConfirm={() => kill({ variables }).catch(() => undefined)}
      >
        Killing is permanent: every call of this workflow is denied and it cannot be resumed.
      </ConfirmButton>
      <ErrorNote error={paused.error ?? resumed.error ?? killed.error} />
    </div>
  );
}

function Executions({ workflowId }: { workflowId: string }) {
  const { orgId } = useOrg();
  const { data, error, loading } = useQuery(ExecutionsDocument, { variables: { orgId, workflowId } });
  if (!data) return loading ? <Loading what="executions" /> : <ErrorNote error={error} />;
  const items = data.executions.items;
  if (items.length === 0) return <Empty>No executions yet for this workflow.</Empty>;
  return (
    <table>
      <caption>Recent executions</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Model</th>
          <th scope="col">Decision</th>
          <th scope="col">Status</th>
          <th scope="col">Cost</th>
          <th scope="col">Tokens</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id}>
            <td>{when(e.createdAt)}</td>
            <td>{e.model ?? '—'}</td>
            <td>{e.decision}</td>
            <td>{e.status}</td>
            <td>{usd(e.actualCostMicros ?? e.estimatedCostMicros)}</td>
            <td>{e.inputTokens != null ? `${e.inputTokens} / ${e.outputTokens ?? 0}` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function WorkflowCard({ workflow }: { workflow: WorkflowCardFieldsFragment }) {
  const { can } = useOrg();
  const [open, setOpen] = useState(false);
  return (
    <li className="card" data-testid={`workflow-${workflow.name}`}>
      <div className="row">
        <h2>{workflow.name}</h2>
        <span className={`status ${workflow.status.toLowerCase()}`} data-testid="workflow-status">
          {workflow.status}
        </span>
      </div>
      {workflow.statusReason && <p className="muted">{workflow.statusReason}</p>}
      <p>
        {usd(workflow.spentMicros)} spent of {usd(workflow.budgetMicros)}
        {workflow.budgetPeriod !== 'NONE' && ` (renews ${workflow.budgetPeriod.toLowerCase()})`} · burn{' '}
        {usd(workflow.burnRateMicrosPerHour)} / h ·{' '}
        {workflow.timeToExhaustionSeconds == null
          ? 'no exhaustion at this rate'
          : `exhausted in ${duration(workflow.timeToExhaustionSeconds)}`}
      </p>
      <BudgetMeter
        spent={workflow.spentMicros}
        budget={workflow.budgetMicros ?? null}
        label={`${workflow.name} budget`}
      />
      {can('workflows:write') && workflow.status !== 'KILLED' && <BudgetEditor workflow={workflow} />}
      {can('workflows:write') && <WorkflowActions workflow={workflow} />}
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide executions' : 'Show executions'}
      </button>
      {open && <Executions workflowId={workflow.id} />}
    </li>
  );
}

export function WorkflowsPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = useWorkflows(orgId);
  return (
    <>
      <h1>Workflows</h1>
      {can('workflows:write') && <CreateWorkflowForm />}
      {!data ? (
        loading ? (
          <Loading what="workflows" />
        ) : (
          <ErrorNote error={error} />
        )
      ) : data.workflows.items.length === 0 ? (
        <Empty>No workflows yet. A workflow groups calls under one budget; API keys can be bound to one.</Empty>
      ) : (
        <ul className="cards">
          {data.workflows.items.map((w) => (
            <WorkflowCard key={w.id} workflow={w} />
          ))}
        </ul>
      )}
    </>
  );
}
