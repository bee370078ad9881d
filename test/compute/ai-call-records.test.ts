/**
 * The AI gateway's call records in compute (subgraphs/compute/ai/records.ts): the records of calls
 * that settle in the same turn of the event loop share one statement, each call id is still recorded
 * once with its event, and a record the database refuses fails alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAiCallRecord } from '../../kernel/ai-call-record.ts';
import { createOrm, type Orm } from '../../kernel/database.ts';
import { newId } from '../../kernel/ids.ts';
import { OutboxEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { AiRecords, aiCallRecordStats, type RecordAiCallInput } from '../../subgraphs/compute/ai/records.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

let platform: TestPlatform;
let orm: Orm;
let user: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform();
  orm = await createOrm({
    schema: 'compute',
    url: platform.databaseUrl,
    entities: [OutboxEvent],
    migrations: [],
    poolMax: 10,
  });
  user = await platform.signup('AI Records Org');
});
afterAll(async () => {
  await orm?.close();
  await closeAll();
});

const gateway = { kind: 'service', id: 'svc_ai_gateway' } as unknown as Principal;

function call(overrides: Partial<RecordAiCallInput> = {}): RecordAiCallInput {
  return {
    callId: newId('aic'),
    orgId: user.orgId,
    provider: 'test',
    model: 'test-model',
    surface: 'CHAT_COMPLETIONS',
    stream: false,
    status: 'COMPLETED',
    inputTokens: 12,
    outputTokens: 6,
    costMicros: 24,
    estimatedCostMicros: 100,
    latencyMs: 3,
    ...overrides,
  };
}

describe('AI call records', () => {
  it('records the calls of one turn in one statement, each call id once with its event', async () => {
    const secret = platform.app.platform.internalSecret;
    const records = new AiRecords(orm.em.fork(), secret, 'http://localhost');
    const calls = Array.from({ length: 10 }, () => call());
    const before = { ...aiCallRecordStats };
    // The first call again in the same turn (a retried record): recorded by one of the two only.
    const results = await Promise.all(
      [...calls, calls[0] as RecordAiCallInput].map((input) =>
        records.record(gateway, input, signAiCallRecord(secret, input)),
      ),
    );
    expect(results.slice(1, 10)).toEqual(calls.slice(1).map(() => true));
    expect([results[0], results[10]].sort()).toEqual([false, true]);
    // One statement for the ten, one for the repeated id after them.
    expect(aiCallRecordStats.statements - before.statements).toBe(2);
    const ids = calls.map((c) => c.callId);
    const rows = await orm.em.fork().execute<{ id: string }[]>('select id from ai_calls where id in (?)', [ids]);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    const events = await orm.em
      .fork()
      .execute<{ subject_id: string }[]>(
        "select subject_id from outbox where type = 'provider.call.completed' and subject_id in (?)",
        [ids],
      );
    expect(events.map((e) => e.subject_id).sort()).toEqual([...ids].sort());
  });

  it('fails a record the database refuses alone: the others of its turn are recorded', async () => {
    const secret = platform.app.platform.internalSecret;
    const records = new AiRecords(orm.em.fork(), secret, 'http://localhost');
    const good = [call(), call(), call()];
    const bad = call({ inputTokens: -1 });
    const outcomes = await Promise.allSettled(
      [good[0], bad, good[1], good[2]].map((input) =>
        records.record(gateway, input as RecordAiCallInput, signAiCallRecord(secret, input as RecordAiCallInput)),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const rows = await orm.em
      .fork()
      .execute<{ id: string }[]>('select id from ai_calls where id in (?)', [[...good, bad].map((c) => c.callId)]);
    expect(rows.map((r) => r.id).sort()).toEqual(good.map((c) => c.callId).sort());
  });
});
