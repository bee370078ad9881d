/**
 * Jobs (seeds 001 and 004; docs/jobs.md): submit with an idempotency key and a cost estimate, read, list,
 * cancel; workers claim with a lease, heartbeat, complete or fail (retried with backoff until
 * `maxAttempts`, then failed for good — dead-lettered).
 *
 * Every state change updates the `jobs` row, moves the engine's job (queue/engine.ts) and appends the
 * `job.*` event in ONE transaction: a crash leaves either all three or none.
 *
 * Contract for other compute modules (pipelines build on it; keep it stable):
 * - `submit(orgId, submission, actor)` → `{ job, replayed }`; `submission.origin` (`{ runId, nodeId }`)
 *   is stored and carried in every event;
 * - `submitIn(tx, orgId, prepared, actor)` does the same inside the caller's transaction
 *   (after `prepare(orgId, submission)`, which validates and creates the engine queue);
 * - terminal transitions append `job.succeeded`, `job.failed` (attempts exhausted: dead-lettered) or
 *   `job.cancelled`, whose data carries `{ jobId, queue, type, status, result?, error?, origin? }`.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireOrgAccess } from '../../../kernel/authz.ts';
import { conflict, invalidField, notFound, TrellisError } from '../../../kernel/errors.ts';
import { isWorkflowId, newId } from '../../../kernel/ids.ts';
import { checkJsonValue, textProblem } from '../../../kernel/json-limits.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { decodeCursor, type PageArgs, pageSize, toPage } from '../../../kernel/pagination.ts';
import type { Principal } from '../../../kernel/principal.ts';
import type { CatalogService } from '../catalog.ts';
import { type EngineAttempt, engineQueueName, type QueueEngine } from '../queue/engine.ts';
import { admitToPool, poolClaimGate, runnerMinutes } from '../runner-pools.ts';
import { date, dateOrNull, json, num, one, type Row, rows, strOrNull, textArray, withRetry } from '../sql.ts';
import { amountMicros } from '../usage.ts';
import { checkCredentialKey, missingCredentials, type VaultService } from '../vault/vault.ts';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
const FINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

export interface JobOrigin {
  runId: string;
  nodeId: string;
}

export interface JobSubmission {
  queue?: string | null;
  type: string;
  payload?: unknown;
  priority?: number | null;
  maxAttempts?: number | null;
  timeoutSeconds?: number | null;
  retryDelaySeconds?: number | null;
  retryBackoff?: boolean | null;
  idempotencyKey?: string | null;
  workflowId?: string | null;
  gpuModelId?: string | null;
  gpuCount?: number | null;
  tier?: string | null;
  origin?: JobOrigin | null;
  /** Set by the agents module: a task is a job on its agent's queue. */
  agentId?: string | null;
  /** Vault secret names the worker receives at claim (docs/jobs.md#secrets). */
  secrets?: readonly string[] | null;
}

/** Who asked: a caller (user or API key) and its request, or compute itself (a pipeline step). */
export interface JobActor {
  principal?: Principal;
  requestId?: string;
}

export interface ClaimRequest {
  workerId: string;
  queue?: string | null;
  batchSize?: number | null;
}

/**
 * What a queue's owner (runner pools) lets one claim take: at most `limit` jobs, each stamped with the
 * runner tier it is billed at.
 */
export interface ClaimGate {
  limit?: number;
  stamp?: { ramGb: number; pricePerMinuteMicros: number };
}

export const JOB_LIMITS = {
  payloadBytes: 256 * 1024,
  resultBytes: 256 * 1024,
  maxAttempts: 100,
  timeoutSeconds: 86_400,
  retryDelaySeconds: 3_600,
  priority: 1_000,
  batchSize: 100,
  secrets: 20,
} as const;

const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const JSON_LIMITS = { maxDepth: 32, maxKeys: 1_000, maxTotalKeys: 10_000, maxArrayLength: 10_000 };

export function jobFromRow(r: Row) {
  return {
    id: String(r.id),
    orgId: String(r.org_id),
    queue: String(r.queue),
    type: String(r.type),
    payload: r.payload as unknown,
    priority: num(r.priority),
    status: String(r.status) as JobStatus,
    attempts: num(r.attempts),
    maxAttempts: num(r.max_attempts),
    timeoutSeconds: num(r.timeout_seconds),
    retryDelaySeconds: num(r.retry_delay_seconds),
    retryBackoff: Boolean(r.retry_backoff),
    workerId: strOrNull(r.worker_id),
    leaseExpiresAt: dateOrNull(r.lease_expires_at),
    result: (r.result as unknown) ?? null,
    error: (r.error as unknown) ?? null,
    idempotencyKey: strOrNull(r.idempotency_key),
    gpuModelId: strOrNull(r.gpu_model_id),
    gpuCount: num(r.gpu_count),
    tier: strOrNull(r.tier),
    costEstimateMicros: num(r.cost_estimate_micros),
    costMicros: r.cost_micros == null ? null : num(r.cost_micros),
    workflowId: strOrNull(r.workflow_id),
    origin: (r.origin as JobOrigin | null) ?? null,
    agentId: strOrNull(r.agent_id),
    secretNames: (r.secret_names as string[] | null) ?? [],
    /** The secrets' values: only a claim's answer carries them (`claim`), never a row. */
    secrets: null as Record<string, string> | null,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    startedAt: dateOrNull(r.started_at),
    finishedAt: dateOrNull(r.finished_at),
  };
}
export type JobView = ReturnType<typeof jobFromRow>;

/** A submission checked and priced, ready to insert (in the caller's transaction, for pipelines). */
export interface PreparedJob {
  queue: string;
  type: string;
  payload: unknown;
  priority: number;
  maxAttempts: number;
  timeoutSeconds: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  idempotencyKey: string | null;
  requestHash: string;
  workflowId: string | null;
  gpuModelId: string | null;
  gpuCount: number;
  tier: string | null;
  priceCentsPerHour: number;
  costEstimateMicros: number;
  origin: JobOrigin | null;
  agentId: string | null;
  secretNames: string[];
  engineQueue: string;
}

function intIn(field: string, value: number | null | undefined, min: number, max: number, fallback: number): number {
  if (value == null) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw invalidField(field, `${field} must be an integer from ${min} to ${max}`);
  return value;
}

/** The secret names a submission asks for: bounded, well-formed, distinct (their existence is checked apart). */
function secretNamesOf(names: readonly string[] | null | undefined): string[] {
  if (names == null) return [];
  if (names.length > JOB_LIMITS.secrets)
    throw invalidField('secrets', `secrets names at most ${JOB_LIMITS.secrets} vault secrets`);
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    checkCredentialKey(name, `secrets[${i}]`);
    if (seen.has(name)) throw invalidField(`secrets[${i}]`, `secrets[${i}] names "${name}" twice`);
    seen.add(name);
  }
  return [...names];
}

function text(field: string, value: string, max: number): string {
  if (value.length < 1 || value.length > max) throw invalidField(field, `${field} must be 1 to ${max} characters`);
  const problem = textProblem(value);
  if (problem) throw invalidField(field, `${field} ${problem}`);
  return value;
}

/** A JSON value a client sent (payload, result, error), bounded in size and storable. */
export function boundedJson(field: string, value: unknown, maxBytes: number): unknown {
  if (value === undefined) return null;
  checkJsonValue(value, JSON_LIMITS, [field]);
  const size = Buffer.byteLength(JSON.stringify(value) ?? 'null');
  if (size > maxBytes) throw invalidField(field, `${field} must be at most ${maxBytes} bytes of JSON`);
  return value;
}

/** JSON with object keys sorted: two submissions that mean the same thing hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

const eventData = (job: Row, extra: Record<string, unknown> = {}) => ({
  jobId: String(job.id),
  queue: String(job.queue),
  type: String(job.type),
  status: String(job.status),
  attempt: num(job.attempts),
  maxAttempts: num(job.max_attempts),
  ...(job.origin ? { origin: job.origin } : {}),
  ...(job.agent_id ? { agentId: String(job.agent_id) } : {}),
  ...(job.workflow_id ? { workflowId: String(job.workflow_id) } : {}),
  ...extra,
});

export class JobService {
  readonly #em: EntityManager;
  readonly #engine: QueueEngine;
  readonly #catalog: CatalogService;
  /** The vault over a claim's transaction: a job's secrets are opened (and audited) where it is claimed. */
  readonly #vaultIn: (tx: EntityManager) => VaultService;

  constructor(
    em: EntityManager,
    engine: QueueEngine,
    catalog: CatalogService,
    vaultIn: (tx: EntityManager) => VaultService,
  ) {
    this.#em = em;
    this.#engine = engine;
    this.#catalog = catalog;
    this.#vaultIn = vaultIn;
  }

  /** Runs `fn` in a fresh transaction (retried on deadlock / serialization failure). */
  transaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return withRetry(() => this.#em.fork().transactional((tx) => fn(tx as EntityManager)));
  }

  // ---- submit ---------------------------------------------------------------------------------------

  /** Validates and prices a submission, and creates its engine queue (outside any transaction). */
  async prepare(orgId: string, input: JobSubmission): Promise<PreparedJob> {
    const queue = input.queue ?? 'default';
    if (!QUEUE_NAME.test(queue))
      throw invalidField(
        'queue',
        'queue must be 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit',
      );
    const type = text('type', input.type, 100);
    const payload = boundedJson('payload', input.payload ?? {}, JOB_LIMITS.payloadBytes);
    const priority = intIn('priority', input.priority, -JOB_LIMITS.priority, JOB_LIMITS.priority, 0);
    const maxAttempts = intIn('maxAttempts', input.maxAttempts, 1, JOB_LIMITS.maxAttempts, 3);
    const timeoutSeconds = intIn('timeoutSeconds', input.timeoutSeconds, 1, JOB_LIMITS.timeoutSeconds, 900);
    const retryDelaySeconds = intIn('retryDelaySeconds', input.retryDelaySeconds, 0, JOB_LIMITS.retryDelaySeconds, 1);
    const retryBackoff = input.retryBackoff ?? true;
    const idempotencyKey = input.idempotencyKey == null ? null : text('idempotencyKey', input.idempotencyKey, 255);
    if (idempotencyKey && !/^[\x20-\x7e]+$/.test(idempotencyKey))
      throw invalidField('idempotencyKey', 'idempotencyKey must be printable ASCII');
    const workflowId = input.workflowId ?? null;
    if (workflowId !== null && !isWorkflowId(workflowId))
      throw invalidField('workflowId', 'workflowId must be a workflow id (wf_…)');
    const secretNames = secretNamesOf(input.secrets);
    const [absent] = await missingCredentials(this.#em, orgId, secretNames);
    if (absent !== undefined) {
      const i = secretNames.indexOf(absent);
      throw invalidField(
        `secrets[${i}]`,
        `secrets[${i}]: unknown secret "${absent}" (store it with POST /v1/orgs/{orgId}/credentials)`,
      );
    }
    const origin = input.origin
      ? {
          runId: text('origin.runId', input.origin.runId, 128),
          nodeId: text('origin.nodeId', input.origin.nodeId, 128),
        }
      : null;
    let gpuModelId: string | null = null;
    let tier: string | null = null;
    let gpuCount = 0;
    let priceCentsPerHour = 0;
    if (input.gpuModelId != null) {
      gpuModelId = text('gpuModelId', input.gpuModelId, 64);
      tier = input.tier ?? 'community';
      gpuCount = intIn('gpuCount', input.gpuCount, 1, 16, 1);
      const price = await this.#catalog.price(gpuModelId, tier);
      if (!price)
        throw invalidField('gpuModelId', `${gpuModelId} is not sold in the ${tier} tier (see GET /v1/pricing)`);
      priceCentsPerHour = price.pricePerGpuHourCents;
    } else if (input.gpuCount != null || input.tier != null)
      throw invalidField('gpuModelId', 'gpuModelId is required with gpuCount or tier');
    const prepared = {
      queue,
      type,
      payload,
      priority,
      maxAttempts,
      timeoutSeconds,
      retryDelaySeconds,
      retryBackoff,
      idempotencyKey,
      workflowId,
      gpuModelId,
      gpuCount,
      tier,
      priceCentsPerHour,
      // The most the job can cost: every GPU for the whole timeout of every attempt.
      costEstimateMicros: amountMicros(gpuCount * timeoutSeconds * maxAttempts, priceCentsPerHour),
      origin,
      agentId: input.agentId ?? null,
      secretNames,
      engineQueue: engineQueueName(orgId, queue),
    };
    // A submission without secrets hashes as it did before jobs could name any (replays of older jobs still match).
    const { secretNames: _names, ...unnamed } = prepared;
    const requestHash = createHash('sha256')
      .update(
        canonical({
          ...(secretNames.length > 0 ? prepared : unnamed),
          idempotencyKey: undefined,
          costEstimateMicros: undefined,
          priceCentsPerHour: undefined,
        }),
      )
      .digest('hex');
    await this.#engine.ensureQueue(prepared.engineQueue);
    return { ...prepared, requestHash };
  }

  /** Submits a job; the same idempotency key with the same submission returns the first job (`replayed`). */
  async submit(orgId: string, input: JobSubmission, actor: JobActor): Promise<{ job: JobView; replayed: boolean }> {
    const prepared = await this.prepare(orgId, input);
    await this.refuseWhenHalted(this.#em, orgId, prepared.workflowId);
    return this.transaction((tx) => this.submitIn(tx, orgId, prepared, actor));
  }

  /** Inserts the job, queues it in the engine and appends `job.submitted`, all in `tx`. */
  async submitIn(
    tx: EntityManager,
    orgId: string,
    job: PreparedJob,
    actor: JobActor,
  ): Promise<{ job: JobView; replayed: boolean }> {
    await admitToPool(tx, orgId, job.queue);
    const id = newId('job');
    const engineId = crypto.randomUUID();
    const now = new Date();
    const inserted = await one(
      tx,
      `insert into jobs (id, org_id, queue, type, payload, priority, max_attempts, timeout_seconds, retry_delay_seconds,
         retry_backoff, status, engine_id, engine_queue, idempotency_key, request_hash, gpu_model_id, gpu_count, tier,
         price_cents_per_hour, cost_estimate_micros, workflow_id, origin, agent_id, secret_names, created_by, created_at,
         updated_at)
       values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::text[], ?, ?, ?)
       on conflict (org_id, idempotency_key) where idempotency_key is not null do nothing
       returning *`,
      [
        id,
        orgId,
        job.queue,
        job.type,
        json(job.payload) ?? 'null',
        job.priority,
        job.maxAttempts,
        job.timeoutSeconds,
        job.retryDelaySeconds,
        job.retryBackoff,
        engineId,
        job.engineQueue,
        job.idempotencyKey,
        job.requestHash,
        job.gpuModelId,
        job.gpuCount,
        job.tier,
        job.priceCentsPerHour,
        job.costEstimateMicros,
        job.workflowId,
        json(job.origin),
        job.agentId,
        textArray(job.secretNames),
        actor.principal?.id ?? null,
        now,
        now,
      ],
    );
    if (!inserted) {
      const existing = await one(tx, 'select * from jobs where org_id = ? and idempotency_key = ?', [
        orgId,
        job.idempotencyKey,
      ]);
      if (!existing) throw new TrellisError('internal', 'idempotent job vanished');
      if (existing.request_hash !== job.requestHash)
        throw new TrellisError('idempotency_conflict', 'This idempotency key was used for another job submission', {
          field: 'idempotencyKey',
        });
      return { job: jobFromRow(existing), replayed: true };
    }
    await this.#engine.send(
      tx,
      job.engineQueue,
      { jobId: id },
      {
        // pg-boss stores the engine id we chose: the row and the engine job name each other from the start.
        priority: job.priority,
        retryLimit: job.maxAttempts - 1,
        retryDelaySeconds: job.retryDelaySeconds,
        retryBackoff: job.retryBackoff,
        leaseSeconds: job.timeoutSeconds,
      },
      engineId,
    );
    this.record(tx, inserted, 'job.submitted', actor, {
      payloadBytes: Buffer.byteLength(JSON.stringify(job.payload)),
      priority: job.priority,
      costEstimateMicros: job.costEstimateMicros,
    });
    return { job: jobFromRow(inserted), replayed: false };
  }

  /** Refuses new work for a paused or killed governance workflow (compute's copy of its state). */
  async refuseWhenHalted(em: EntityManager, orgId: string, workflowId: string | null): Promise<void> {
    if (!workflowId) return;
    const state = await one(em, 'select status from workflow_states where workflow_id = ? and org_id = ?', [
      workflowId,
      orgId,
    ]);
    if (state?.status === 'paused' || state?.status === 'killed')
      throw new TrellisError('call_denied', `The workflow ${workflowId} is ${state.status}; it admits no new jobs`, {
        field: 'workflowId',
        details: { reason: state.status === 'paused' ? 'workflow_paused' : 'workflow_killed' },
      });
  }

  // ---- read -----------------------------------------------------------------------------------------

  async get(principal: Principal, id: string): Promise<JobView | null> {
    const row = await one(this.#em, 'select * from jobs where id = ?', [id]);
    if (!row) return null;
    requireOrgAccess(principal, String(row.org_id), 'job');
    return jobFromRow(row);
  }

  async list(
    orgId: string,
    filter: { queue?: string | null; status?: string[] | null; type?: string | null; workflowId?: string | null },
    args: PageArgs,
  ) {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.cursor, { id: 'text' });
    const where = ['org_id = ?'];
    const params: unknown[] = [orgId];
    const and = (condition: string, value: unknown) => {
      where.push(condition);
      params.push(value);
    };
    if (filter.queue) and('queue = ?', filter.queue);
    if (filter.type) and('type = ?', filter.type);
    if (filter.workflowId) and('workflow_id = ?', filter.workflowId);
    if (filter.status?.length) {
      const unknown = filter.status.find((s) => !(JOB_STATUSES as readonly string[]).includes(s));
      if (unknown) throw invalidField('status', `status must be one of ${JOB_STATUSES.join(', ')}`);
      and('status = any(?::text[])', textArray(filter.status));
    }
    if (after) and('id < ?', after.id);
    const found = await rows(this.#em, `select * from jobs where ${where.join(' and ')} order by id desc limit ?`, [
      ...params,
      limit + 1,
    ]);
    return toPage(found.map(jobFromRow), limit, (j) => ({ id: j.id }));
  }

  // ---- workers --------------------------------------------------------------------------------------

  /**
   * Claims up to `batchSize` ready jobs of the organization's `queue` for `workerId` (SKIP LOCKED in the
   * engine: concurrent workers never share a job). Each gets a lease of its `timeoutSeconds`.
   */
  async claim(
    orgId: string,
    request: ClaimRequest,
    actor: JobActor,
    allow?: (tx: EntityManager, queue: string) => Promise<void>,
  ) {
    const workerId = text('workerId', request.workerId, 128);
    const queue = request.queue ?? 'default';
    if (!QUEUE_NAME.test(queue)) throw invalidField('queue', 'queue is not a valid queue name');
    const batchSize = intIn('batchSize', request.batchSize, 1, JOB_LIMITS.batchSize, 1);
    await this.#engine.ready();
    return this.transaction(async (tx) => {
      await allow?.(tx, queue);
      // A runner pool's queue: at most its free runners, stamped with its tier (locks the pool row).
      const gate: ClaimGate | undefined = await poolClaimGate(tx, orgId, queue);
      const take = Math.min(batchSize, gate?.limit ?? batchSize);
      if (take <= 0) return [];
      const fetched = await this.#engine.fetch<{ jobId: string }>(tx, engineQueueName(orgId, queue), take);
      const claimed: JobView[] = [];
      for (const attempt of fetched) {
        const job = await one(tx, 'select * from jobs where engine_id = ? for update', [attempt.id]);
        if (!job || job.org_id !== orgId) continue;
        if (FINAL.has(String(job.status))) {
          // Settled already (cancelled while the engine had it queued): drop the engine's copy.
          await this.#engine.cancel(tx, String(job.engine_queue), attempt.id);
          continue;
        }
        // The engine expired the previous attempt and handed the job out again before the reconciler saw it.
        if (job.status === 'running') this.recordLapse(tx, { ...job, status: 'queued' }, false);
        const secretNames = (job.secret_names as string[] | null) ?? [];
        const [absent] = await missingCredentials(tx, orgId, secretNames);
        if (absent !== undefined) {
          await this.failUnopenable(tx, job, attempt, absent, workerId, actor);
          continue;
        }
        const lease = new Date(attempt.startedOn.getTime() + num(job.timeout_seconds) * 1000);
        const updated = (await one(
          tx,
          `update jobs set status = 'running', attempts = attempts + 1, engine_retry = ?, worker_id = ?,
             lease_expires_at = ?, error = null, first_claimed_at = coalesce(first_claimed_at, ?),
             started_at = coalesce(started_at, ?), updated_at = ?,
             runner_ram_gb = coalesce(?, runner_ram_gb),
             runner_price_per_minute_micros = coalesce(?, runner_price_per_minute_micros)
           where id = ? returning *`,
          [
            attempt.retryCount,
            workerId,
            lease,
            attempt.startedOn,
            attempt.startedOn,
            new Date(),
            gate?.stamp?.ramGb ?? null,
            gate?.stamp?.pricePerMinuteMicros ?? null,
            job.id,
          ],
        )) as Row;
        this.record(tx, updated, 'job.claimed', actor, {
          workerId,
          leaseExpiresAt: lease.toISOString(),
          waitMs: attempt.startedOn.getTime() - date(job.created_at).getTime(),
        });
        const view = jobFromRow(updated);
        if (secretNames.length > 0) view.secrets = await this.openSecrets(tx, view, actor);
        claimed.push(view);
      }
      return claimed;
    });
  }

  /** The job's named secrets, name → value, each opened through the vault (`credential.accessed`) in `tx`. */
  private async openSecrets(tx: EntityManager, job: JobView, actor: JobActor): Promise<Record<string, string>> {
    const vault = this.#vaultIn(tx);
    const secrets: Record<string, string> = {};
    for (const name of job.secretNames)
      secrets[name] = await vault.openForExecution({
        orgId: job.orgId,
        key: name,
        purpose: 'job',
        subject: { type: 'job', id: job.id },
        actor: actor.principal,
        requestId: actor.requestId,
      });
    return secrets;
  }

  /**
   * A job names a secret deleted since it was submitted: no attempt can run, so it fails for good at claim
   * (the engine's job is cancelled, not retried) with an error naming the secret; the worker never sees it.
   */
  private async failUnopenable(
    tx: EntityManager,
    job: Row,
    attempt: EngineAttempt,
    name: string,
    workerId: string,
    actor: JobActor,
  ): Promise<void> {
    await this.#engine.cancel(tx, String(job.engine_queue), attempt.id);
    const error = { message: `secret "${name}" is not in the organization's vault any more`, secret: name };
    const now = new Date();
    const row = (await one(
      tx,
      `update jobs set status = 'failed', attempts = attempts + 1, engine_retry = ?, worker_id = ?, error = ?::jsonb,
         lease_expires_at = null, finished_at = ?, updated_at = ? where id = ? returning *`,
      [attempt.retryCount, workerId, json(error), now, now, job.id],
    )) as Row;
    this.record(tx, row, 'job.failed', actor, { error, deadLettered: true, reason: 'secret_missing' });
  }

  /** A runner-pool job bills whole runner-minutes at the price stamped when claimed; others GPU-seconds. */
  private costOf(job: Row, now: Date, gpuSeconds: number): number {
    if (job.runner_price_per_minute_micros != null)
      return runnerMinutes(date(job.started_at ?? now), now) * num(job.runner_price_per_minute_micros);
    return amountMicros(gpuSeconds, num(job.price_cents_per_hour));
  }

  /** Loads a job a worker holds, checking it is the caller's organization's and still running. */
  private async held(tx: EntityManager, principal: Principal, id: string): Promise<Row> {
    const job = await one(tx, 'select * from jobs where id = ? for update', [id]);
    if (!job) throw notFound('job');
    requireOrgAccess(principal, String(job.org_id), 'job');
    if (job.status !== 'running')
      throw new TrellisError('conflict', `the job is ${job.status}, not running: its lease may have expired`, {
        details: { status: job.status },
      });
    return job;
  }

  private attemptOf(job: Row): EngineAttempt {
    return { id: String(job.engine_id), retryCount: num(job.engine_retry) };
  }

  /** The lease lapsed under the worker: the engine moved the job on (retried or failed). */
  private leaseLapsed(): TrellisError {
    return new TrellisError('conflict', 'the lease of this attempt expired; the job was handed back to the queue');
  }

  async heartbeat(principal: Principal, id: string, workerId?: string | null): Promise<JobView> {
    return this.transaction(async (tx) => {
      const job = await this.held(tx, principal, id);
      this.sameWorker(job, workerId);
      if (!(await this.#engine.touch(tx, String(job.engine_queue), this.attemptOf(job)))) throw this.leaseLapsed();
      return jobFromRow(job);
    });
  }

  private sameWorker(job: Row, workerId?: string | null) {
    if (workerId != null && job.worker_id !== workerId)
      throw new TrellisError('conflict', 'the job is held by another worker', { field: 'workerId' });
  }

  async complete(
    principal: Principal,
    id: string,
    input: { result?: unknown; workerId?: string | null; costMicros?: number | null },
    requestId?: string,
  ): Promise<JobView> {
    const result = boundedJson('result', input.result ?? null, JOB_LIMITS.resultBytes);
    if (input.costMicros != null && (!Number.isSafeInteger(input.costMicros) || input.costMicros < 0))
      throw invalidField('costMicros', 'costMicros must be a non-negative integer (micro-dollars)');
    return this.transaction(async (tx) => {
      const job = await this.held(tx, principal, id);
      this.sameWorker(job, input.workerId);
      if (!(await this.#engine.complete(tx, String(job.engine_queue), this.attemptOf(job), { jobId: job.id })))
        throw this.leaseLapsed();
      const now = new Date();
      const seconds = Math.max(0, Math.floor((now.getTime() - date(job.started_at ?? now).getTime()) / 1000));
      const gpuSeconds = seconds * num(job.gpu_count);
      const cost = input.costMicros ?? this.costOf(job, now, gpuSeconds);
      const done = (await one(
        tx,
        `update jobs set status = 'succeeded', result = ?::jsonb, cost_micros = ?, lease_expires_at = null,
           finished_at = ?, updated_at = ? where id = ? returning *`,
        [json(result), cost, now, now, job.id],
      )) as Row;
      this.record(tx, done, 'job.succeeded', { principal, requestId }, { result, costMicros: cost });
      if (cost > 0) this.recordUsage(tx, done, cost, seconds, gpuSeconds);
      return jobFromRow(done);
    });
  }

  /** Reports the attempt failed: retried (after the job's backoff) while attempts remain, else failed for good. */
  async fail(
    principal: Principal,
    id: string,
    input: { error?: unknown; workerId?: string | null; retryable?: boolean | null },
    requestId?: string,
  ): Promise<JobView> {
    const error = boundedJson('error', input.error ?? { message: 'failed' }, JOB_LIMITS.resultBytes);
    return this.transaction(async (tx) => {
      const job = await this.held(tx, principal, id);
      this.sameWorker(job, input.workerId);
      const attempt = this.attemptOf(job);
      const giveUp = input.retryable === false;
      const final = giveUp || num(job.attempts) >= num(job.max_attempts);
      const queue = String(job.engine_queue);
      // The engine retries a failed attempt while attempts remain and fails it for good after the last;
      // a non-retryable failure ends the engine's job at once.
      const settled = giveUp
        ? await this.#engine.cancel(tx, queue, attempt.id)
        : await this.#engine.fail(tx, queue, attempt, { error });
      if (!settled) throw this.leaseLapsed();
      const row = await this.settleFailure(tx, job, error, final);
      this.record(
        tx,
        row,
        final ? 'job.failed' : 'job.retried',
        { principal, requestId },
        final ? { error, deadLettered: true } : { error, reason: 'worker_failed' },
      );
      return jobFromRow(row);
    });
  }

  private async settleFailure(tx: EntityManager, job: Row, error: unknown, final: boolean): Promise<Row> {
    const now = new Date();
    return (await one(
      tx,
      `update jobs set status = ?, error = ?::jsonb, worker_id = case when ? then worker_id else null end,
         lease_expires_at = null, finished_at = ?, updated_at = ? where id = ? returning *`,
      [final ? 'failed' : 'queued', json(error), final, final ? now : null, now, job.id],
    )) as Row;
  }

  /** A `running` row whose attempt's lease the engine expired: `job.retried`, or `job.failed` with no attempts left. */
  private recordLapse(tx: EntityManager, job: Row, final: boolean): void {
    const error = {
      message: `the lease of attempt ${num(job.attempts)} expired (no complete or fail within ${num(job.timeout_seconds)} s)`,
    };
    this.record(
      tx,
      job,
      final ? 'job.failed' : 'job.retried',
      {},
      final ? { error, deadLettered: true, reason: 'lease_expired' } : { error, reason: 'lease_expired' },
    );
  }

  /**
   * Brings `running` rows whose lease ended in line with the engine (its supervisor fails expired
   * attempts, retried or failed for good). Returns how many rows moved. Safe on every replica (row locks).
   */
  async reconcileLeases(graceSeconds = 1, batch = 200): Promise<number> {
    await this.#engine.ready();
    return this.transaction(async (tx) => {
      const due = await rows(
        tx,
        `select * from jobs where status = 'running' and lease_expires_at < now() - make_interval(secs => ?)
         order by lease_expires_at limit ? for update skip locked`,
        [graceSeconds, batch],
      );
      let moved = 0;
      const byQueue = Map.groupBy(due, (job) => String(job.engine_queue));
      for (const [queue, jobs] of byQueue) {
        const states = await this.#engine.attempts(
          tx,
          queue,
          jobs.map((j) => String(j.engine_id)),
        );
        for (const job of jobs) {
          const engine = states.get(String(job.engine_id));
          const attempt = num(job.engine_retry);
          if (engine && engine.state === 'active' && engine.retryCount === attempt) continue; // not expired yet
          if (engine && engine.state === 'active') continue; // claimed again: claim() settles it
          const final = !engine || engine.state === 'failed' || engine.state === 'cancelled';
          const error = {
            message: `the lease of attempt ${num(job.attempts)} expired (no complete or fail within ${num(job.timeout_seconds)} s)`,
          };
          const row = await this.settleFailure(tx, job, error, final);
          this.recordLapse(tx, { ...row, attempts: job.attempts }, final);
          moved++;
        }
      }
      return moved;
    });
  }

  /**
   * Hands a running job back to its queue (an agent restarted under it): the attempt counts as failed, so
   * the job is retried — or fails for good when it was the last attempt.
   */
  async requeue(tx: EntityManager, job: Row, actor: JobActor, reason: string): Promise<Row> {
    if (job.status !== 'running') return job;
    const error = { message: reason };
    const final = num(job.attempts) >= num(job.max_attempts);
    await this.#engine.fail(tx, String(job.engine_queue), this.attemptOf(job), { error });
    const row = await this.settleFailure(tx, job, error, final);
    this.record(tx, row, final ? 'job.failed' : 'job.retried', actor, {
      error,
      reason: 'requeued',
      ...(final ? { deadLettered: true } : {}),
    });
    return row;
  }

  /** Moves a queued job to another queue (a task reassigned to another agent): a new engine job, same row. */
  async moveQueued(tx: EntityManager, job: Row, queue: string, agentId: string | null, actor: JobActor): Promise<void> {
    if (job.status !== 'queued') throw conflict(`the job is ${job.status}; only a queued job can move`);
    const orgId = String(job.org_id);
    const engineQueue = engineQueueName(orgId, queue);
    await this.#engine.ensureQueue(engineQueue);
    await this.#engine.cancel(tx, String(job.engine_queue), String(job.engine_id));
    const engineId = crypto.randomUUID();
    await this.#engine.send(
      tx,
      engineQueue,
      { jobId: job.id },
      {
        priority: num(job.priority),
        retryLimit: Math.max(0, num(job.max_attempts) - num(job.attempts) - 1),
        retryDelaySeconds: num(job.retry_delay_seconds),
        retryBackoff: Boolean(job.retry_backoff),
        leaseSeconds: num(job.timeout_seconds),
      },
      engineId,
    );
    const row = (await one(
      tx,
      `update jobs set queue = ?, engine_queue = ?, engine_id = ?, engine_retry = 0, agent_id = ?, updated_at = now()
       where id = ? returning *`,
      [queue, engineQueue, engineId, agentId, job.id],
    )) as Row;
    this.record(tx, row, 'job.moved', actor, { fromQueue: String(job.queue) });
  }

  // ---- cancel ---------------------------------------------------------------------------------------

  async cancel(principal: Principal, id: string, requestId?: string): Promise<JobView> {
    return this.transaction(async (tx) => {
      const job = await one(tx, 'select * from jobs where id = ? for update', [id]);
      if (!job) throw notFound('job');
      requireOrgAccess(principal, String(job.org_id), 'job', 'member');
      return jobFromRow(await this.cancelIn(tx, job, { principal, requestId }));
    });
  }

  /** Cancels a locked job row (queued or running) in `tx`; a finished job is a conflict. */
  async cancelIn(tx: EntityManager, job: Row, actor: JobActor, reason = 'cancelled'): Promise<Row> {
    if (FINAL.has(String(job.status))) throw conflict(`the job is already ${job.status}`);
    await this.#engine.cancel(tx, String(job.engine_queue), String(job.engine_id));
    const now = new Date();
    const row = (await one(
      tx,
      `update jobs set status = 'cancelled', lease_expires_at = null, finished_at = ?, updated_at = ?
       where id = ? returning *`,
      [now, now, job.id],
    )) as Row;
    this.record(tx, row, 'job.cancelled', actor, { reason });
    return row;
  }

  // ---- stats ----------------------------------------------------------------------------------------

  /** Per queue: depth, in flight, throughput and failures over the last `windowMinutes`, wait p50/p95. */
  async stats(orgId: string, windowMinutes = 60) {
    const minutes = intIn('windowMinutes', windowMinutes, 1, 10_080, 60);
    const found = await rows(
      this.#em,
      `select queue,
         count(*) filter (where status = 'queued')::int as queued,
         count(*) filter (where status = 'running')::int as running,
         count(*) filter (where status = 'succeeded' and finished_at >= now() - make_interval(mins => ?))::int as succeeded,
         count(*) filter (where status = 'failed' and finished_at >= now() - make_interval(mins => ?))::int as failed,
         count(*) filter (where status = 'cancelled' and finished_at >= now() - make_interval(mins => ?))::int as cancelled,
         percentile_cont(0.5) within group (order by extract(epoch from first_claimed_at - created_at))
           filter (where first_claimed_at >= now() - make_interval(mins => ?)) as wait_p50,
         percentile_cont(0.95) within group (order by extract(epoch from first_claimed_at - created_at))
           filter (where first_claimed_at >= now() - make_interval(mins => ?)) as wait_p95,
         extract(epoch from now() - min(created_at) filter (where status = 'queued')) as oldest_queued
       from jobs where org_id = ? group by queue order by queue`,
      [minutes, minutes, minutes, minutes, minutes, orgId],
    );
    const queues = found.map((r) => ({
      queue: String(r.queue),
      queued: num(r.queued),
      running: num(r.running),
      succeeded: num(r.succeeded),
      failed: num(r.failed),
      cancelled: num(r.cancelled),
      throughputPerMinute: Math.round((num(r.succeeded) / minutes) * 100) / 100,
      waitP50Ms: r.wait_p50 == null ? null : Math.round(Number(r.wait_p50) * 1000),
      waitP95Ms: r.wait_p95 == null ? null : Math.round(Number(r.wait_p95) * 1000),
      oldestQueuedSeconds: r.oldest_queued == null ? null : Math.floor(Number(r.oldest_queued)),
    }));
    const total = (key: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled') =>
      queues.reduce((sum, q) => sum + q[key], 0);
    return {
      windowMinutes: minutes,
      queued: total('queued'),
      running: total('running'),
      succeeded: total('succeeded'),
      failed: total('failed'),
      cancelled: total('cancelled'),
      queues,
    };
  }

  // ---- events ---------------------------------------------------------------------------------------

  private record(tx: EntityManager, job: Row, type: string, actor: JobActor, extra: Record<string, unknown>): void {
    recordEvent(tx, {
      orgId: String(job.org_id),
      type,
      subject: { type: 'job', id: String(job.id) },
      data: eventData(job, extra),
      actor: actor.principal,
      requestId: actor.requestId,
    });
  }

  /** The job's cost, for billing (`usage.recorded`, source `job`): one event per finished job. */
  private recordUsage(tx: EntityManager, job: Row, amount: number, seconds: number, gpuSeconds: number): void {
    const end = date(job.finished_at);
    recordEvent(tx, {
      orgId: String(job.org_id),
      type: 'usage.recorded',
      subject: { type: 'job', id: String(job.id) },
      data: {
        usageId: `use_job_${String(job.id)}`,
        source: 'job',
        resourceType: 'job',
        resourceId: String(job.id),
        jobId: String(job.id),
        quantity: gpuSeconds > 0 ? gpuSeconds : seconds,
        unit: gpuSeconds > 0 ? 'gpu_second' : 'second',
        amountMicros: amount,
        currency: 'usd',
        ...(job.gpu_model_id
          ? { gpuModelId: String(job.gpu_model_id), tier: String(job.tier), gpuCount: num(job.gpu_count) }
          : {}),
        ...(job.workflow_id ? { workflowId: String(job.workflow_id) } : {}),
        periodStart: date(job.started_at ?? end).toISOString(),
        periodEnd: end.toISOString(),
      },
    });
  }
}
