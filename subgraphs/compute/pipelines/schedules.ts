/**
 * Schedules (seed 002 `/schedules`): start a run of a definition — or submit a job (`job`: queue, type,
 * payload, …, through the job service with the idempotency key `schedule:<id>:<tick>`) — on a cron expression
 * (with a time zone), every N seconds, or once after a delay. Each schedule's next tick is a job of the queue engine
 * (run-queue.ts `tick`: `startAfter` = the tick, one engine id per (schedule, tick)), queued with the schedule
 * and then by the tick before it. Any replica's ticker claims it (`SKIP LOCKED`) and, in one transaction with
 * the job's completion and under the schedule's row lock, starts the tick's run, inserts
 * `(schedule_id, fire_at)` into `workflow_schedule_fires` (its primary key: a tick fires once however many
 * replicas run), moves `next_fire_at` on and queues the next tick. A process that dies mid-tick rolls all of
 * it back; the engine re-delivers the tick when its lease expires.
 *
 * Missed ticks: a tick fired more than LATE_MS after its time was missed (no replica ran then). `missed: skip`
 * (the default) fires none of them and moves on to the next future tick; `catch_up` fires every missed tick
 * in order, at most MAX_CATCH_UP per tick job (the next job, due at once, goes on). Ticks that came due
 * while every replica was down are found when one starts (the ticker adopts each schedule's next tick).
 *
 * Cron expressions are parsed by `cron-parser` (pg-boss's own cron parser), with seconds allowed.
 */

import type { EntityManager } from '@mikro-orm/postgresql';
import { CronExpressionParser } from 'cron-parser';
import { requireOrgAccess } from '../../../kernel/authz.ts';
import type { Orm } from '../../../kernel/database.ts';
import { invalidField, notFound, TrellisError } from '../../../kernel/errors.ts';
import { newId } from '../../../kernel/ids.ts';
import type { Logger } from '../../../kernel/logger.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { Principal } from '../../../kernel/principal.ts';
import { WorkerLoop } from '../../../kernel/worker-loop.ts';
import type { JobSubmission } from '../jobs/service.ts';
import { date, dateOrNull, json, num, one, type Row, rows, strOrNull, withRetry } from '../sql.ts';
import type { JobsOf } from './driver.ts';
import { type RunQueue, TICK_QUEUE, type TickJob } from './run-queue.ts';
import { actorOf, insertRun, runEvent } from './runs.ts';

const MAX_CATCH_UP = 100;
/** A tick later than this is "missed" (the ticker was not running), not merely a slow pass. */
const LATE_MS = 5_000;

/** What a job-target schedule submits on each tick (the job service validates and prices it). */
export type ScheduleJobSpec = Pick<
  JobSubmission,
  'queue' | 'type' | 'payload' | 'priority' | 'maxAttempts' | 'timeoutSeconds'
>;

export interface CreateScheduleInput {
  orgId: string;
  name?: string | null;
  definitionId?: string | null;
  job?: ScheduleJobSpec | null;
  input?: unknown;
  workflowId?: string | null;
  cron?: string | null;
  timezone?: string | null;
  every?: number | null;
  delay?: number | null;
  missed?: string | null;
}

export const scheduleFromRow = (row: Row) => ({
  id: String(row.id),
  orgId: String(row.org_id),
  name: strOrNull(row.name),
  target: row.job ? 'job' : 'run',
  definitionId: strOrNull(row.definition_id),
  job: row.job ?? null,
  input: row.input ?? {},
  workflowId: strOrNull(row.workflow_id),
  kind: String(row.kind),
  cron: strOrNull(row.cron),
  timezone: strOrNull(row.timezone),
  everySeconds: row.every_seconds == null ? null : num(row.every_seconds),
  missed: String(row.missed),
  nextFireAt: dateOrNull(row.next_fire_at),
  lastFiredAt: dateOrNull(row.last_fired_at),
  fireCount: num(row.fire_count),
  createdAt: date(row.created_at),
});

/** The tick after `after` of a schedule row (null: none, a one-shot delay that fired). */
export function nextTick(schedule: Row, after: Date): Date | null {
  if (schedule.kind === 'every') return new Date(after.getTime() + num(schedule.every_seconds) * 1000);
  if (schedule.kind === 'delay') return null;
  const expression = CronExpressionParser.parse(String(schedule.cron), {
    currentDate: after,
    tz: strOrNull(schedule.timezone) ?? 'UTC',
  });
  return expression.next().toDate();
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class ScheduleService {
  private readonly em: EntityManager;
  private readonly queue: RunQueue;
  private readonly jobs: JobsOf;

  constructor(em: EntityManager, queue: RunQueue, jobs: JobsOf) {
    this.em = em;
    this.queue = queue;
    this.jobs = jobs;
  }

  /** A job target checked as the job service will submit it: its field errors named `job.<field>`. */
  private async jobSpec(orgId: string, job: ScheduleJobSpec, workflowId: string | null): Promise<ScheduleJobSpec> {
    if (typeof job !== 'object' || job === null || Array.isArray(job))
      throw invalidField('job', 'job must be an object (queue, type, payload, priority, maxAttempts, timeoutSeconds)');
    const spec: ScheduleJobSpec = {
      queue: job.queue ?? null,
      type: job.type,
      payload: job.payload ?? {},
      priority: job.priority ?? null,
      maxAttempts: job.maxAttempts ?? null,
      timeoutSeconds: job.timeoutSeconds ?? null,
    };
    try {
      await this.jobs().prepare(orgId, { ...spec, workflowId });
    } catch (error) {
      const field = error instanceof TrellisError ? (error.extensions.field as string | undefined) : undefined;
      if (field) throw invalidField(`job.${field}`, `job.${error instanceof Error ? error.message : field}`);
      throw error;
    }
    return spec;
  }

  async create(principal: Principal, input: CreateScheduleInput) {
    requireOrgAccess(principal, input.orgId, 'Organization', 'member');
    const kinds = [input.cron != null && 'cron', input.every != null && 'every', input.delay != null && 'delay'].filter(
      Boolean,
    );
    if (kinds.length !== 1) throw invalidField('cron', 'give exactly one of cron, every or delay');
    const kind = kinds[0] as 'cron' | 'every' | 'delay';
    const missed = input.missed ?? 'skip';
    if (missed !== 'skip' && missed !== 'catch_up') throw invalidField('missed', 'missed must be skip or catch_up');
    const name = input.name?.trim() || null;
    if (name && name.length > 100) throw invalidField('name', 'name must be at most 100 characters');
    const timezone = input.timezone?.trim() || null;
    if (timezone && (kind !== 'cron' || !validTimeZone(timezone)))
      throw invalidField('timezone', 'timezone must be an IANA time zone, with cron');
    if (
      kind === 'every' &&
      (!Number.isSafeInteger(input.every) || (input.every as number) < 1 || (input.every as number) > 366 * 86400)
    )
      throw invalidField('every', 'every must be a number of seconds between 1 and 31622400');
    if (
      kind === 'delay' &&
      (!Number.isSafeInteger(input.delay) || (input.delay as number) < 0 || (input.delay as number) > 366 * 86400)
    )
      throw invalidField('delay', 'delay must be a number of seconds between 0 and 31622400');
    const cron = kind === 'cron' ? String(input.cron).trim() : null;
    let first: Date | null;
    try {
      if (cron && (cron.length > 200 || cron.split(/\s+/).length < 5)) throw new Error('5 or 6 fields');
      first =
        kind === 'delay'
          ? new Date(Date.now() + (input.delay as number) * 1000)
          : nextTick({ kind, cron, timezone, every_seconds: input.every }, new Date());
    } catch (error) {
      throw invalidField('cron', `cron is not a valid expression: ${(error as Error).message}`);
    }
    const workflowId = input.workflowId?.trim() || principal.workflowId || null;
    if ((input.definitionId == null) === (input.job == null))
      throw invalidField('definitionId', 'give exactly one of definitionId (start a run) or job (submit a job)');
    let job: ScheduleJobSpec | null = null;
    if (input.job != null) {
      if (input.input != null) throw invalidField('input', 'input is a run input: a job takes job.payload');
      job = await this.jobSpec(input.orgId, input.job, workflowId);
    } else {
      const definition = await one(this.em, 'select id from workflow_definitions where id = ? and org_id = ? limit 1', [
        input.definitionId,
        input.orgId,
      ]);
      if (!definition)
        throw invalidField(
          'definitionId',
          `definitionId: no workflow definition ${input.definitionId} in this organization`,
        );
    }
    const runInput = input.input ?? {};
    if (typeof runInput !== 'object' || Array.isArray(runInput) || JSON.stringify(runInput).length > 64 * 1024)
      throw invalidField('input', 'input must be a JSON object of at most 64 KiB');
    const row = await withRetry(() =>
      this.em.fork().transactional(async (em) => {
        const tx = em as unknown as EntityManager;
        const inserted = (await one(
          tx,
          `insert into workflow_schedules (id, org_id, name, definition_id, job, input, workflow_id, kind, cron, timezone,
         every_seconds, missed, next_fire_at, created_by, created_at)
       values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, now()) returning *`,
          [
            newId('sch'),
            input.orgId,
            name,
            job ? null : input.definitionId,
            job ? json(job) : null,
            json(runInput),
            workflowId,
            kind,
            cron,
            timezone,
            kind === 'every' ? input.every : null,
            missed,
            first,
            actorOf(principal),
          ],
        )) as Row;
        if (first) await this.queue.tick(tx, String(inserted.id), first);
        return inserted;
      }),
    );
    return scheduleFromRow(row);
  }

  async list(orgId: string) {
    return (
      await rows(this.em, 'select * from workflow_schedules where org_id = ? order by id desc limit 500', [orgId])
    ).map(scheduleFromRow);
  }

  async remove(principal: Principal, id: string): Promise<boolean> {
    const row = await one(this.em, 'select org_id from workflow_schedules where id = ?', [id]);
    if (!row) throw notFound('Schedule');
    requireOrgAccess(principal, String(row.org_id), 'Schedule', 'member');
    await withRetry(() =>
      this.em.fork().transactional(async (em) => {
        const tx = em as unknown as EntityManager;
        const deleted = await rows(tx, 'delete from workflow_schedules where id = ? returning next_fire_at', [id]);
        // Its queued tick would fire nothing (no schedule); withdrawing it keeps the engine's queue clean.
        if (deleted[0]?.next_fire_at) await this.queue.untick(tx, id, date(deleted[0].next_fire_at));
      }),
    );
    return true;
  }
}

/**
 * Fires the tick a tick job carries, under the schedule's row lock: the runs of the ticks that are due (see
 * the header for missed ones), the schedule's next tick, and that tick's job — all in `tx`, with the tick job's
 * completion. A tick job that no longer matches the schedule (deleted, or its tick fired by another job) fires
 * nothing. Answers how many runs it started and when the schedule's next tick is.
 */
async function fireTick(
  tx: EntityManager,
  queue: RunQueue,
  jobs: JobsOf,
  job: TickJob,
): Promise<{ fired: number; next: Date | null }> {
  const schedule = await one(tx, 'select * from workflow_schedules where id = ? for update', [job.scheduleId]);
  const due = schedule?.next_fire_at ? date(schedule.next_fire_at) : null;
  if (!schedule || !due || due.getTime() !== new Date(job.fireAt).getTime()) return { fired: 0, next: null };
  const now = new Date();
  const ticks: Date[] = [];
  let at: Date | null = due;
  while (at && at.getTime() <= now.getTime() && ticks.length < MAX_CATCH_UP) {
    ticks.push(at);
    at = nextTick(schedule, at);
  }
  // A tick more than LATE_MS late was missed (no replica ran then): fired late only by `catch_up`.
  const toFire = schedule.missed === 'catch_up' ? ticks : ticks.filter((t) => now.getTime() - t.getTime() <= LATE_MS);
  const definition = schedule.definition_id
    ? await one(tx, 'select * from workflow_definitions where id = ? order by version desc limit 1', [
        schedule.definition_id,
      ])
    : undefined;
  let fired = 0;
  for (const fireAt of toFire) {
    if (!definition && !schedule.job) break;
    const claimed = await rows(
      tx,
      `insert into workflow_schedule_fires (schedule_id, fire_at, fired_at) values (?, ?, now())
       on conflict do nothing returning fire_at`,
      [schedule.id, fireAt],
    );
    if (claimed.length === 0) continue;
    const state = schedule.workflow_id
      ? await one(tx, 'select status from workflow_states where workflow_id = ?', [schedule.workflow_id])
      : undefined;
    if (state?.status === 'paused' || state?.status === 'killed') continue; // admission refused: the tick passes
    if (!definition) {
      await submitTickJob(tx, jobs, schedule, fireAt);
      fired++;
      continue;
    }
    const run = await insertRun(tx, {
      orgId: String(schedule.org_id),
      definition,
      input: { ...(schedule.input as object), scheduledAt: fireAt.toISOString() },
      workflowId: strOrNull(schedule.workflow_id),
      sessionId: null,
      key: null,
      hash: null,
      start: true,
      createdBy: `schedule:${schedule.id}`,
      queue,
    });
    await tx.execute('update workflow_schedule_fires set run_id = ? where schedule_id = ? and fire_at = ?', [
      run.id,
      schedule.id,
      fireAt,
    ]);
    recordEvent(tx, {
      orgId: String(schedule.org_id),
      type: 'run.started',
      subject: { type: 'workflow_run', id: String(run.id) },
      data: runEvent(run, { scheduleId: schedule.id, scheduledAt: fireAt.toISOString() }),
    });
    fired++;
  }
  await tx.execute(
    `update workflow_schedules set next_fire_at = ?, last_fired_at = case when ? > 0 then now() else last_fired_at end,
       fire_count = fire_count + ? where id = ?`,
    [at, fired, fired, schedule.id],
  );
  if (at) await queue.tick(tx, String(schedule.id), at);
  return { fired, next: at };
}

/**
 * A job-target tick: one job through the job service, keyed `schedule:<id>:<tick>` — a tick fired again (a
 * catch-up replayed, a redelivery) finds the job it submitted instead of creating another.
 */
async function submitTickJob(tx: EntityManager, jobs: JobsOf, schedule: Row, fireAt: Date): Promise<void> {
  const orgId = String(schedule.org_id);
  const spec = schedule.job as JobSubmission;
  const prepared = await jobs().prepare(orgId, {
    ...spec,
    workflowId: strOrNull(schedule.workflow_id),
    idempotencyKey: `schedule:${schedule.id}:${fireAt.toISOString()}`,
  });
  const { job } = await jobs().submitIn(tx, orgId, prepared, {});
  await tx.execute('update workflow_schedule_fires set job_id = ? where schedule_id = ? and fire_at = ?', [
    job.id,
    schedule.id,
    fireAt,
  ]);
}

/**
 * The ticker: claims tick jobs from the engine (one per transaction) and fires them. It looks again when the
 * earliest tick it knows of is due (queued here, or on another replica and announced through the bus:
 * `RunQueue.untilDue`), when woken by a commit that queued one, and after `pollMs` (a safety net). Once per process start it
 * adopts every schedule's next tick (a tick job is keyed by schedule and time: one job however many adopt it),
 * so ticks that came due while no replica ran are fired — or skipped — when one starts.
 */
export function startScheduleTicker(options: {
  orm: Orm;
  logger: Logger;
  pollMs: number;
  queue: RunQueue;
  jobs: JobsOf;
  onRun: () => void;
}): WorkerLoop {
  const { queue } = options;
  const tx = <T>(fn: (tx: EntityManager) => Promise<T>) =>
    withRetry(() => options.orm.em.fork().transactional((em) => fn(em as unknown as EntityManager)));
  let adopted = false;
  const pass = async (): Promise<{ again?: boolean; waitMs?: number }> => {
    const passStart = Date.now();
    await queue.prepare();
    if (!adopted) {
      await tx(async (em) => {
        const pending = await rows(
          em,
          'select id, next_fire_at from workflow_schedules where next_fire_at is not null',
        );
        for (const schedule of pending) await queue.tick(em, String(schedule.id), date(schedule.next_fire_at));
      });
      adopted = true;
    }
    const result = await tx(async (em) => {
      const [job] = await queue.fetchTicks(em, 1);
      if (!job) return null;
      const fired = await fireTick(em, queue, options.jobs, job.data);
      await queue.completeTick(em, job);
      return fired;
    });
    if (result) {
      if (result.fired > 0) options.onRun();
      return { again: true };
    }
    return { waitMs: queue.untilDue(TICK_QUEUE, passStart) ?? undefined };
  };
  return new WorkerLoop({
    name: 'compute-schedules',
    logger: options.logger,
    pollMs: options.pollMs,
    maxBackoffMs: 5_000,
    pass,
  }).start();
}
