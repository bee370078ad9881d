/**
 * Pipeline runs: the definitions, the recent runs, and one run's DAG drawn from its definition's
 * nodes (`dependsOn`, and a condition's `onTrue`/`onFalse` branches) as SVG, each node coloured by
 * its execution state, refetched on each of the run's events (`runEvents`, resumed from the event
 * sequence read before the run, so no transition between the two is missed). A waiting approval gate
 * can be approved or denied from its node; a run that has not finished can be cancelled. A node that
 * cost something (a provider node's model call) shows its cost, and a provider node its model and
 * tokens; the run shows its spend.
 */
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '../components/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { usdExact, when } from '../format.ts';
import {
  ApproveApprovalDocument,
  CancelRunDocument,
  DenyApprovalDocument,
  PipelineDefinitionDocument,
  PipelineRunDocument,
  type PipelineRunQuery,
  PipelinesDocument,
  RunEventsDocument,
} from '../generated/operations.ts';
import { useRefetchOnEvents, useResumeCursor } from '../live.ts';
import { useOrg } from '../org.tsx';

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

interface DagNode {
  id: string;
  type: string;
  column: number;
  row: number;
}
interface Dag {
  nodes: DagNode[];
  edges: [string, string][];
  columns: number;
  rows: number;
}

/** Columns by longest path from a root (the definition was validated acyclic); rows in definition order. */
export function layoutDag(definition: unknown): Dag {
  const list = Array.isArray(definition) ? (definition as Record<string, unknown>[]) : [];
  const ids = new Set(list.map((n) => String(n.id)));
  const edges = new Map<string, [string, string]>();
  for (const node of list) {
    const to = String(node.id);
    for (const from of Array.isArray(node.dependsOn) ? node.dependsOn : [])
      edges.set(`${from}>${to}`, [String(from), to]);
    for (const branch of ['onTrue', 'onFalse']) {
      const targets = node[branch];
      for (const target of Array.isArray(targets) ? targets : targets ? [targets] : [])
        edges.set(`${to}>${target}`, [to, String(target)]);
    }
  }
  const valid = [...edges.values()].filter(([a, b]) => ids.has(a) && ids.has(b));
  const column = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const known = column.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const parents = valid.filter(([, b]) => b === id).map(([a]) => depth(a, seen) + 1);
    const value = Math.max(0, ...parents);
    column.set(id, value);
    return value;
  };
  const perColumn: number[] = [];
  const nodes = list.map((n) => {
    const id = String(n.id);
    const col = depth(id, new Set());
    const row = perColumn[col] ?? 0;
    perColumn[col] = row + 1;
    return { id, type: String(n.type), column: col, row };
  });
  return { nodes, edges: valid, columns: perColumn.length, rows: Math.max(1, ...perColumn) };
}

type NodeExecution = NonNullable<PipelineRunQuery['workflowRun']>['nodes'][number];

/** A node's model call and cost, for its box: `gpt-4o-mini · 12/6 tokens · $0.000024` (empty when neither). */
export function nodeUsage(execution: NodeExecution | undefined): string {
  if (!execution) return '';
  const out = (execution.output ?? {}) as {
    model?: unknown;
    usage?: { inputTokens?: unknown; outputTokens?: unknown };
  };
  const parts: string[] = [];
  if (execution.type === 'provider' && typeof out.model === 'string') parts.push(out.model);
  if (execution.type === 'provider' && out.usage)
    parts.push(`${Number(out.usage.inputTokens ?? 0)}/${Number(out.usage.outputTokens ?? 0)} tokens`);
  if (execution.costMicros > 0 || parts.length > 0) parts.push(usdExact(execution.costMicros));
  return parts.join(' · ');
}

const W = 270;
const H = 64;
const GAP_X = 60;
const GAP_Y = 24;

function RunDag({ dag, executions }: { dag: Dag; executions: Map<string, NodeExecution> }) {
  const at = new Map(dag.nodes.map((n) => [n.id, { x: n.column * (W + GAP_X) + 8, y: n.row * (H + GAP_Y) + 8 }]));
  const width = dag.columns * (W + GAP_X) - GAP_X + 16;
  const height = dag.rows * (H + GAP_Y) - GAP_Y + 16;
  return (
    <svg
      className="dag"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label="Run graph"
    >
      <title>Run graph: each node with its state</title>
      {dag.edges.map(([from, to]) => {
        const a = at.get(from);
        const b = at.get(to);
        if (!a || !b) return null;
        return <line key={`${from}>${to}`} className="edge" x1={a.x + W} y1={a.y + H / 2} x2={b.x} y2={b.y + H / 2} />;
      })}
      {dag.nodes.map((n) => {
        const p = at.get(n.id) as { x: number; y: number };
        const execution = executions.get(n.id);
        const state = execution?.status ?? 'pending';
        const usage = nodeUsage(execution);
        return (
          <g key={n.id} className={`node ${state}`} data-testid={`dag-node-${n.id}`} data-state={state}>
            <rect x={p.x} y={p.y} width={W} height={H} rx={6} />
            <text x={p.x + 8} y={p.y + 19}>
              {n.id}
            </text>
            <text x={p.x + 8} y={p.y + 38} className="sub">
              {n.type} · {state}
            </text>
            {usage && (
              <text x={p.x + 8} y={p.y + 56} className="sub" data-testid={`dag-usage-${n.id}`}>
                {usage}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

type Approval = PipelineRunQuery['approvals']['items'][number];

function GateButtons({ approval, refetch }: { approval: Approval; refetch: () => unknown }) {
  const { orgId } = useOrg();
  const variables = { id: approval.id, orgId };
  const [approve, approved] = useMutation(ApproveApprovalDocument, {
    onCompleted: () => void Promise.resolve(refetch()).catch(() => undefined),
  });
  const [deny, denied] = useMutation(DenyApprovalDocument, {
    onCompleted: () => void Promise.resolve(refetch()).catch(() => undefined),
  });
  return (
    <div className="actions">
      <span>Gate {approval.nodeId} waits for a decision:</span>
      <button
        type="button"
        className="primary"
        aria-label={`Approve gate ${approval.nodeId}`}
        onClick={() => approve({ variables }).catch(() => undefined)}
      >
        Approve
      </button>
      <button
        type="button"
        className="danger"
        aria-label={`Deny gate ${approval.nodeId}`}
        onClick={() => deny({ variables }).catch(() => undefined)}
      >
        Deny
      </button>
      <ErrorNote error={approved.error ?? denied.error} />
    </div>
  );
}

function RunDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { orgId, can } = useOrg();
  const cursor = useResumeCursor(orgId);
  const run = useQuery(PipelineRunDocument, { variables: { id, orgId }, skip: cursor.since === undefined });
  useSubscription(RunEventsDocument, {
    variables: { runId: id, orgId, since: cursor.since },
    skip: cursor.since === undefined,
    onData: () => void run.refetch().catch(() => undefined),
  });
  const detail = run.data?.workflowRun;
  const definition = useQuery(PipelineDefinitionDocument, {
    variables: { id: detail?.definitionId ?? '', version: detail?.definitionVersion },
    skip: !detail,
  });
  const [cancel, cancelled] = useMutation(CancelRunDocument);
  const gates = (run.data?.approvals.items ?? []).filter((a) => a.runId === id);
  const executions = new Map((detail?.nodes ?? []).map((n) => [n.nodeId, n]));
  const nodes = definition.data?.workflowDefinition?.nodes;
  return (
    <section className="card" aria-labelledby="run-title" data-testid="run-detail">
      <h2 id="run-title">
        Run {id} {definition.data?.workflowDefinition && `of ${definition.data.workflowDefinition.name}`}
      </h2>
      <button type="button" onClick={onClose}>
        Close
      </button>
      {!detail ? (
        run.error || cursor.error ? (
          <ErrorNote error={run.error ?? cursor.error} />
        ) : (
          <Loading what="the run" />
        )
      ) : (
        <>
          <p>
            Status <strong data-testid="run-status">{detail.status}</strong>
            {detail.statusReason && <span className="muted"> ({detail.statusReason})</span>}
            {detail.error && <span className="error"> {detail.error}</span>} · spend{' '}
            <strong data-testid="run-spend">{usdExact(detail.spendMicros)}</strong>
          </p>
          {nodes ? <RunDag dag={layoutDag(nodes)} executions={executions} /> : <ErrorNote error={definition.error} />}
          {can('approvals:write') && gates.map((g) => <GateButtons key={g.id} approval={g} refetch={run.refetch} />)}
          {can('compute:write') && !FINISHED.has(detail.status) && (
            <ConfirmButton
              label="Cancel run"
              ariaLabel={`Cancel run ${id}`}
              title={`Cancel run ${id}?`}
              confirmLabel="Cancel run"
              danger
              onConfirm={() => cancel({ variables: { id } }).catch(() => undefined)}
            >
              Nodes that have not finished stop; the run ends as cancelled.
            </ConfirmButton>
          )}
          <ErrorNote error={cancelled.error} />
        </>
      )}
    </section>
  );
}

export function PipelinesPage() {
  const { orgId } = useOrg();
  const [selected, setSelected] = useState<string | null>(null);
  const { data, error, loading, refetch } = useQuery(PipelinesDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, ['run.*'], refetch);
  return (
    <>
      <h1>Pipeline runs</h1>
      {selected && <RunDetail key={selected} id={selected} onClose={() => setSelected(null)} />}
      {!data ? (
        loading ? (
          <Loading what="pipelines" />
        ) : (
          <ErrorNote error={error} />
        )
      ) : (
        <>
          <section className="card" aria-labelledby="runs-title">
            <h2 id="runs-title">Runs</h2>
            {data.workflowRuns.items.length === 0 ? (
              <Empty>
                No runs yet. Start one with startWorkflowDefinition or POST /v1/workflow-definitions/{'{id}'}/start.
              </Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Definition</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.workflowRuns.items.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <button type="button" className="link" onClick={() => setSelected(r.id)}>
                          {r.id}
                        </button>
                      </td>
                      <td>
                        {data.workflowDefinitions.items.find((d) => d.id === r.definitionId)?.name ?? r.definitionId} v
                        {r.definitionVersion}
                      </td>
                      <td>{r.status}</td>
                      <td>{when(r.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card" aria-labelledby="definitions-title">
            <h2 id="definitions-title">Definitions</h2>
            {data.workflowDefinitions.items.length === 0 ? (
              <Empty>No definitions. Create one with createWorkflowDefinition (docs/pipelines.md).</Empty>
            ) : (
              <ul>
                {data.workflowDefinitions.items.map((d) => (
                  <li key={d.id}>
                    <strong>{d.name}</strong> v{d.version}
                    {d.description && ` — ${d.description}`}
                    {d.approvalGates.length > 0 && (
                      <span className="muted"> · gates: {d.approvalGates.join(', ')}</span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
