/**
 * Schedules (docs/pipelines.md §Schedules): with two compute replicas on one database (two schedule
 * tickers racing), a cron schedule with seconds fires exactly once per tick — one fire row and one run per
 * tick, consecutive ticks, no duplicates. A tick missed while no replica ran is skipped (`missed: skip`) or
 * fired late, every one (`catch_up`), once a replica starts again. Each tick is a queue-engine job. Validation: a bad cron or time zone is a 422 naming the field.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSubgraph, startSubgraph } from '../../kernel/subgraph.ts';
import { subgraphs } from '../../subgraphs/index.ts';
import { closeAll, type Json, startTestPlatform, type TestPlatform } from '../harness.ts';

let platform: TestPlatform;
let key: string;
let second: RunningSubgraph;
let db: pg.Client;
let definitionId: string;

beforeAll(async () => {
  platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  const user = await platform.signup('Schedules Org');
  key = (await platform.apiKey(user)).key;
  second = await startSubgraph(subgraphs.compute, platform.app.platform, {
    databaseUrl: platform.databaseUrl,
    port: 0,
    host: '127.0.0.1',
  });
  db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  await db.query('set search_path to compute');
  const created = await rest('POST', '/v1/workflow-definitions', {
    name: 'tick',
    nodes: [{ id: 'noop', type: 'parallel' }],
  });
  definitionId = created.body.data.id;
}, 60_000);
afterAll(async () => {
  await db?.end();
  await second?.close();
  await closeAll();
});

const rest = (method: string, path: string, body?: unknown) => platform.rest(method, path, { token: key, body });

async function fires(scheduleId: string) {
  const { rows } = await db.query(
    `select f.fire_at, f.run_id, r.status from workflow_schedule_fires f left join workflow_runs r on r.id = f.run_id
     where f.schedule_id = $1 order by f.fire_at`,
    [scheduleId],
  );
  return rows as { fire_at: Date; run_id: string | null; status: string | null }[];
}

describe('schedules', () => {
  it('a cron schedule on two replicas fires once per tick', async () => {
    const created = await rest('POST', '/v1/schedules', {
      definitionId,
      cron: '* * * * * *',
      timezone: 'Europe/Paris',
      input: { from: 'cron' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const schedule = created.body.data;
    expect(schedule).toMatchObject({ kind: 'cron', timezone: 'Europe/Paris', missed: 'skip' });
    const deadline = Date.now() + 15_000;
    while ((await fires(schedule.id)).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await rest('DELETE', `/v1/schedules/${schedule.id}`)).status).toBe(204);
    const { rows: runs } = await db.query(`select id, input from workflow_runs where created_by = $1`, [
      `schedule:${schedule.id}`,
    ]);
    const fired = await fires(schedule.id).catch(() => []);
    // Deleting the schedule cascades its fire rows away: count from the runs, one per tick.
    const ticks = runs.map((r: Json) => r.input.scheduledAt as string).sort();
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (let i = 1; i < ticks.length; i++)
      expect(new Date(ticks[i] as string).getTime() - new Date(ticks[i - 1] as string).getTime()).toBe(1000);
    expect(runs.every((r: Json) => r.input.from === 'cron')).toBe(true);
    expect(fired).toEqual([]);
    // The ticks were fired by jobs of the queue engine, each claimed by one replica (a claim more than a tick
    // late fires every tick then due, so a job may fire two); the deleted schedule's next one is withdrawn.
    const { rows: ticked } = await db.query(
      `select state, count(*)::int as n from compute_queue.job where name = 'pipeline-schedule-ticks'
       and data->>'scheduleId' = $1 group by state`,
      [schedule.id],
    );
    const byState = Object.fromEntries(ticked.map((t: Json) => [t.state, t.n]));
    expect(byState.completed).toBeGreaterThanOrEqual(2);
    expect(byState.created ?? 0).toBe(0);
  });

  it('a missed tick is skipped or caught up, per schedule', async () => {
    const make = async (missed: string) =>
      (await rest('POST', '/v1/schedules', { definitionId, every: 60, missed })).body.data.id as string;
    const skip = await make('skip');
    const catchUp = await make('catch_up');
    // As if no replica ran for four and a half minutes: five ticks (-270 s … -30 s) are past and the sixth is
    // 30 s ahead. (With -299 s the sixth tick was due 1 s later, so a ticker pass more than a second late on a
    // loaded machine rightly caught up six: the flake.)
    await db.query(`update workflow_schedules set next_fire_at = now() - interval '270 seconds' where id = any($1)`, [
      [skip, catchUp],
    ]);
    // …and then a replica starts: its ticker adopts each schedule's next tick (the past one) from the engine.
    const restarted = await startSubgraph(subgraphs.compute, platform.app.platform, {
      databaseUrl: platform.databaseUrl,
      port: 0,
      host: '127.0.0.1',
    });
    const deadline = Date.now() + 20_000;
    let caught: Awaited<ReturnType<typeof fires>> = [];
    while (Date.now() < deadline) {
      caught = await fires(catchUp);
      const { rows } = await db.query('select next_fire_at from workflow_schedules where id = $1', [skip]);
      if (caught.length >= 5 && new Date(rows[0].next_fire_at).getTime() > Date.now()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(caught).toHaveLength(5);
    expect(caught.every((f) => f.run_id)).toBe(true);
    expect(await fires(skip)).toEqual([]);
    const listed = (await rest('GET', '/v1/schedules')).body.data as Json[];
    expect(listed.find((s) => s.id === skip)).toMatchObject({ fireCount: 0, nextFireAt: expect.any(String) });
    expect(listed.find((s) => s.id === catchUp)).toMatchObject({ fireCount: 5 });
    await restarted.close();
  }, 60_000);

  it('a schedule that targets a job submits one job per tick, and a tick fired again finds its job', async () => {
    const created = await rest('POST', '/v1/schedules', {
      every: 60,
      missed: 'catch_up',
      job: { queue: 'nightly', type: 'report', payload: { scope: 'all' }, max_attempts: 2 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.data).toMatchObject({
      target: 'job',
      definitionId: null,
      job: { queue: 'nightly', type: 'report', payload: { scope: 'all' }, maxAttempts: 2 },
    });
    const id = created.body.data.id as string;
    const jobsOf = async () =>
      (
        await db.query(
          `select f.fire_at, f.job_id, j.idempotency_key, j.type, j.queue, j.payload, j.max_attempts
           from workflow_schedule_fires f join jobs j on j.id = f.job_id where f.schedule_id = $1 order by f.fire_at`,
          [id],
        )
      ).rows as Json[];
    // Two ticks missed while no replica ran, caught up when one starts.
    const missed = async () => {
      await db.query(
        `update workflow_schedules set next_fire_at = date_trunc('second', now()) - interval '90 seconds' where id = $1`,
        [id],
      );
      const replica = await startSubgraph(subgraphs.compute, platform.app.platform, {
        databaseUrl: platform.databaseUrl,
        port: 0,
        host: '127.0.0.1',
      });
      const deadline = Date.now() + 20_000;
      while ((await jobsOf()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await replica.close();
    };
    await missed();
    const first = await jobsOf();
    expect(first).toHaveLength(2);
    expect(first.map((j) => j.idempotency_key)).toEqual(
      first.map((j) => `schedule:${id}:${new Date(j.fire_at).toISOString()}`),
    );
    expect(first.every((j) => j.type === 'report' && j.queue === 'nightly' && j.max_attempts === 2)).toBe(true);
    expect(first[0].payload).toEqual({ scope: 'all' });

    // The same two ticks fired again — their fire rows and the engine's tick jobs gone (the guards before the
    // job's idempotency key), the schedule set back: the same two jobs.
    const { rows: fireAts } = await db.query('select fire_at from workflow_schedule_fires where schedule_id = $1', [
      id,
    ]);
    await db.query('delete from workflow_schedule_fires where schedule_id = $1', [id]);
    await db.query(
      `delete from compute_queue.job where name = 'pipeline-schedule-ticks' and data->>'scheduleId' = $1`,
      [id],
    );
    await db.query('update workflow_schedules set next_fire_at = $2 where id = $1', [
      id,
      fireAts.map((f: Json) => new Date(f.fire_at)).sort((a: Date, b: Date) => a.getTime() - b.getTime())[0],
    ]);
    const replica = await startSubgraph(subgraphs.compute, platform.app.platform, {
      databaseUrl: platform.databaseUrl,
      port: 0,
      host: '127.0.0.1',
    });
    const deadline = Date.now() + 20_000;
    while ((await jobsOf()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await replica.close();
    const again = await jobsOf();
    expect(again.map((j) => j.job_id)).toEqual(first.map((j) => j.job_id));
    const { rows: all } = await db.query(`select count(*)::int as n from jobs where idempotency_key like $1`, [
      `schedule:${id}:%`,
    ]);
    expect(all[0].n).toBe(2);
    expect((await rest('DELETE', `/v1/schedules/${id}`)).status).toBe(204);
  }, 90_000);

  it('refuses a job target without a type, with a bad priority, or with a definition too, naming the field', async () => {
    const noType = await rest('POST', '/v1/schedules', { every: 60, job: { queue: 'q' } });
    expect(noType.status).toBe(422);
    expect(noType.body.error.field).toBe('job.type');
    const priority = await rest('POST', '/v1/schedules', { every: 60, job: { type: 't', priority: 10 ** 9 } });
    expect(priority.status).toBe(422);
    expect(priority.body.error.field).toBe('job.priority');
    const both = await rest('POST', '/v1/schedules', { definitionId, every: 60, job: { type: 't' } });
    expect(both.status).toBe(422);
    expect(both.body.error.field).toBe('definitionId');
    const neither = await rest('POST', '/v1/schedules', { every: 60 });
    expect(neither.status).toBe(422);
    expect(neither.body.error.field).toBe('definitionId');
  });

  it('refuses a bad cron, a bad time zone and two kinds at once with 422 naming the field', async () => {
    const bad = await rest('POST', '/v1/schedules', { definitionId, cron: 'every tuesday' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('cron');
    const zone = await rest('POST', '/v1/schedules', { definitionId, cron: '0 9 * * *', timezone: 'Mars/Olympus' });
    expect(zone.body.error.field).toBe('timezone');
    const both = await rest('POST', '/v1/schedules', { definitionId, cron: '0 9 * * *', every: 10 });
    expect(both.status).toBe(422);
    const delay = await rest('POST', '/v1/schedules', { definitionId, delay: 0 });
    expect(delay.status).toBe(201);
  });
});
