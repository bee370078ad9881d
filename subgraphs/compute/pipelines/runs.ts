/**
 * Workflow definitions and runs (seeds 001/002, docs/pipelines.md): the rules; resolvers only translate.
 *
 * A run is a row of `workflow_runs` plus one `workflow_node_executions` row per node it reached. The driver
 * (driver.ts) advances runs one engine job at a time (run-queue.ts); everything that makes a run move again
 * (start, resume, an approval decision, a finished job, a released breakpoint) is a transactional update that
 * sets `status = 'running', wake_at = now()` and sends the run's advance in the same transaction, so it
 * survives any process dying.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { boundWorkflowOf, requireOrgAccess, requireWorkflowAccess } from '../../../kernel/authz.ts';
import { conflict, invalidField, notFound, TrellisError } from '../../../kernel/errors.ts';
import { newId } from '../../../kernel/ids.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { decodeCursor, type Page, pageSize, toPage } from '../../../kernel/pagination.ts';
import type { Principal } from '../../../kernel/principal.ts';
import { date, dateOrNull, json, num, one, type Row, rows, strOrNull, withRetry } from '../sql.ts';
import { approvalGates, type PipelineNode, type TriggerSpec, validateNodes, validateTriggers } from './definition.ts';
import { checkSecretsExist } from './nodes/secrets.ts';
import type { RunQueue } from './run-queue.ts';

export const TERMINAL = ['succeeded', 'failed', 'cancelled'];
const MAX_INPUT_BYTES = 256 * 1024;
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u;

export const actorOf = (principal: Principal) => `${principal.kind}:${principal.id}`;

export function definitionFromRow(row: Row) {
  const nodes = row.nodes as PipelineNode[];
  const triggers = (row.triggers as TriggerSpec[]) ?? [];
  return {
    id: String(row.id),
    version: num(row.version),
    orgId: String(row.org_id),
    name: String(row.name),
    description: strOrNull(row.description),
    nodes,
    triggers: triggers.map((t) => ({ ...t, id: `${row.id}.${t.id}`, definitionId: String(row.id), name: t.id })),
    approvalGates: approvalGates(nodes),
    createdAt: date(row.created_at),
  };
}
export type DefinitionView = ReturnType<typeof definitionFromRow>;

export function nodeExecutionFromRow(row: Row) {
  return {
    nodeId: String(row.node_id),
    type: String(row.type),
    status: String(row.status),
    output: row.output ?? null,
    error: strOrNull(row.error),
    attempts: num(row.attempts),
    costMicros: num(row.cost_micros),
    jobId: strOrNull(row.job_id),
    waitUntil: dateOrNull(row.wait_until),
    startedAt: date(row.started_at),
    finishedAt: dateOrNull(row.finished_at),
  };
}

export function runFromRow(row: Row, nodes: Row[] = []) {
  return {
    id: String(row.id),
    orgId: String(row.org_id),
    definitionId: String(row.definition_id),
    definitionVersion: num(row.definition_version),
    workflowId: strOrNull(row.workflow_id),
    sessionId: strOrNull(row.session_id),
    parentRunId: strOrNull(row.parent_run_id),
    triggerId: strOrNull(row.trigger_id),
    status: String(row.status),
    statusReason: strOrNull(row.status_reason),
    input: row.input ?? {},
    output: row.output ?? null,
    error: strOrNull(row.error),
    pausedAtNode: strOrNull(row.paused_node_id),
    spendMicros: num(row.spend_micros),
    nodes: nodes.map(nodeExecutionFromRow),
    createdAt: date(row.created_at),
    startedAt: dateOrNull(row.started_at),
    finishedAt: dateOrNull(row.finished_at),
    updatedAt: date(row.updated_at),
  };
}
export type RunView = ReturnType<typeof runFromRow>;

export const runEvent = (run: Row | RunView, extra: Record<string, unknown> = {}) => {
  const r = 'orgId' in run ? (run as RunView) : runFromRow(run as Row);
  return {
    runId: r.id,
    definitionId: r.definitionId,
    definitionVersion: r.definitionVersion,
    workflowId: r.workflowId,
    status: r.status,
    ...extra,
  };
};

export interface CreateRunInput {
  orgId?: string | null;
  definitionId: string;
  version?: number | null;
  input?: unknown;
  workflowId?: string | null;
  sessionId?: string | null;
  newSession?: boolean | null;
  idempotencyKey?: string | null;
}

export interface RunOrigin {
  triggerId?: string;
  parentRunId?: string;
  parentNodeId?: string;
}

function checkInput(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidField(field, `${field} must be a JSON object`);
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_INPUT_BYTES)
    throw new TrellisError('payload_too_large', `${field} must be at most ${MAX_INPUT_BYTES} bytes of JSON`, { field });
  return value as Record<string, unknown>;
}

export class PipelineService {
  private readonly em: EntityManager;
  private readonly allowPrivateTargets: boolean;
  /** Where a run made due sends its advance (in the transaction that made it due). */
  private readonly queue: RunQueue;
  /** Called after a commit that made a run due: the local driver claims it without waiting for its poll. */
  private readonly wake: () => void;

  constructor(em: EntityManager, options: { allowPrivateTargets: boolean; queue: RunQueue; wake: () => void }) {
    this.em = em;
    this.allowPrivateTargets = options.allowPrivateTargets;
    this.queue = options.queue;
    this.wake = options.wake;
  }

  private tx<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return withRetry(() => this.em.fork().transactional((tx) => fn(tx as EntityManager)));
  }

  // ---- definitions ------------------------------------------------------------------------------

  /** Creates a definition, or the next version of the org's definition with the same name. */
  async createDefinition(
    principal: Principal,
    input: { orgId: string; name: string; description?: string | null; nodes: unknown; triggers?: unknown },
    requestId?: string,
  ): Promise<DefinitionView> {
    requireOrgAccess(principal, input.orgId, 'Organization', 'member');
    const name = input.name?.trim() ?? '';
    if (!NAME.test(name)) throw invalidField('name', 'name must be 1–100 letters, digits, spaces, . _ or -');
    const description = input.description?.trim() || null;
    if (description && description.length > 2000)
      throw invalidField('description', 'description must be at most 2000 characters');
    const nodes = validateNodes(input.nodes, { allowPrivateTargets: this.allowPrivateTargets });
    const triggers = validateTriggers(input.triggers);
    await checkSecretsExist(this.em, input.orgId, nodes);
    for (const node of nodes)
      if (node.type === 'subworkflow' && node.definitionId)
        await this.latestRow(input.orgId, node.definitionId, `nodes (${node.id}).definitionId`);
    const row = await this.tx(async (tx) => {
      // Serialise versions of one name: the unique index would refuse the loser otherwise.
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`wfd:${input.orgId}:${name}`]);
      const previous = await one(
        tx,
        'select id, version from workflow_definitions where org_id = ? and name = ? order by version desc limit 1',
        [input.orgId, name],
      );
      const id = previous ? String(previous.id) : newId('wfd');
      const version = previous ? num(previous.version) + 1 : 1;
      const created = (await one(
        tx,
        `insert into workflow_definitions (id, version, org_id, name, description, nodes, triggers, created_by, created_at)
         values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, now()) returning *`,
        [id, version, input.orgId, name, description, json(nodes), json(triggers), actorOf(principal)],
      )) as Row;
      recordEvent(tx, {
        orgId: input.orgId,
        type: 'workflow_definition.created',
        subject: { type: 'workflow_definition', id },
        data: { definitionId: id, version, name, nodeCount: nodes.length },
        actor: principal,
        requestId,
      });
      return created;
    });
    return definitionFromRow(row);
  }

  private async latestRow(orgId: string, id: string, field = 'definitionId', version?: number | null): Promise<Row> {
    const row = await one(
      this.em,
      `select * from workflow_definitions where id = ? and org_id = ? and (?::int is null or version = ?::int)
       order by version desc limit 1`,
      [id, orgId, version ?? null, version ?? null],
    );
    if (!row) {
      if (field === 'id') throw notFound('Workflow definition');
      throw invalidField(
        field,
        `${field}: no workflow definition ${id}${version ? ` version ${version}` : ''} in this organization`,
      );
    }
    return row;
  }

  async getDefinition(principal: Principal, id: string, version?: number | null): Promise<DefinitionView | null> {
    const row = await one(
      this.em,
      `select * from workflow_definitions where id = ? and (?::int is null or version = ?::int) order by version desc limit 1`,
      [id, version ?? null, version ?? null],
    );
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'Workflow definition');
    return definitionFromRow(row);
  }

  /** The latest version of each definition, newest first. */
  async listDefinitions(
    orgId: string,
    args: { limit?: number | null; cursor?: string | null },
  ): Promise<Page<DefinitionView>> {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { i: 'text' })?.i ?? null;
    const found = await rows(
      this.em,
      `select distinct on (id) * from workflow_definitions
       where org_id = ? and (?::text is null or id < ?::text)
       order by id desc, version desc limit ?`,
      [orgId, after, after, limit + 1],
    );
    return toPage(found.map(definitionFromRow), limit, (d) => ({ i: d.id }));
  }

  async listTriggers(orgId: string) {
    const page = await rows(
      this.em,
      `select distinct on (id) * from workflow_definitions where org_id = ? order by id desc, version desc limit 500`,
      [orgId],
    );
    return page.flatMap((row) => definitionFromRow(row).triggers);
  }

  // ---- runs -------------------------------------------------------------------------------------

  /**
   * Creates a run (status `pending`; `start` starts it at once). Idempotent: the same `idempotencyKey` and
   * body return the first run; another body with the key is 409 idempotency_conflict.
   */
  async createRun(
    principal: Principal,
    input: CreateRunInput & { orgId: string },
    options: { start: boolean; origin?: RunOrigin; requestId?: string },
  ): Promise<RunView> {
    requireOrgAccess(principal, input.orgId, 'Organization', 'member');
    const runInput = checkInput(input.input, 'input');
    const key = input.idempotencyKey?.trim() || null;
    if (key && (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)))
      throw invalidField('idempotencyKey', 'idempotencyKey must be 1 to 255 printable ASCII characters');
    const workflowId = input.workflowId?.trim() || boundWorkflowOf(principal);
    if (principal.workflowId && workflowId !== principal.workflowId)
      throw new TrellisError('forbidden', 'This credential is bound to another workflow', { field: 'workflowId' });
    const definition = await this.latestRow(input.orgId, input.definitionId, 'definitionId', input.version);
    const hash = createHash('sha256')
      .update(
        JSON.stringify([
          input.definitionId,
          input.version ?? null,
          runInput,
          workflowId,
          input.sessionId ?? null,
          input.newSession ?? false,
          options.start,
        ]),
      )
      .digest('hex');
    if (key) {
      const existing = await one(this.em, 'select * from workflow_runs where org_id = ? and idempotency_key = ?', [
        input.orgId,
        key,
      ]);
      if (existing) return this.replay(existing, hash);
    }
    await this.refuseWhenWorkflowStopped(input.orgId, workflowId);
    try {
      const id = await this.tx(async (tx) => {
        let sessionId = input.sessionId ?? null;
        if (input.newSession && !sessionId) sessionId = await openSession(tx, input.orgId, String(definition.id));
        const row = await insertRun(tx, {
          orgId: input.orgId,
          definition,
          input: runInput,
          workflowId,
          sessionId,
          key,
          hash,
          start: options.start,
          origin: options.origin,
          createdBy: actorOf(principal),
          queue: this.queue,
        });
        if (sessionId) await attachSession(tx, input.orgId, sessionId, String(row.id));
        recordEvent(tx, {
          orgId: input.orgId,
          type: 'run.created',
          subject: { type: 'workflow_run', id: String(row.id) },
          data: runEvent(row, { triggerId: options.origin?.triggerId ?? null }),
          actor: principal,
          requestId: options.requestId,
        });
        if (options.start)
          recordEvent(tx, {
            orgId: input.orgId,
            type: 'run.started',
            subject: { type: 'workflow_run', id: String(row.id) },
            data: runEvent(row),
            actor: principal,
            requestId: options.requestId,
          });
        return String(row.id);
      });
      if (options.start) this.wake();
      return (await this.getRun(principal, id)) as RunView;
    } catch (error) {
      // Two requests with one key: the loser answers with the winner's run.
      if (key && (error as { code?: string }).code === '23505') {
        const existing = await one(this.em, 'select * from workflow_runs where org_id = ? and idempotency_key = ?', [
          input.orgId,
          key,
        ]);
        if (existing) return this.replay(existing, hash);
      }
      throw error;
    }
  }

  private async replay(existing: Row, hash: string): Promise<RunView> {
    if (existing.request_hash !== hash)
      throw new TrellisError('idempotency_conflict', 'This idempotencyKey was used to create another run', {
        field: 'idempotencyKey',
      });
    return runFromRow(existing, await this.nodeRows(String(existing.id)));
  }

  /** A paused or killed governance workflow admits no new run (403 call_denied, details.reason). */
  async refuseWhenWorkflowStopped(orgId: string, workflowId: string | null): Promise<void> {
    if (!workflowId) return;
    const state = await one(this.em, 'select status from workflow_states where workflow_id = ? and org_id = ?', [
      workflowId,
      orgId,
    ]);
    const status = state?.status as string | undefined;
    if (status === 'paused' || status === 'killed')
      throw new TrellisError('call_denied', `Workflow ${workflowId} is ${status}: it admits no new runs`, {
        field: 'workflowId',
        details: { reason: `workflow_${status}` },
      });
  }

  private nodeRows(runId: string): Promise<Row[]> {
    return rows(this.em, 'select * from workflow_node_executions where run_id = ? order by started_at, node_id', [
      runId,
    ]);
  }

  async getRun(principal: Principal, id: string): Promise<RunView | null> {
    const row = await one(this.em, 'select * from workflow_runs where id = ?', [id]);
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'Workflow run');
    requireWorkflowAccess(principal, strOrNull(row.workflow_id), 'Workflow run');
    return runFromRow(row, await this.nodeRows(id));
  }

  async listRuns(
    principal: Principal,
    orgId: string,
    args: { status?: string | null; definitionId?: string | null; limit?: number | null; cursor?: string | null },
  ): Promise<Page<RunView>> {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { i: 'text' })?.i ?? null;
    const bound = boundWorkflowOf(principal);
    const found = await rows(
      this.em,
      `select * from workflow_runs where org_id = ?
         and (?::text is null or status = ?::text) and (?::text is null or definition_id = ?::text)
         and (?::text is null or workflow_id = ?::text) and (?::text is null or id < ?::text)
       order by id desc limit ?`,
      [
        orgId,
        args.status ?? null,
        args.status ?? null,
        args.definitionId ?? null,
        args.definitionId ?? null,
        bound,
        bound,
        after,
        after,
        limit + 1,
      ],
    );
    return toPage(
      found.map((r) => runFromRow(r)),
      limit,
      (r) => ({ i: r.id }),
    );
  }

  /** Locks a run the caller may change (member), or 404. */
  private async lockRun(tx: EntityManager, principal: Principal, id: string): Promise<Row> {
    const row = await one(tx, 'select * from workflow_runs where id = ? for update', [id]);
    if (!row) throw notFound('Workflow run');
    requireOrgAccess(principal, String(row.org_id), 'Workflow run', 'member');
    requireWorkflowAccess(principal, strOrNull(row.workflow_id), 'Workflow run');
    return row;
  }

  async startRun(principal: Principal, id: string, requestId?: string): Promise<RunView> {
    await this.tx(async (tx) => {
      const run = await this.lockRun(tx, principal, id);
      if (run.status !== 'pending') {
        if (TERMINAL.includes(String(run.status)) || run.started_at) return; // already started: idempotent
      }
      await this.refuseWhenWorkflowStopped(String(run.org_id), strOrNull(run.workflow_id));
      const updated = (await one(
        tx,
        `update workflow_runs set status = 'running', started_at = now(), wake_at = now(), updated_at = now()
         where id = ? returning *`,
        [id],
      )) as Row;
      await this.queue.due(tx, id);
      recordEvent(tx, {
        orgId: String(run.org_id),
        type: 'run.started',
        subject: { type: 'workflow_run', id },
        data: runEvent(updated),
        actor: principal,
        requestId,
      });
    });
    this.wake();
    return (await this.getRun(principal, id)) as RunView;
  }

  async cancelRun(principal: Principal, id: string, reason?: string | null, requestId?: string): Promise<RunView> {
    await this.tx(async (tx) => {
      const run = await this.lockRun(tx, principal, id);
      if (TERMINAL.includes(String(run.status))) {
        if (run.status === 'cancelled') return;
        throw conflict(`Workflow run ${id} already ${run.status}`);
      }
      await finishRun(tx, run, 'cancelled', {
        reason: reason?.trim().slice(0, 500) || 'cancelled',
        actor: principal,
        requestId,
        queue: this.queue,
      });
    });
    return (await this.getRun(principal, id)) as RunView;
  }

  /**
   * Resumes a waiting run: a `wait` node with `forInput` completes with `input` as its output; a timed wait
   * completes now. 409 when the run waits on nothing resumable (approvals have approve/deny).
   */
  async resumeRun(principal: Principal, id: string, input: unknown, requestId?: string): Promise<RunView> {
    const payload = checkInput(input, 'input');
    await this.tx(async (tx) => {
      const run = await this.lockRun(tx, principal, id);
      if (run.status !== 'waiting' && run.status !== 'running')
        throw conflict(`Workflow run ${id} is ${run.status}; only a waiting run can be resumed`);
      const waiting = await rows(
        tx,
        `select * from workflow_node_executions where run_id = ? and status = 'waiting' and type = 'wait' for update`,
        [id],
      );
      if (waiting.length === 0)
        throw conflict(`Workflow run ${id} waits on no input or timer (approvals are approved or denied)`);
      for (const node of waiting)
        await tx.execute(
          `update workflow_node_executions set status = 'succeeded', output = ?::jsonb, finished_at = now()
           where run_id = ? and node_id = ? and status = 'waiting'`,
          [json({ resumed: true, input: payload }), id, node.node_id],
        );
      await tx.execute(
        `update workflow_runs set status = 'running', wake_at = now(), updated_at = now() where id = ?`,
        [id],
      );
      await this.queue.due(tx, id);
      recordEvent(tx, {
        orgId: String(run.org_id),
        type: 'run.resumed',
        subject: { type: 'workflow_run', id },
        data: runEvent(run, { status: 'running', nodes: waiting.map((n) => n.node_id) }),
        actor: principal,
        requestId,
      });
    });
    this.wake();
    return (await this.getRun(principal, id)) as RunView;
  }

  // ---- triggers -----------------------------------------------------------------------------------

  /** Fires a definition's manual trigger (`<definitionId>.<name>`): a run of the latest version, the payload as input. */
  async fireTrigger(principal: Principal, triggerId: string, payload: unknown, requestId?: string): Promise<RunView> {
    const dot = triggerId.indexOf('.');
    const definitionId = dot > 0 ? triggerId.slice(0, dot) : '';
    const name = triggerId.slice(dot + 1);
    const row = definitionId
      ? await one(this.em, 'select * from workflow_definitions where id = ? order by version desc limit 1', [
          definitionId,
        ])
      : undefined;
    if (!row) throw notFound('Trigger');
    requireOrgAccess(principal, String(row.org_id), 'Trigger');
    if (!definitionFromRow(row).triggers.some((t) => t.name === name)) throw notFound('Trigger');
    return this.createRun(
      principal,
      { orgId: String(row.org_id), definitionId, input: payload ?? {} },
      { start: true, origin: { triggerId }, requestId },
    );
  }

  // ---- sessions (seed 002 ACP sessions) ----------------------------------------------------------

  async getSession(principal: Principal, id: string) {
    const row = await one(this.em, 'select * from workflow_sessions where id = ?', [id]);
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'Session');
    return sessionFromRow(row);
  }

  async listSessions(orgId: string, args: { limit?: number | null; cursor?: string | null }) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { i: 'text' })?.i ?? null;
    const found = await rows(
      this.em,
      'select * from workflow_sessions where org_id = ? and (?::text is null or id < ?::text) order by id desc limit ?',
      [orgId, after, after, limit + 1],
    );
    return toPage(found.map(sessionFromRow), limit, (x) => ({ i: x.id }));
  }

  /** Starts the session's next run: its definition, with the session's state under the new input. */
  async resumeSession(principal: Principal, id: string, input: unknown, requestId?: string): Promise<RunView> {
    const session = await this.getSession(principal, id);
    if (!session) throw notFound('Session');
    if (session.status === 'running') throw conflict(`Session ${id} has a run in progress (${session.lastRunId})`);
    if (session.expiresAt.getTime() <= Date.now()) throw conflict(`Session ${id} has expired`);
    const merged = { ...(session.state as object), ...checkInput(input, 'input') };
    return this.createRun(
      principal,
      { orgId: session.orgId, definitionId: session.definitionId, input: merged, sessionId: id },
      { start: true, requestId },
    );
  }

  async deleteSession(principal: Principal, id: string): Promise<boolean> {
    const session = await this.getSession(principal, id);
    if (!session) throw notFound('Session');
    requireOrgAccess(principal, session.orgId, 'Session', 'member');
    await this.em.execute('delete from workflow_sessions where id = ?', [id]);
    return true;
  }

  /** Deletes expired sessions, and those idle longer than `idleSeconds`; never one with a run in progress. */
  async pruneSessions(principal: Principal, orgId: string, idleSeconds?: number | null): Promise<{ pruned: number }> {
    requireOrgAccess(principal, orgId, 'Organization', 'member');
    if (idleSeconds != null && (!Number.isSafeInteger(idleSeconds) || idleSeconds < 0))
      throw invalidField('idleSeconds', 'idleSeconds must be a non-negative integer');
    const pruned = await rows(
      this.em,
      `delete from workflow_sessions where org_id = ? and status <> 'running'
         and (expires_at <= now() or (?::int is not null and updated_at <= now() - make_interval(secs => ?::int)))
       returning id`,
      [orgId, idleSeconds ?? null, idleSeconds ?? null],
    );
    return { pruned: pruned.length };
  }

  // ---- breakpoints (seed 002 /debug) -------------------------------------------------------------

  async addBreakpoint(principal: Principal, orgId: string, stepId: string, definitionId?: string | null) {
    requireOrgAccess(principal, orgId, 'Organization', 'member');
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(stepId)) throw invalidField('stepId', 'stepId must be a node id');
    if (definitionId) await this.latestRow(orgId, definitionId);
    const row = (await one(
      this.em,
      `insert into workflow_breakpoints (org_id, step_id, definition_id, created_by, created_at) values (?, ?, ?, ?, now())
       on conflict (org_id, step_id) do update set definition_id = excluded.definition_id returning *`,
      [orgId, stepId, definitionId ?? null, actorOf(principal)],
    )) as Row;
    return breakpointFromRow(row);
  }

  async listBreakpoints(orgId: string) {
    return (await rows(this.em, 'select * from workflow_breakpoints where org_id = ? order by step_id', [orgId])).map(
      breakpointFromRow,
    );
  }

  async removeBreakpoint(principal: Principal, orgId: string, stepId: string): Promise<boolean> {
    requireOrgAccess(principal, orgId, 'Organization', 'member');
    const removed = await rows(
      this.em,
      'delete from workflow_breakpoints where org_id = ? and step_id = ? returning step_id',
      [orgId, stepId],
    );
    if (removed.length === 0) throw notFound('Breakpoint');
    return true;
  }

  async pausedRuns(principal: Principal, orgId: string): Promise<RunView[]> {
    const bound = boundWorkflowOf(principal);
    const found = await rows(
      this.em,
      `select * from workflow_runs where org_id = ? and status = 'paused_at_breakpoint'
         and (?::text is null or workflow_id = ?::text) order by id desc limit 200`,
      [orgId, bound, bound],
    );
    return found.map((r) => runFromRow(r));
  }

  /** Lets a run paused at a breakpoint go on: the node it paused before runs (once) without pausing again. */
  async releaseRun(principal: Principal, id: string, requestId?: string): Promise<RunView> {
    await this.tx(async (tx) => {
      const run = await this.lockRun(tx, principal, id);
      if (run.status !== 'paused_at_breakpoint')
        throw conflict(`Workflow run ${id} is ${run.status}, not paused at a breakpoint`);
      await tx.execute(
        `update workflow_runs set status = 'running', released_nodes = array_append(released_nodes, paused_node_id),
           paused_node_id = null, wake_at = now(), updated_at = now() where id = ?`,
        [id],
      );
      await this.queue.due(tx, id);
      recordEvent(tx, {
        orgId: String(run.org_id),
        type: 'run.released',
        subject: { type: 'workflow_run', id },
        data: runEvent(run, { status: 'running', nodeId: run.paused_node_id }),
        actor: principal,
        requestId,
      });
    });
    this.wake();
    return (await this.getRun(principal, id)) as RunView;
  }
}

export const breakpointFromRow = (row: Row) => ({
  stepId: String(row.step_id),
  orgId: String(row.org_id),
  definitionId: strOrNull(row.definition_id),
  createdAt: date(row.created_at),
});

/** Inserts a run row (pending, or running and due now: its advance is sent in `tx`). */
export async function insertRun(
  tx: EntityManager,
  args: {
    orgId: string;
    definition: Row;
    input: Record<string, unknown>;
    workflowId: string | null;
    sessionId: string | null;
    key: string | null;
    hash: string | null;
    start: boolean;
    origin?: RunOrigin;
    createdBy: string;
    queue: RunQueue;
  },
): Promise<Row> {
  const row = (await one(
    tx,
    `insert into workflow_runs (id, org_id, definition_id, definition_version, workflow_id, session_id, parent_run_id,
       parent_node_id, trigger_id, status, input, idempotency_key, request_hash, wake_at, created_by, created_at,
       started_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, now(), ?, now()) returning *`,
    [
      newId('run'),
      args.orgId,
      args.definition.id,
      args.definition.version,
      args.workflowId,
      args.sessionId,
      args.origin?.parentRunId ?? null,
      args.origin?.parentNodeId ?? null,
      args.origin?.triggerId ?? null,
      args.start ? 'running' : 'pending',
      json(args.input),
      args.key,
      args.hash,
      args.start ? new Date() : null,
      args.createdBy,
      args.start ? new Date() : null,
    ],
  )) as Row;
  if (args.start) await args.queue.due(tx, String(row.id));
  return row;
}

export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

export const sessionFromRow = (row: Row) => ({
  id: String(row.id),
  orgId: String(row.org_id),
  definitionId: String(row.definition_id),
  status: String(row.status),
  state: row.state ?? {},
  lastRunId: strOrNull(row.last_run_id),
  runCount: num(row.run_count),
  expiresAt: date(row.expires_at),
  createdAt: date(row.created_at),
  updatedAt: date(row.updated_at),
});

async function openSession(tx: EntityManager, orgId: string, definitionId: string): Promise<string> {
  const row = (await one(
    tx,
    `insert into workflow_sessions (id, org_id, definition_id, status, expires_at, created_at, updated_at)
     values (?, ?, ?, 'active', now() + make_interval(secs => ?), now(), now()) returning id`,
    [newId('ses'), orgId, definitionId, SESSION_TTL_SECONDS],
  )) as Row;
  return String(row.id);
}

async function attachSession(tx: EntityManager, orgId: string, sessionId: string, runId: string): Promise<void> {
  const updated = await rows(
    tx,
    `update workflow_sessions set last_run_id = ?, status = 'running', run_count = run_count + 1, updated_at = now(),
       expires_at = now() + make_interval(secs => ?)
     where id = ? and org_id = ? and status = 'active' returning id`,
    [runId, SESSION_TTL_SECONDS, sessionId, orgId],
  );
  if (updated.length === 0)
    throw invalidField('sessionId', `sessionId: no idle session ${sessionId} in this organization (one run at a time)`);
}

/**
 * Ends a run (succeeded, failed or cancelled): its waiting nodes stop, its session takes the output, a parent
 * run's subworkflow node completes and the parent is due again. Runs inside the caller's transaction.
 */
export async function finishRun(
  tx: EntityManager,
  run: Row,
  status: 'succeeded' | 'failed' | 'cancelled',
  options: {
    reason?: string;
    error?: string;
    output?: unknown;
    actor?: Principal;
    requestId?: string;
    /** Where the parent run's advance goes when this run was a subworkflow node's. */
    queue: RunQueue;
  },
): Promise<void> {
  const id = String(run.id);
  const updated = (await one(
    tx,
    `update workflow_runs set status = ?, status_reason = ?, error = ?, output = ?::jsonb, wake_at = null,
       paused_node_id = null, finished_at = now(), updated_at = now()
     where id = ? returning *`,
    [status, options.reason ?? null, options.error ?? null, json(options.output ?? null), id],
  )) as Row;
  await tx.execute(
    `update workflow_node_executions set status = 'failed', error = ?, finished_at = now()
     where run_id = ? and status in ('running', 'waiting')`,
    [`run ${status}`, id],
  );
  if (run.session_id)
    await tx.execute(
      `update workflow_sessions set status = 'active', state = state || coalesce(?::jsonb, '{}'::jsonb), updated_at = now()
       where id = ? and last_run_id = ?`,
      [
        json(status === 'succeeded' && options.output && typeof options.output === 'object' ? options.output : null),
        run.session_id,
        id,
      ],
    );
  recordEvent(tx, {
    orgId: String(run.org_id),
    type: `run.${status}`,
    subject: { type: 'workflow_run', id },
    data: runEvent(updated, {
      reason: options.reason ?? null,
      error: options.error ?? null,
      output: options.output ?? null,
    }),
    actor: options.actor,
    requestId: options.requestId,
  });
  if (run.parent_run_id && run.parent_node_id) {
    const ok = status === 'succeeded';
    const completed = await rows(
      tx,
      `update workflow_node_executions set status = ?, output = ?::jsonb, error = ?, finished_at = now()
       where run_id = ? and node_id = ? and status = 'waiting' returning node_id`,
      [
        ok ? 'succeeded' : 'failed',
        json({ runId: id, status, output: options.output ?? null }),
        ok ? null : `subworkflow run ${id} ${status}`,
        run.parent_run_id,
        run.parent_node_id,
      ],
    );
    const parentDue =
      completed.length > 0 &&
      (
        await rows(
          tx,
          `update workflow_runs set status = 'running', wake_at = now(), updated_at = now() where id = ? and status in ('waiting', 'running') returning id`,
          [run.parent_run_id],
        )
      ).length > 0;
    if (parentDue) await options.queue.due(tx, String(run.parent_run_id));
  }
}
