/**
 * The AI gateway's records in compute: one row per model call (written only with the gateway's
 * signature, kernel/ai-call-record.ts), with `provider.call.completed | failed` in the same
 * transaction (outbox); the organization's proxy settings; usage per UTC day with totals and spend
 * by model and by key; opt-in request logs with a retention, swept by a worker.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyAiCallRecord } from '../../../kernel/ai-call-record.ts';
import { type NativePool, nativePool } from '../../../kernel/database.ts';
import { invalidField, TrellisError } from '../../../kernel/errors.ts';
import { isWorkflowId, newId } from '../../../kernel/ids.ts';
import type { Logger } from '../../../kernel/logger.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { wakeOutboxRelay } from '../../../kernel/outbox-relay.ts';
import type { Principal } from '../../../kernel/principal.ts';
import { snakeCaseKeys } from '../../../kernel/snake-case.ts';
import { AiSettings } from './entities.ts';

/** Scopes of a proxy-scoped API key: the gateway's own, and governance's execute/track. */
export const PROXY_KEY_SCOPES = ['ai:write', 'executions:write'];
const DEFAULT_RETENTION_DAYS = 7;
const MAX_USAGE_DAYS = 90;
/** A logged request and its answer are bounded: the log is for debugging, not an archive. */
const MAX_LOG_BYTES = 256 * 1024;

export interface AiSettingsView {
  defaultWorkflowId: string | null;
  requestLogging: boolean;
  logRetentionDays: number;
}

export interface RecordAiCallInput {
  callId: string;
  orgId: string;
  apiKeyId?: string | null;
  workflowId?: string | null;
  executionId?: string | null;
  provider: string;
  model: string;
  surface: 'CHAT_COMPLETIONS' | 'RESPONSES' | 'PROVIDERS_EXECUTE';
  stream: boolean;
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  estimatedCostMicros: number;
  latencyMs: number;
  timeToFirstTokenMs?: number | null;
  errorCode?: string | null;
  log?: unknown;
}

/**
 * `recordAiCall`'s statement ($1–$18 the row, $19–$23 the event, $24 the log or null). Nothing of it
 * happens when the call id is already recorded (`call` then returns no row).
 */
const RECORD_AI_CALL = `
  with call as (
    insert into ai_calls (id, org_id, api_key_id, principal_id, workflow_id, execution_id, provider, model,
      surface, stream, status, input_tokens, output_tokens, cost_micros, estimated_cost_micros, latency_ms,
      time_to_first_token_ms, error_code, created_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, now())
    on conflict (id) do nothing
    returning id, org_id
  ),
  event as (
    insert into outbox (id, org_id, type, subject_type, subject_id, actor_type, actor_id, request_id, data,
      occurred_at, next_attempt_at)
    select $19::text, call.org_id, $20::text, 'ai_call', call.id, $21::text, $4::text, $22::text, $23::jsonb, now(), now()
    from call
  ),
  log as (
    insert into ai_request_logs (call_id, org_id, body, expires_at)
    select call.id, call.org_id, $24::jsonb, now() + make_interval(days => s.log_retention_days)
    from call join ai_settings s on s.org_id = call.org_id and s.request_logging
    where $24::jsonb is not null
  )
  select count(*)::int as recorded from call`;

/** One call's values for `RECORD_AI_CALLS` (its recordset's columns; `log` as JSON text or null). */
interface RecordRow {
  id: string;
  org_id: string;
  api_key_id: string | null;
  principal_id: string;
  workflow_id: string | null;
  execution_id: string | null;
  provider: string;
  model: string;
  surface: string;
  stream: boolean;
  status: string;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  estimated_cost_micros: number;
  latency_ms: number;
  time_to_first_token_ms: number | null;
  error_code: string | null;
  event_id: string;
  event_type: string;
  actor_type: string;
  request_id: string | null;
  data: Record<string, unknown>;
  log: string | null;
}

/** The row's columns that are not the call's own: its outbox event and opt-in log. */
type EventColumn = 'event_id' | 'event_type' | 'actor_type' | 'request_id' | 'data' | 'log';

/** `RECORD_AI_CALL` for several calls at once ($1: their `RecordRow`s); returns the ids it recorded. */
const RECORD_AI_CALLS = `
  with input as (
    select * from jsonb_to_recordset($1::jsonb) as i(n int, id text, org_id text, api_key_id text, principal_id text,
      workflow_id text, execution_id text, provider text, model text, surface text, stream boolean, status text,
      input_tokens bigint, output_tokens bigint, cost_micros bigint, estimated_cost_micros bigint, latency_ms integer,
      time_to_first_token_ms integer, error_code text, event_id text, event_type text, actor_type text,
      request_id text, data jsonb, log text)
  ),
  call as (
    insert into ai_calls (id, org_id, api_key_id, principal_id, workflow_id, execution_id, provider, model,
      surface, stream, status, input_tokens, output_tokens, cost_micros, estimated_cost_micros, latency_ms,
      time_to_first_token_ms, error_code, created_at)
    select id, org_id, api_key_id, principal_id, workflow_id, execution_id, provider, model, surface, stream, status,
      input_tokens, output_tokens, cost_micros, estimated_cost_micros, latency_ms, time_to_first_token_ms,
      error_code, now()
    from input order by n
    on conflict (id) do nothing
    returning id, org_id
  ),
  event as (
    insert into outbox (id, org_id, type, subject_type, subject_id, actor_type, actor_id, request_id, data,
      occurred_at, next_attempt_at)
    select i.event_id, call.org_id, i.event_type, 'ai_call', call.id, i.actor_type, i.principal_id, i.request_id,
      i.data, now(), now()
    from call join input i on i.id = call.id
    order by i.n
  ),
  log as (
    insert into ai_request_logs (call_id, org_id, body, expires_at)
    select call.id, call.org_id, i.log::jsonb, now() + make_interval(days => s.log_retention_days)
    from call join input i on i.id = call.id join ai_settings s on s.org_id = call.org_id and s.request_logging
    where i.log is not null
  )
  select id from call`;

/** Records per statement, at most. */
const MAX_RECORDS_PER_STATEMENT = 64;

/** Statements written and records they held (shows the grouping in tests and benches). */
export const aiCallRecordStats = { statements: 0, records: 0 };

interface PendingRecord {
  row: RecordRow;
  resolve(recorded: boolean): void;
  reject(error: unknown): void;
}

/** Per pool, the records waiting for the end of this turn of the event loop. */
const waitingRecords = new WeakMap<NativePool, PendingRecord[]>();

/**
 * Records `row` together with the others that arrive in the same turn of the event loop (calls that
 * settle together): one statement — one transaction — for all of them instead of one each. Resolves
 * with whether this call id was new.
 */
function recordTogether(pool: NativePool, row: RecordRow): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let waiting = waitingRecords.get(pool);
    if (!waiting) {
      const batch: PendingRecord[] = [];
      waiting = batch;
      waitingRecords.set(pool, batch);
      setImmediate(() => {
        waitingRecords.delete(pool);
        void recordBatch(pool, batch);
      });
    }
    waiting.push({ row, resolve, reject });
  });
}

/**
 * Writes a turn's records, in statements of up to MAX_RECORDS_PER_STATEMENT. A call id given twice
 * (a retried record) goes alone after its first, so "once per call id" is decided by the database as
 * for one. A statement that fails is retried one record at a time: one bad record fails alone.
 */
async function recordBatch(pool: NativePool, batch: PendingRecord[]): Promise<void> {
  const seen = new Set<string>();
  const distinct: PendingRecord[] = [];
  const repeated: PendingRecord[] = [];
  for (const item of batch) {
    if (seen.has(item.row.id)) repeated.push(item);
    else {
      seen.add(item.row.id);
      distinct.push(item);
    }
  }
  const groups: PendingRecord[][] = [];
  for (let i = 0; i < distinct.length; i += MAX_RECORDS_PER_STATEMENT)
    groups.push(distinct.slice(i, i + MAX_RECORDS_PER_STATEMENT));
  await Promise.all(
    groups.map((group) => (group.length === 1 ? recordAlone(pool, group[0]) : recordGroup(pool, group))),
  );
  for (const item of repeated) await recordAlone(pool, item);
}

async function recordGroup(pool: NativePool, group: PendingRecord[]): Promise<void> {
  let recorded: Set<string>;
  try {
    const result = await pool.query<{ id: string }>({
      name: 'compute_record_ai_calls',
      text: RECORD_AI_CALLS,
      values: [JSON.stringify(group.map((item, n) => ({ n, ...item.row })))],
    });
    recorded = new Set(result.rows.map((row) => row.id));
    aiCallRecordStats.statements++;
    aiCallRecordStats.records += group.length;
  } catch {
    await Promise.all(group.map((item) => recordAlone(pool, item)));
    return;
  }
  for (const item of group) item.resolve(recorded.has(item.row.id));
}

async function recordAlone(pool: NativePool, item: PendingRecord | undefined): Promise<void> {
  if (!item) return;
  const r = item.row;
  try {
    const result = await pool.query<{ recorded: number }>({
      name: 'compute_record_ai_call',
      text: RECORD_AI_CALL,
      values: [
        r.id,
        r.org_id,
        r.api_key_id,
        r.principal_id,
        r.workflow_id,
        r.execution_id,
        r.provider,
        r.model,
        r.surface,
        r.stream,
        r.status,
        r.input_tokens,
        r.output_tokens,
        r.cost_micros,
        r.estimated_cost_micros,
        r.latency_ms,
        r.time_to_first_token_ms,
        r.error_code,
        r.event_id,
        r.event_type,
        r.actor_type,
        r.request_id,
        JSON.stringify(r.data),
        r.log,
      ],
    });
    aiCallRecordStats.statements++;
    aiCallRecordStats.records++;
    item.resolve(result.rows[0]?.recorded === 1);
  } catch (error) {
    item.reject(error);
  }
}

const n = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

export class AiRecords {
  readonly #em: EntityManager;
  readonly #secret: string;
  readonly #publicBaseUrl: string;

  constructor(em: EntityManager, secret: string, publicBaseUrl: string) {
    this.#em = em;
    this.#secret = secret;
    this.#publicBaseUrl = publicBaseUrl;
  }

  async settings(orgId: string): Promise<AiSettingsView> {
    const row = await this.#em.findOne(AiSettings, { orgId });
    return {
      defaultWorkflowId: row?.defaultWorkflowId ?? null,
      requestLogging: row?.requestLogging ?? false,
      logRetentionDays: row?.logRetentionDays ?? DEFAULT_RETENTION_DAYS,
    };
  }

  async proxyInfo(orgId: string) {
    return {
      baseUrl: this.#publicBaseUrl,
      authentication:
        'Authorization: Bearer <Trellis API key with the ai:write and executions:write scopes>; optional X-Workflow-Id',
      keyScopes: PROXY_KEY_SCOPES,
      settings: await this.settings(orgId),
    };
  }

  async updateSettings(
    principal: Principal,
    orgId: string,
    input: { defaultWorkflowId?: string | null; requestLogging?: boolean | null; logRetentionDays?: number | null },
    requestId?: string,
  ): Promise<AiSettingsView> {
    const current = await this.settings(orgId);
    const next: AiSettingsView = { ...current };
    if (input.defaultWorkflowId !== undefined) {
      if (input.defaultWorkflowId !== null && !isWorkflowId(input.defaultWorkflowId))
        throw invalidField('input.defaultWorkflowId', 'defaultWorkflowId must be a workflow id (wf_…)');
      next.defaultWorkflowId = input.defaultWorkflowId;
    }
    if (input.requestLogging !== undefined && input.requestLogging !== null) next.requestLogging = input.requestLogging;
    if (input.logRetentionDays !== undefined && input.logRetentionDays !== null) {
      if (!Number.isInteger(input.logRetentionDays) || input.logRetentionDays < 1 || input.logRetentionDays > 90)
        throw invalidField('input.logRetentionDays', 'logRetentionDays must be between 1 and 90');
      next.logRetentionDays = input.logRetentionDays;
    }
    await this.#em.transactional(async (tx) => {
      await tx.execute(
        `insert into ai_settings (org_id, default_workflow_id, request_logging, log_retention_days, updated_at)
         values (?, ?, ?, ?, now())
         on conflict (org_id) do update set default_workflow_id = excluded.default_workflow_id,
           request_logging = excluded.request_logging, log_retention_days = excluded.log_retention_days,
           updated_at = now()`,
        [orgId, next.defaultWorkflowId, next.requestLogging, next.logRetentionDays],
      );
      // Turning logging off deletes what was kept: the organization asked for nothing to be stored.
      if (!next.requestLogging) await tx.execute('delete from ai_request_logs where org_id = ?', [orgId]);
      recordEvent(tx, {
        orgId,
        type: 'ai_proxy.settings_updated',
        subject: { type: 'organization', id: orgId },
        data: { ...next },
        actor: principal,
        requestId,
      });
    });
    return next;
  }

  /**
   * Stores one call the gateway made, once per call id (a retried record changes nothing), with its
   * event; the prompt and completion only when the organization turned request logging on.
   */
  async record(principal: Principal, input: RecordAiCallInput, signature: string, requestId?: string) {
    if (!verifyAiCallRecord(this.#secret, input, signature))
      throw new TrellisError('forbidden', 'Only the AI gateway records model calls', { field: 'signature' });
    const { log, ...call } = input;
    const body = log === undefined || log === null ? null : JSON.stringify(log);
    const status = call.status.toLowerCase();
    const surface = call.surface.toLowerCase();
    const event = {
      callId: call.callId,
      provider: call.provider,
      model: call.model,
      surface,
      stream: call.stream,
      status,
      inputTokens: call.inputTokens,
      outputTokens: call.outputTokens,
      costMicros: call.costMicros,
      estimatedCostMicros: call.estimatedCostMicros,
      latencyMs: call.latencyMs,
      timeToFirstTokenMs: call.timeToFirstTokenMs ?? null,
      workflowId: call.workflowId ?? null,
      executionId: call.executionId ?? null,
      apiKeyId: call.apiKeyId ?? null,
      errorCode: call.errorCode ?? null,
    };
    // One statement is the transaction: the row, its event in the outbox (outbox.ts's columns) and the
    // opt-in log are written together or not at all, once per call id — with the other calls of this
    // turn of the event loop (recordTogether).
    const pool = await nativePool(this.#em);
    const { callId, ...columns } = event;
    const recorded = await recordTogether(pool, {
      // The call's columns are the event's fields, in snake case.
      ...(snakeCaseKeys(columns) as Omit<RecordRow, 'id' | 'org_id' | 'principal_id' | EventColumn>),
      id: callId,
      org_id: call.orgId,
      principal_id: principal.id,
      event_id: newId('evt'),
      event_type: call.status === 'FAILED' ? 'provider.call.failed' : 'provider.call.completed',
      actor_type: principal.kind,
      request_id: requestId ?? null,
      data: event,
      // Only when the organization asked for it (the statement checks), kept for its retention.
      log: body !== null && body.length <= MAX_LOG_BYTES ? body : null,
    });
    // The statement wrote the outbox row by hand (no ORM flush to wake the relay).
    if (recorded) wakeOutboxRelay(this.#em);
    return recorded;
  }

  async usage(orgId: string, requestedDays: number | null | undefined) {
    const days = requestedDays ?? 30;
    if (!Number.isInteger(days) || days < 1 || days > MAX_USAGE_DAYS)
      throw invalidField('days', `days must be between 1 and ${MAX_USAGE_DAYS}`);
    const today = new Date();
    const since = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1)));
    const where = 'org_id = ? and created_at >= ?';
    const [daily, byModel, byKey] = await Promise.all([
      this.#em.execute(
        `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as date, count(*) as calls,
           count(*) filter (where status = 'failed') as failed, sum(input_tokens) as input,
           sum(output_tokens) as output, sum(cost_micros) as cost
         from ai_calls where ${where} group by 1 order by 1`,
        [orgId, since],
      ),
      this.#em.execute(
        `select model, provider, count(*) as calls, sum(input_tokens) as input, sum(output_tokens) as output,
           sum(cost_micros) as cost
         from ai_calls where ${where} group by model, provider order by sum(cost_micros) desc, model limit 100`,
        [orgId, since],
      ),
      this.#em.execute(
        `select api_key_id, count(*) as calls, sum(cost_micros) as cost
         from ai_calls where ${where} group by api_key_id order by sum(cost_micros) desc limit 100`,
        [orgId, since],
      ),
    ]);
    const dailyRows = daily.map((r) => ({
      date: String(r.date),
      calls: n(r.calls),
      failedCalls: n(r.failed),
      inputTokens: n(r.input),
      outputTokens: n(r.output),
      costMicros: n(r.cost),
    }));
    const totals = dailyRows.reduce(
      (sum, d) => ({
        calls: sum.calls + d.calls,
        failedCalls: sum.failedCalls + d.failedCalls,
        inputTokens: sum.inputTokens + d.inputTokens,
        outputTokens: sum.outputTokens + d.outputTokens,
        costMicros: sum.costMicros + d.costMicros,
      }),
      { calls: 0, failedCalls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 },
    );
    return {
      days,
      since,
      daily: dailyRows,
      totals,
      byModel: byModel.map((r) => ({
        model: String(r.model),
        provider: String(r.provider),
        calls: n(r.calls),
        inputTokens: n(r.input),
        outputTokens: n(r.output),
        costMicros: n(r.cost),
      })),
      byKey: byKey.map((r) => ({ apiKeyId: r.api_key_id ?? null, calls: n(r.calls), costMicros: n(r.cost) })),
    };
  }
}

/** Deletes request logs past their retention, every minute (one statement; safe on every replica). */
export function startRequestLogSweeper(em: EntityManager, log: Logger, intervalMs = 60_000) {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = em
      .fork()
      .execute('delete from ai_request_logs where expires_at <= now()')
      .catch((error) => log.warn({ err: error }, 'ai request log sweep failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    name: 'compute-ai-request-logs',
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
