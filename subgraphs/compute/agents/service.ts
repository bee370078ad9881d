/**
 * Agents, templates and tasks (seed 004; docs/jobs.md#agents).
 *
 * - An agent is a worker identity with its own queue (`agent.<id>`), an optional budget (a governance
 *   workflow its tasks spend against) and a lifecycle: start / stop / restart / deactivate. Only a
 *   `running` agent's tasks are claimable (JobService.claim asks `claimable`).
 * - A template presets model, interval and role for new agents.
 * - A task is a job on its agent's queue (same id), plus the seed's task fields. Its status comes from the
 *   job (queued → todo, running → in_progress, succeeded → done, failed → blocked, cancelled), unless a
 *   label (review, blocked) was set while the job is not finished.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../../kernel/authz.ts';
import { conflict, invalidField, notFound, TrellisError } from '../../../kernel/errors.ts';
import { isWorkflowId, newId } from '../../../kernel/ids.ts';
import { textProblem } from '../../../kernel/json-limits.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { decodeCursor, type PageArgs, pageSize, toPage } from '../../../kernel/pagination.ts';
import type { Principal } from '../../../kernel/principal.ts';
import { boundedJson, type JobActor, type JobService, jobFromRow } from '../jobs/service.ts';
import { date, dateOrNull, json, num, one, type Row, rows, strOrNull, textArray } from '../sql.ts';

export const AGENT_QUEUE_PREFIX = 'agent.';
export const agentQueue = (agentId: string): string => `${AGENT_QUEUE_PREFIX}${agentId}`;

const AGENT_STATUSES = ['idle', 'working', 'blocked', 'offline', 'paused'] as const;
const REPORTED_STATUSES = new Set(['idle', 'working', 'blocked']);
const PRIORITY_RANK: Record<string, number> = { low: 0, medium: 10, high: 20, critical: 30 };
const TASK_TYPES = new Set(['feature', 'bug', 'research', 'ops', 'infra', 'content', 'other']);
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

function text(field: string, value: string, max: number): string {
  if (value.length < 1 || value.length > max) throw invalidField(field, `${field} must be 1 to ${max} characters`);
  const problem = textProblem(value);
  if (problem) throw invalidField(field, `${field} ${problem}`);
  return value;
}
const optText = (field: string, value: string | null | undefined, max: number) =>
  value == null ? null : text(field, value, max);

function optInt(field: string, value: number | null | undefined, min: number, max: number): number | null {
  if (value == null) return null;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw invalidField(field, `${field} must be an integer from ${min} to ${max}`);
  return value;
}

function stringList(field: string, values: string[] | null | undefined): string[] | null {
  if (values == null) return null;
  if (values.length > 100) throw invalidField(field, `${field} may hold at most 100 entries`);
  return values.map((v, i) => text(`${field}.${i}`, v, 200));
}

function workflowIdOf(value: string | null | undefined): string | null {
  if (value == null) return null;
  if (!isWorkflowId(value)) throw invalidField('workflowId', 'workflowId must be a workflow id (wf_…)');
  return value;
}

export function agentFromRow(r: Row) {
  return {
    id: String(r.id),
    orgId: String(r.org_id),
    name: String(r.name),
    emoji: strOrNull(r.emoji),
    role: String(r.role),
    status: String(r.status),
    desiredState: String(r.desired_state),
    queue: agentQueue(String(r.id)),
    model: strOrNull(r.model),
    intervalSec: r.interval_sec == null ? null : num(r.interval_sec),
    workspacePath: strOrNull(r.workspace_path),
    currentTask: strOrNull(r.current_task),
    templateId: strOrNull(r.template_id),
    workflowId: strOrNull(r.workflow_id),
    restartCount: num(r.restart_count),
    lastHeartbeatAt: dateOrNull(r.last_heartbeat_at),
    startedAt: dateOrNull(r.started_at),
    stoppedAt: dateOrNull(r.stopped_at),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    queuedTasks: num(r.queued_tasks),
    runningTasks: num(r.running_tasks),
  };
}
export type AgentView = ReturnType<typeof agentFromRow>;

export function templateFromRow(r: Row) {
  return {
    id: String(r.id),
    orgId: String(r.org_id),
    name: String(r.name),
    slug: String(r.slug),
    description: strOrNull(r.description),
    icon: strOrNull(r.icon),
    category: strOrNull(r.category),
    model: strOrNull(r.model),
    intervalSec: r.interval_sec == null ? null : num(r.interval_sec),
    identity: strOrNull(r.identity),
    tools: (r.tools as string[]) ?? [],
    capabilities: (r.capabilities as string[]) ?? [],
    config: (r.config as unknown) ?? {},
    isFeatured: Boolean(r.is_featured),
    sortOrder: num(r.sort_order),
    archivedAt: dateOrNull(r.archived_at),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}
export type AgentTemplateView = ReturnType<typeof templateFromRow>;

const JOB_TO_TASK: Record<string, string> = {
  queued: 'todo',
  running: 'in_progress',
  succeeded: 'done',
  failed: 'blocked',
  cancelled: 'cancelled',
};

/** A task row joined with its job (`j_*` columns). */
export function taskFromRow(r: Row) {
  const jobStatus = String(r.j_status);
  const finished = jobStatus === 'succeeded' || jobStatus === 'failed' || jobStatus === 'cancelled';
  const job = jobFromRow(
    Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (k.startsWith('j_') ? [[k.slice(2), v]] : []))),
  );
  return {
    id: String(r.id),
    orgId: String(r.org_id),
    title: String(r.title),
    description: strOrNull(r.description),
    type: String(r.kind),
    priority: String(r.priority),
    status: !finished && r.label ? String(r.label) : (JOB_TO_TASK[jobStatus] ?? 'todo'),
    assignedTo: String(r.agent_id),
    resolution: strOrNull(r.resolution),
    productId: r.product_id == null ? null : num(r.product_id),
    maxDurationSeconds: job.timeoutSeconds,
    result: job.result,
    job,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}
export type AgentTaskView = ReturnType<typeof taskFromRow>;
export type AgentQueueHealthView = Awaited<ReturnType<AgentService['queueHealth']>>[number];

/** A task's status in SQL, as `taskFromRow` derives it (for filtering). */
const TASK_STATUS_SQL = `case when j.status = 'succeeded' then 'done' when j.status = 'failed' then 'blocked'
  when j.status = 'cancelled' then 'cancelled' when t.label is not null then t.label
  when j.status = 'running' then 'in_progress' else 'todo' end`;

const AGENT_SELECT = `select a.*,
    (select count(*) from jobs j where j.agent_id = a.id and j.status = 'queued')::int as queued_tasks,
    (select count(*) from jobs j where j.agent_id = a.id and j.status = 'running')::int as running_tasks
  from agents a`;

const TASK_SELECT = `select t.*, ${[
  'id',
  'org_id',
  'queue',
  'type',
  'payload',
  'priority',
  'status',
  'attempts',
  'max_attempts',
  'timeout_seconds',
  'retry_delay_seconds',
  'retry_backoff',
  'worker_id',
  'lease_expires_at',
  'result',
  'error',
  'idempotency_key',
  'gpu_model_id',
  'gpu_count',
  'tier',
  'cost_estimate_micros',
  'cost_micros',
  'workflow_id',
  'origin',
  'agent_id',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
]
  .map((c) => `j.${c} as j_${c}`)
  .join(', ')} from agent_tasks t join jobs j on j.id = t.id`;

export class AgentService {
  readonly #em: EntityManager;
  readonly #jobs: JobService;

  constructor(em: EntityManager, jobs: JobService) {
    this.#em = em;
    this.#jobs = jobs;
  }

  private record(tx: EntityManager, agent: Row, type: string, actor: JobActor, extra: Record<string, unknown> = {}) {
    recordEvent(tx, {
      orgId: String(agent.org_id),
      type,
      subject: { type: 'agent', id: String(agent.id) },
      data: {
        agentId: String(agent.id),
        name: String(agent.name),
        status: String(agent.status),
        desiredState: String(agent.desired_state),
        // Governance keeps an agent directory from these events (the agent-efficiency dashboard).
        workflowId: agent.workflow_id ? String(agent.workflow_id) : null,
        ...extra,
      },
      actor: actor.principal,
      requestId: actor.requestId,
    });
  }

  // ---- agents ---------------------------------------------------------------------------------------

  private async loadAgent(em: EntityManager, principal: Principal, id: string, lock = false): Promise<Row> {
    const agent = await one(em, `select * from agents where id = ?${lock ? ' for update' : ''}`, [id]);
    if (!agent) throw notFound('agent');
    requireOrgAccess(principal, String(agent.org_id), 'agent');
    return agent;
  }

  async get(principal: Principal, id: string): Promise<AgentView | null> {
    const row = await one(this.#em, `${AGENT_SELECT} where a.id = ?`, [id]);
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'agent');
    return agentFromRow(row);
  }

  private async view(em: EntityManager, id: string): Promise<AgentView> {
    return agentFromRow((await one(em, `${AGENT_SELECT} where a.id = ?`, [id])) as Row);
  }

  async list(orgId: string, filter: { status?: string[] | null; role?: string | null }, args: PageArgs) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { id: 'text' });
    const params: unknown[] = [orgId];
    let where = 'a.org_id = ?';
    if (filter.status?.length) {
      where += ' and a.status = any(?::text[])';
      params.push(textArray(filter.status));
    }
    if (filter.role) {
      where += ' and a.role = ?';
      params.push(filter.role);
    }
    if (after) {
      where += ' and a.id < ?';
      params.push(after.id);
    }
    const found = await rows(this.#em, `${AGENT_SELECT} where ${where} order by a.id desc limit ?`, [
      ...params,
      limit + 1,
    ]);
    return toPage(found.map(agentFromRow), limit, (a) => ({ id: a.id }));
  }

  async create(
    orgId: string,
    input: {
      name: string;
      role?: string | null;
      emoji?: string | null;
      status?: string | null;
      model?: string | null;
      intervalSec?: number | null;
      workspacePath?: string | null;
      templateId?: string | null;
      workflowId?: string | null;
    },
    actor: JobActor,
  ): Promise<AgentView> {
    const name = text('name', input.name, 100);
    let template: Row | undefined;
    if (input.templateId) {
      template = await one(
        this.#em,
        'select * from agent_templates where id = ? and org_id = ? and archived_at is null',
        [input.templateId, orgId],
      );
      if (!template) throw new TrellisError('not_found', 'agent template not found', { field: 'templateId' });
    }
    const role = optText('role', input.role, 100) ?? (template ? String(template.category ?? template.slug) : null);
    if (!role) throw invalidField('role', 'role is required (or a templateId to take it from)');
    const status = input.status ?? 'idle';
    if (!REPORTED_STATUSES.has(status)) throw invalidField('status', 'a new agent is idle, working or blocked');
    const now = new Date();
    return this.#jobs.transaction(async (tx) => {
      const row = await one(
        tx,
        `insert into agents (id, org_id, name, emoji, role, status, desired_state, model, interval_sec, workspace_path,
           template_id, workflow_id, started_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (org_id, name) do nothing returning *`,
        [
          newId('agt'),
          orgId,
          name,
          optText('emoji', input.emoji, 16),
          role,
          status,
          optText('model', input.model, 100) ?? strOrNull(template?.model),
          optInt('intervalSec', input.intervalSec, 1, 86_400) ??
            (template?.interval_sec == null ? null : num(template.interval_sec)),
          optText('workspacePath', input.workspacePath, 500),
          template ? String(template.id) : null,
          workflowIdOf(input.workflowId),
          now,
          now,
          now,
        ],
      );
      if (!row) throw new TrellisError('already_exists', `an agent named ${name} already exists`, { field: 'name' });
      this.record(tx, row, 'agent.created', actor, { templateId: row.template_id ?? undefined });
      return this.view(tx, String(row.id));
    });
  }

  async update(
    principal: Principal,
    id: string,
    input: {
      emoji?: string | null;
      role?: string | null;
      status?: string | null;
      currentTask?: string | null;
      workspacePath?: string | null;
      model?: string | null;
      intervalSec?: number | null;
      workflowId?: string | null;
    },
    requestId?: string,
  ): Promise<AgentView> {
    if (input.status != null && !REPORTED_STATUSES.has(input.status))
      throw invalidField(
        'status',
        'status may be idle, working or blocked; use start, stop or DELETE for the lifecycle',
      );
    return this.#jobs.transaction(async (tx) => {
      const agent = await this.loadAgent(tx, principal, id, true);
      requireOrgAccess(principal, String(agent.org_id), 'agent', 'member');
      if (input.status != null && agent.desired_state !== 'running')
        throw conflict(`the agent is ${agent.desired_state}; start it first`);
      await tx.execute(
        `update agents set emoji = coalesce(?, emoji), role = coalesce(?, role), status = coalesce(?, status),
           current_task = coalesce(?, current_task), workspace_path = coalesce(?, workspace_path),
           model = coalesce(?, model), interval_sec = coalesce(?, interval_sec), workflow_id = coalesce(?, workflow_id),
           last_heartbeat_at = case when ? then now() else last_heartbeat_at end, updated_at = now()
         where id = ?`,
        [
          optText('emoji', input.emoji, 16),
          optText('role', input.role, 100),
          input.status ?? null,
          optText('currentTask', input.currentTask, 500),
          optText('workspacePath', input.workspacePath, 500),
          optText('model', input.model, 100),
          optInt('intervalSec', input.intervalSec, 1, 86_400),
          workflowIdOf(input.workflowId),
          input.status != null || input.currentTask != null,
          id,
        ],
      );
      const after = (await one(tx, 'select * from agents where id = ?', [id])) as Row;
      this.record(tx, after, 'agent.updated', { principal, requestId });
      return this.view(tx, id);
    });
  }

  /** start / stop / restart / deactivate: the agent's lifecycle. */
  async lifecycle(
    principal: Principal,
    id: string,
    action: 'start' | 'stop' | 'restart' | 'deactivate',
    requestId?: string,
  ): Promise<AgentView> {
    return this.#jobs.transaction(async (tx) => {
      const agent = await this.loadAgent(tx, principal, id, true);
      requireOrgAccess(principal, String(agent.org_id), 'agent', 'member');
      const actor = { principal, requestId };
      if (action === 'restart') {
        if (agent.desired_state !== 'running') throw conflict(`the agent is ${agent.desired_state}; start it instead`);
        // The tasks it held are handed back to its queue: the restarted agent claims them again.
        const held = await rows(tx, `select * from jobs where agent_id = ? and status = 'running' for update`, [id]);
        for (const job of held) await this.#jobs.requeue(tx, job, actor, 'the agent restarted');
      }
      const target = {
        start: { desired: 'running', status: 'idle', event: 'agent.started' },
        restart: { desired: 'running', status: 'idle', event: 'agent.restarted' },
        stop: { desired: 'stopped', status: 'paused', event: 'agent.stopped' },
        deactivate: { desired: 'deactivated', status: 'offline', event: 'agent.deactivated' },
      }[action];
      if (action === 'start' && agent.desired_state === 'running') return this.view(tx, id);
      const row = (await one(
        tx,
        `update agents set desired_state = ?, status = ?, current_task = case when ? then null else current_task end,
           restart_count = restart_count + ?, started_at = case when ? then now() else started_at end,
           stopped_at = case when ? then now() else stopped_at end, updated_at = now()
         where id = ? returning *`,
        [
          target.desired,
          target.status,
          target.desired !== 'running' || action === 'restart',
          action === 'restart' ? 1 : 0,
          target.desired === 'running',
          target.desired !== 'running',
          id,
        ],
      )) as Row;
      this.record(tx, row, target.event, actor, { previousState: String(agent.desired_state) });
      return this.view(tx, id);
    });
  }

  /**
   * Whether a worker may claim from `queue` now: an agent's queue only while the agent runs (checked in
   * the claim's transaction, so a stop that commits first is always seen).
   */
  async claimable(tx: EntityManager, orgId: string, queue: string): Promise<void> {
    if (!queue.startsWith(AGENT_QUEUE_PREFIX)) return;
    const agent = await one(tx, 'select desired_state from agents where id = ? and org_id = ? for share', [
      queue.slice(AGENT_QUEUE_PREFIX.length),
      orgId,
    ]);
    if (!agent) throw new TrellisError('not_found', 'agent not found', { field: 'queue' });
    if (agent.desired_state !== 'running')
      throw new TrellisError('conflict', `the agent is ${agent.desired_state}: its tasks are not claimable`, {
        field: 'queue',
        details: { desiredState: agent.desired_state },
      });
  }

  async queueHealth(orgId: string) {
    const found = await rows(
      this.#em,
      `select a.id, a.name, a.status, a.desired_state,
         count(j.id) filter (where j.status = 'queued')::int as queued,
         count(j.id) filter (where j.status = 'running')::int as running,
         extract(epoch from now() - min(j.created_at) filter (where j.status = 'queued')) as oldest_wait,
         percentile_cont(0.5) within group (order by extract(epoch from j.first_claimed_at - j.created_at))
           filter (where j.first_claimed_at >= now() - interval '24 hours') as wait_p50,
         count(j.id) filter (where j.status = 'succeeded' and j.finished_at >= now() - interval '24 hours')::int as completed,
         count(j.id) filter (where j.status = 'failed' and j.finished_at >= now() - interval '24 hours')::int as failed
       from agents a left join jobs j on j.agent_id = a.id
       where a.org_id = ? group by a.id order by queued desc, a.name`,
      [orgId],
    );
    return found.map((r) => ({
      agentId: String(r.id),
      name: String(r.name),
      status: String(r.status),
      desiredState: String(r.desired_state),
      queued: num(r.queued),
      running: num(r.running),
      oldestWaitSeconds: r.oldest_wait == null ? null : Math.floor(Number(r.oldest_wait)),
      waitP50Seconds: r.wait_p50 == null ? null : Math.round(Number(r.wait_p50) * 1000) / 1000,
      completedLast24h: num(r.completed),
      failedLast24h: num(r.failed),
    }));
  }

  // ---- templates ------------------------------------------------------------------------------------

  private templateValues(input: Record<string, unknown>) {
    return {
      description: optText('description', input.description as string | null, 5_000),
      icon: optText('icon', input.icon as string | null, 100),
      category: optText('category', input.category as string | null, 100),
      model: optText('model', input.model as string | null, 100),
      intervalSec: optInt('intervalSec', input.intervalSec as number | null, 1, 86_400),
      identity: optText('identity', input.identity as string | null, 20_000),
      tools: stringList('tools', input.tools as string[] | null),
      capabilities: stringList('capabilities', input.capabilities as string[] | null),
      config:
        input.config === undefined || input.config === null ? null : boundedJson('config', input.config, 64 * 1024),
      isFeatured: (input.isFeatured as boolean | null | undefined) ?? null,
      sortOrder: optInt('sortOrder', input.sortOrder as number | null, -1_000_000, 1_000_000),
    };
  }

  async getTemplate(principal: Principal, id: string): Promise<AgentTemplateView | null> {
    const row = await one(this.#em, 'select * from agent_templates where id = ?', [id]);
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'agent template');
    return templateFromRow(row);
  }

  async listTemplates(orgId: string, filter: { category?: string | null; featured?: boolean | null }, args: PageArgs) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { id: 'text' });
    const params: unknown[] = [orgId];
    let where = 'org_id = ? and archived_at is null';
    if (filter.category) {
      where += ' and category = ?';
      params.push(filter.category);
    }
    if (filter.featured != null) {
      where += ' and is_featured = ?';
      params.push(filter.featured);
    }
    if (after) {
      where += ' and id < ?';
      params.push(after.id);
    }
    const found = await rows(this.#em, `select * from agent_templates where ${where} order by id desc limit ?`, [
      ...params,
      limit + 1,
    ]);
    return toPage(found.map(templateFromRow), limit, (t) => ({ id: t.id }));
  }

  async createTemplate(
    orgId: string,
    input: Record<string, unknown> & { name: string; slug: string },
    actor: JobActor,
  ) {
    const name = text('name', input.name, 200);
    if (!SLUG.test(input.slug)) throw invalidField('slug', 'slug must be 1 to 63 lowercase letters, digits or "-"');
    const v = this.templateValues(input);
    const now = new Date();
    return this.#jobs.transaction(async (tx) => {
      const row = await one(
        tx,
        `insert into agent_templates (id, org_id, name, slug, description, icon, category, model, interval_sec, identity,
           tools, capabilities, config, is_featured, sort_order, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)
         on conflict (org_id, slug) do nothing returning *`,
        [
          newId('atpl'),
          orgId,
          name,
          input.slug,
          v.description,
          v.icon,
          v.category,
          v.model,
          v.intervalSec,
          v.identity,
          json(v.tools ?? []),
          json(v.capabilities ?? []),
          json(v.config ?? {}),
          v.isFeatured ?? false,
          v.sortOrder ?? 0,
          now,
          now,
        ],
      );
      if (!row)
        throw new TrellisError('already_exists', `a template with slug ${input.slug} exists`, { field: 'slug' });
      recordEvent(tx, {
        orgId,
        type: 'agent_template.created',
        subject: { type: 'agent_template', id: String(row.id) },
        data: { templateId: String(row.id), slug: String(row.slug) },
        actor: actor.principal,
        requestId: actor.requestId,
      });
      return templateFromRow(row);
    });
  }

  async updateTemplate(principal: Principal, id: string, input: Record<string, unknown>, archive = false) {
    const v = this.templateValues(input);
    const name = optText('name', input.name as string | null, 200);
    return this.#jobs.transaction(async (tx) => {
      const current = await one(tx, 'select * from agent_templates where id = ? for update', [id]);
      if (!current) throw notFound('agent template');
      requireOrgAccess(principal, String(current.org_id), 'agent template', 'member');
      if (current.archived_at) throw conflict('the template is archived');
      const row = (await one(
        tx,
        `update agent_templates set name = coalesce(?, name), description = coalesce(?, description),
           icon = coalesce(?, icon), category = coalesce(?, category), model = coalesce(?, model),
           interval_sec = coalesce(?, interval_sec), identity = coalesce(?, identity),
           tools = coalesce(?::jsonb, tools), capabilities = coalesce(?::jsonb, capabilities),
           config = coalesce(?::jsonb, config), is_featured = coalesce(?, is_featured),
           sort_order = coalesce(?, sort_order), archived_at = case when ? then now() else archived_at end,
           updated_at = now()
         where id = ? returning *`,
        [
          name,
          v.description,
          v.icon,
          v.category,
          v.model,
          v.intervalSec,
          v.identity,
          json(v.tools),
          json(v.capabilities),
          json(v.config),
          v.isFeatured,
          v.sortOrder,
          archive,
          id,
        ],
      )) as Row;
      recordEvent(tx, {
        orgId: String(row.org_id),
        type: archive ? 'agent_template.archived' : 'agent_template.updated',
        subject: { type: 'agent_template', id },
        data: { templateId: id, slug: String(row.slug) },
        actor: principal,
      });
      return templateFromRow(row);
    });
  }

  // ---- tasks ----------------------------------------------------------------------------------------

  /** The agent a task names (its id, or its name in the organization). */
  private async assignee(em: EntityManager, orgId: string, ref: string, field: string): Promise<Row> {
    const agent = await one(em, 'select * from agents where org_id = ? and (id = ? or name = ?)', [orgId, ref, ref]);
    if (!agent) throw new TrellisError('not_found', 'agent not found', { field });
    return agent;
  }

  async getTask(principal: Principal, id: string): Promise<AgentTaskView | null> {
    const row = await one(this.#em, `${TASK_SELECT} where t.id = ?`, [id]);
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'task');
    return taskFromRow(row);
  }

  async listTasks(
    orgId: string,
    filter: { status?: string[] | null; priority?: string | null; assignedTo?: string | null },
    args: PageArgs,
  ) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { id: 'text' });
    const params: unknown[] = [orgId];
    let where = 't.org_id = ? and t.archived_at is null';
    if (filter.priority) {
      where += ' and t.priority = ?';
      params.push(filter.priority);
    }
    if (filter.assignedTo) {
      const agent = await one(this.#em, 'select id from agents where org_id = ? and (id = ? or name = ?)', [
        orgId,
        filter.assignedTo,
        filter.assignedTo,
      ]);
      where += ' and t.agent_id = ?';
      params.push(agent ? String(agent.id) : '');
    }
    if (after) {
      where += ' and t.id < ?';
      params.push(after.id);
    }
    if (filter.status?.length) {
      where += ` and (${TASK_STATUS_SQL}) = any(?::text[])`;
      params.push(textArray(filter.status));
    }
    const found = await rows(this.#em, `${TASK_SELECT} where ${where} order by t.id desc limit ?`, [
      ...params,
      limit + 1,
    ]);
    const tasks = found.map(taskFromRow);
    return toPage(tasks, limit, (t) => ({ id: t.id }));
  }

  async createTask(
    orgId: string,
    input: {
      title: string;
      description?: string | null;
      type?: string | null;
      priority?: string | null;
      assignedTo: string;
      productId?: number | null;
      maxDurationSeconds?: number | null;
      status?: string | null;
    },
    actor: JobActor,
  ): Promise<AgentTaskView> {
    const title = text('title', input.title, 500);
    const description = optText('description', input.description, 20_000);
    const kind = input.type ?? 'other';
    if (!TASK_TYPES.has(kind)) throw invalidField('type', `type must be one of ${[...TASK_TYPES].join(', ')}`);
    const priority = input.priority ?? 'medium';
    if (!(priority in PRIORITY_RANK)) throw invalidField('priority', 'priority must be low, medium, high or critical');
    if (input.status != null && input.status !== 'todo')
      throw invalidField('status', 'a new task is todo (its worker moves it on)');
    const productId = optInt('productId', input.productId, 1, 2_147_483_647);
    const agent = await this.assignee(this.#em, orgId, text('assignedTo', input.assignedTo, 100), 'assignedTo');
    if (agent.desired_state === 'deactivated') throw conflict('the agent is deactivated');
    const prepared = await this.#jobs.prepare(orgId, {
      queue: agentQueue(String(agent.id)),
      type: `task.${kind}`,
      payload: { title, description, productId },
      priority: PRIORITY_RANK[priority],
      timeoutSeconds: input.maxDurationSeconds ?? 3_600,
      maxAttempts: 3,
      workflowId: strOrNull(agent.workflow_id),
      agentId: String(agent.id),
    });
    await this.#jobs.refuseWhenHalted(this.#em, orgId, prepared.workflowId);
    return this.#jobs.transaction(async (tx) => {
      const { job } = await this.#jobs.submitIn(tx, orgId, prepared, actor);
      const now = new Date();
      await tx.execute(
        `insert into agent_tasks (id, org_id, agent_id, title, description, kind, priority, product_id, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [job.id, orgId, agent.id, title, description, kind, priority, productId, now, now],
      );
      return taskFromRow((await one(tx, `${TASK_SELECT} where t.id = ?`, [job.id])) as Row);
    });
  }

  async updateTask(
    principal: Principal,
    id: string,
    input: {
      title?: string | null;
      description?: string | null;
      type?: string | null;
      priority?: string | null;
      status?: string | null;
      assignedTo?: string | null;
      resolution?: string | null;
      productId?: number | null;
      maxDurationSeconds?: number | null;
    },
    requestId?: string,
    archive = false,
  ): Promise<AgentTaskView> {
    if (input.type != null && !TASK_TYPES.has(input.type)) throw invalidField('type', 'type is not a task type');
    if (input.priority != null && !(input.priority in PRIORITY_RANK))
      throw invalidField('priority', 'priority must be low, medium, high or critical');
    if (input.status === 'done')
      throw invalidField('status', 'a task is done when its worker completes its job (POST /v1/jobs/{id}/complete)');
    const actor = { principal, requestId };
    return this.#jobs.transaction(async (tx) => {
      const task = await one(tx, 'select * from agent_tasks where id = ? for update', [id]);
      if (!task) throw notFound('task');
      requireOrgAccess(principal, String(task.org_id), 'task', 'member');
      const job = (await one(tx, 'select * from jobs where id = ? for update', [id])) as Row;
      const finished = ['succeeded', 'failed', 'cancelled'].includes(String(job.status));
      if (archive || input.status === 'cancelled') {
        if (!finished) await this.#jobs.cancelIn(tx, job, actor, archive ? 'task archived' : 'task cancelled');
      }
      if (input.assignedTo != null) {
        const agent = await this.assignee(tx, String(task.org_id), input.assignedTo, 'assignedTo');
        if (agent.id !== task.agent_id) {
          if (job.status !== 'queued')
            throw conflict(`the task is ${job.status}; only a queued task can be reassigned`);
          await this.#jobs.moveQueued(tx, job, agentQueue(String(agent.id)), String(agent.id), actor);
        }
      }
      const label =
        input.status === 'review' || input.status === 'blocked'
          ? input.status
          : input.status === 'todo' || input.status === 'in_progress'
            ? ''
            : null;
      await tx.execute(
        `update agent_tasks set title = coalesce(?, title), description = coalesce(?, description),
           kind = coalesce(?, kind), priority = coalesce(?, priority), resolution = coalesce(?, resolution),
           product_id = coalesce(?, product_id), agent_id = coalesce(?, agent_id),
           label = case when ? is null then label when ? = '' then null else ? end,
           archived_at = case when ? then now() else archived_at end, updated_at = now()
         where id = ?`,
        [
          optText('title', input.title, 500),
          optText('description', input.description, 20_000),
          input.type ?? null,
          input.priority ?? null,
          optText('resolution', input.resolution, 20_000),
          optInt('productId', input.productId, 1, 2_147_483_647),
          input.assignedTo != null
            ? String((await this.assignee(tx, String(task.org_id), input.assignedTo, 'assignedTo')).id)
            : null,
          label,
          label,
          label,
          archive,
          id,
        ],
      );
      return taskFromRow((await one(tx, `${TASK_SELECT} where t.id = ?`, [id])) as Row);
    });
  }

  static readonly statuses = AGENT_STATUSES;
}
