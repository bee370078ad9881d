/**
 * Pipelines' `/v1` routes (routes.tsv rows of seeds 001/002 owned by compute; docs/pipelines.md): workflow
 * definitions and runs, triggers, schedules, agent sessions and debug breakpoints. Seed 002's
 * `/pipelines/:id` paths are served as `/v1/workflow-definitions/{id}`, `/runs/:runId` as
 * `/v1/workflow-runs/{id}`. The per-run event stream is the events subgraph's (routes/events.ts).
 */
import { isErrorCode, TrellisError } from '../../kernel/errors.ts';
import { envelope } from '../envelope.ts';
import { defineRoutes, type HandlerRoute } from '../route-table.ts';

const owner = 'compute';
/** A definition with its triggers (seed 002's describe: steps, triggers, approval gates). */
const DEFINITION = '...WorkflowDefinitionFields triggers { ...WorkflowTriggerFields }';
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** A synchronous run that did not finish in time answers 202 with the run (poll `GET /v1/workflow-runs/{id}`). */
const unfinished = (run: unknown) => !TERMINAL.has(String((run as { status?: unknown } | null)?.status));

const RECEIVE_WEBHOOK = /* GraphQL */ `
  mutation PipelinesReceiveWebhook($trigger: ID!, $messageId: String!, $timestamp: String!, $signature: String!, $payload: String!) {
    receiveWorkflowWebhook(trigger: $trigger, messageId: $messageId, timestamp: $timestamp, signature: $signature, payload: $payload) {
      id definitionId definitionVersion triggerId status createdAt
    }
  }
`;

const header = (value: string | string[] | undefined): string =>
  typeof value === 'string' ? value.slice(0, 4096) : '';

/**
 * A webhook trigger's inbound URL: public, the Standard Webhooks signature over the exact bytes received is the
 * credential (compute verifies it: pipelines/triggers-webhook.ts). 202 with the run's id and status (not its
 * input or output: the sender holds a signing secret, not a key), the same run for a replay.
 */
const workflowWebhook: HandlerRoute = {
  kind: 'handler',
  method: 'POST',
  path: '/v1/triggers/{id}/webhook',
  owner,
  public: true,
  beyondContract:
    'issue #11 item 4: the URL of a signed inbound webhook trigger (seed 002 lists triggers, not their inbound URL)',
  summary:
    'Inbound webhook of a webhook trigger (Standard Webhooks signature): starts a run with the JSON body as input, once per webhook-id',
  async handler(req, reply, ctx) {
    const result = await ctx.execute(RECEIVE_WEBHOOK, {
      trigger: (req.params as { id: string }).id,
      messageId: header(req.headers['webhook-id']),
      timestamp: header(req.headers['webhook-timestamp']),
      signature: header(req.headers['webhook-signature']),
      payload: req.rawBody ?? '',
    });
    const error = result.errors?.[0] as
      | { message?: string; extensions?: { code?: unknown; field?: unknown } }
      | undefined;
    if (error) {
      const code = error.extensions?.code;
      throw new TrellisError(isErrorCode(code) ? code : 'internal', isErrorCode(code) ? error.message : undefined, {
        field: typeof error.extensions?.field === 'string' ? error.extensions.field : undefined,
      });
    }
    const data = (result.data as { receiveWorkflowWebhook: unknown }).receiveWorkflowWebhook;
    return reply
      .code(202)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(envelope({ meta: ctx.meta, status: 202, data })));
  },
};

// biome-ignore format: a table, one route a line or two
export const pipelineRoutes = defineRoutes([
  // ---- workflow-definitions ------------------------------------------------------------------------
  { method: 'GET', path: '/v1/workflow-definitions', owner, paginated: true, fill: { orgId: 'callerOrg' },
    query: 'workflowDefinitions(...)', select: `items { ${DEFINITION} } nextCursor`, summary: 'List definitions (latest version of each, cursor-paginated)' },
  { method: 'POST', path: '/v1/workflow-definitions', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' },
    mutation: 'createWorkflowDefinition(input: $input)', select: DEFINITION,
    summary: 'Create a definition (NodeDefinition list; the same name makes a new version). 422 names the node on a cycle or unknown reference' },
  { method: 'GET', path: '/v1/workflow-definitions/{id}', owner, query: 'workflowDefinition(id: $id, version: $version)', select: DEFINITION,
    summary: 'Describe one definition (pipeline): steps, triggers, approval gates' },
  { method: 'POST', path: '/v1/workflow-definitions/{id}/run', owner, acceptedWhen: unfinished,
    mutation: 'runWorkflowDefinition(...)', select: 'run { ...WorkflowRunFields }', result: (data) => (data.runWorkflowDefinition as { run: unknown }).run,
    summary: 'Run a definition synchronously: 200 with the finished run, or 202 with the run when it waits (approval, input) or the timeout (timeoutSeconds, default 30) passes' },
  { method: 'POST', path: '/v1/workflow-definitions/{id}/start', owner, status: 202, mutation: 'startWorkflowDefinition(...)',
    summary: 'Start an async run of a definition (idempotencyKey); returns the run (its id)' },
  // ---- workflow-runs -------------------------------------------------------------------------------
  { method: 'POST', path: '/v1/workflow-runs', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' },
    mutation: 'createWorkflowRun(input: $input)', summary: 'Create run (idempotencyKey: the same key and body return the same run); start: true starts it' },
  { method: 'GET', path: '/v1/workflow-runs/{id}', owner, query: 'workflowRun(id: $id)',
    summary: 'Get run status, with each node\'s execution' },
  { method: 'POST', path: '/v1/workflow-runs/{id}/start', owner, mutation: 'startWorkflowRun(id: $id)',
    summary: 'Start execution of a pending run (a started run is returned as it is)' },
  { method: 'POST', path: '/v1/workflow-runs/{id}/cancel', owner, mutation: 'cancelWorkflowRun(id: $id, reason: $reason)',
    summary: 'Cancel run (its waiting nodes stop; a finished run is 409)' },
  { method: 'POST', path: '/v1/workflow-runs/{id}/resume', owner, mutation: 'resumeWorkflowRun(id: $id, input: $input)',
    summary: 'Resume a run waiting on input (a wait node with forInput: its output is the body\'s input) or a timer' },
  // ---- triggers ------------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/triggers', owner, fill: { orgId: 'callerOrg' }, query: 'workflowTriggers(...)',
    summary: 'List registered triggers (declared by definitions; id = <definitionId>.<name>)' },
  { method: 'POST', path: '/v1/triggers/{id}/fire', owner, status: 202, mutation: 'fireWorkflowTrigger(id: $id, payload: $payload)',
    summary: 'Fire a trigger manually: starts a run of its definition with the body\'s payload as input' },
  { method: 'POST', path: '/v1/triggers/{id}/secret', owner, status: 201, mutation: 'rotateWorkflowTriggerSecret(id: $id)',
    beyondContract: 'issue #11 item 4: mints or rotates a webhook trigger\'s signing secret (shown once) and gives its URL',
    summary: 'Mint or rotate the signing secret of a webhook trigger (shown once; the previous one stops verifying) and its URL' },
  workflowWebhook,
  // ---- schedules -----------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/schedules', owner, fill: { orgId: 'callerOrg' }, query: 'workflowSchedules(...)',
    summary: 'List schedules' },
  { method: 'POST', path: '/v1/schedules', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' },
    mutation: 'createWorkflowSchedule(input: $input)',
    summary: 'Add a schedule (cron with timezone / every / delay) that starts a workflow run; missed: skip or catch_up' },
  { method: 'DELETE', path: '/v1/schedules/{id}', owner, status: 204, mutation: 'deleteWorkflowSchedule(id: $id)',
    summary: 'Remove a schedule' },
  // ---- sessions ------------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/sessions', owner, paginated: true, fill: { orgId: 'callerOrg' }, query: 'workflowSessions(...)',
    summary: 'List agent (ACP) sessions' },
  { method: 'GET', path: '/v1/sessions/{id}', owner, query: 'workflowSession(id: $id)',
    summary: 'Get one agent session' },
  { method: 'POST', path: '/v1/sessions/{id}/resume', owner, status: 202, mutation: 'resumeWorkflowSession(id: $id, input: $input)',
    summary: 'Resume an agent session: a new run of its definition with the session\'s state and the body\'s input' },
  { method: 'POST', path: '/v1/sessions/prune', owner, body: 'input', fill: { orgId: 'callerOrg' },
    mutation: 'pruneWorkflowSessions(input: $input)', summary: 'Prune expired (or idle longer than idleSeconds) agent sessions' },
  { method: 'DELETE', path: '/v1/sessions/{id}', owner, status: 204, mutation: 'deleteWorkflowSession(id: $id)',
    summary: 'Drop an agent session' },
  // ---- debug ---------------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/debug/breakpoints', owner, fill: { orgId: 'callerOrg' }, query: 'workflowBreakpoints(...)',
    summary: 'List active step breakpoints' },
  { method: 'POST', path: '/v1/debug/breakpoints', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' },
    mutation: 'addWorkflowBreakpoint(input: $input)', summary: 'Add a breakpoint on a workflow step (runs pause before it)' },
  { method: 'DELETE', path: '/v1/debug/breakpoints/{stepId}', owner, status: 204, fill: { orgId: 'callerOrg' },
    mutation: 'removeWorkflowBreakpoint(orgId: $orgId, stepId: $stepId)', summary: 'Remove a step breakpoint' },
  { method: 'GET', path: '/v1/debug/runs', owner, fill: { orgId: 'callerOrg' }, query: 'pausedWorkflowRuns(...)',
    summary: 'List runs paused at breakpoints' },
  { method: 'POST', path: '/v1/debug/runs/{runId}/release', owner, mutation: 'releaseWorkflowRun(id: $runId)',
    summary: 'Release a run paused at a breakpoint' },
]);
