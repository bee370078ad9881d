/**
 * The live delivery machinery on its own (in-memory bus, in-memory log): ordering with racing or
 * lost bus messages, resume while events keep arriving, and slow consumers that must not hold
 * back the others.
 */
import { describe, expect, it } from 'vitest';
import { InMemoryBus } from '../../kernel/bus.ts';
import {
  decodeBusMessage,
  type EventEnvelope,
  encodeBusMessage,
  encodeBusMessages,
  orgChannel,
} from '../../kernel/event-stream/envelope.ts';
import { OrgFeed } from '../../kernel/event-stream/feed.ts';
import { LiveStream, type LogClient, OrgHubs, SKIP, type StreamItem } from '../../kernel/event-stream/live.ts';
import { createLogger } from '../../kernel/logger.ts';
import { eventually } from '../eventually.ts';
import { sleep } from './helpers.ts';

const ORG = 'org_live';

function event(seq: number, type = 'workflow.created', data: Record<string, unknown> = {}): EventEnvelope {
  const at = new Date().toISOString();
  return {
    id: `evt_${String(seq).padStart(12, '0')}`,
    orgId: ORG,
    seq,
    type,
    subject: { type: 'workflow', id: `wf_${seq}` },
    actor: null,
    requestId: null,
    data: { workflowId: `wf_${seq}`, ...data },
    occurredAt: at,
    recordedAt: at,
  };
}

class MemoryLog implements LogClient {
  readonly events: EventEnvelope[] = [];
  reads = 0;
  delayMs = 0;
  append(...events: EventEnvelope[]) {
    this.events.push(...events);
  }
  async fetchAfter(_orgId: string, afterSeq: number, limit: number) {
    this.reads++;
    if (this.delayMs) await sleep(this.delayMs);
    return this.events.filter((e) => e.seq > afterSeq).slice(0, limit);
  }
  async heads(orgIds: string[]) {
    const head = this.events.at(-1)?.seq ?? 0;
    return new Map(orgIds.map((id) => [id, { headSeq: head, prunedThroughSeq: 0 }]));
  }
}

const logger = createLogger('silent');

/** A feed of ORG on an in-memory bus and log, started from the beginning; `seen` collects the sequences it delivers. */
async function startedFeed() {
  const bus = new InMemoryBus();
  const log = new MemoryLog();
  const seen: number[] = [];
  const feed = new OrgFeed({ bus, orgId: ORG, source: log, after: 0, onEvent: (e) => seen.push(e.seq) });
  await feed.start();
  return { bus, log, seen, feed };
}

describe('OrgFeed', () => {
  it('hands events over in sequence order, once, when bus messages race or get lost', async () => {
    const { bus, log, seen, feed } = await startedFeed();
    log.append(event(1), event(2), event(3), event(4), event(5));
    // Publishers race (3 before 1), 2 and 4 are never published, 1 arrives twice.
    for (const seq of [3, 1, 1, 5]) await bus.publish(orgChannel(ORG), encodeBusMessage(event(seq)));
    await eventually(() => seen.length === 5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);

    // A lost last message is found by the head check.
    log.append(event(6));
    feed.notifyHead(6);
    await eventually(() => seen.length === 6);
    // A message too large for the bus travels as a reference and is read from the log.
    const big = event(7, 'workflow.updated', { blob: 'x'.repeat(10_000) });
    log.append(big);
    expect(JSON.parse(encodeBusMessage(big)).truncated).toBe(true);
    await bus.publish(orgChannel(ORG), encodeBusMessage(big));
    await eventually(() => seen.length === 7);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await feed.close();
    await bus.close();
  });
});

describe('bus messages of an append batch', () => {
  const ofOrg = (orgId: string, seq: number, blob = '') => ({ ...event(seq, 'workflow.updated', { blob }), orgId });
  const seqsOf = (messages: { message: string }[]) =>
    messages.flatMap(({ message }) => decodeBusMessage(message).map((e) => ('truncated' in e ? -e.seq : e.seq)));

  it("puts an organization's consecutive events in one message, in order, and another organization's in its own", () => {
    const batch = [1, 2, 3].map((seq) => ofOrg('org_a', seq)).concat([ofOrg('org_b', 1), ofOrg('org_a', 4)]);
    const messages = encodeBusMessages(batch);
    expect(messages.map((m) => m.channel)).toEqual([orgChannel('org_a'), orgChannel('org_b'), orgChannel('org_a')]);
    expect(messages.map((m) => decodeBusMessage(m.message).length)).toEqual([3, 1, 1]);
    expect(seqsOf(messages)).toEqual([1, 2, 3, 1, 4]);
    // A message of one event is that event's envelope, as encodeBusMessage writes it.
    expect(messages[1]?.message).toBe(encodeBusMessage(batch[3] as EventEnvelope));
  });

  it('keeps every message within the bus limit, and sends an event over it alone, as a reference', () => {
    const batch = Array.from({ length: 100 }, (_, i) => ofOrg('org_a', i + 1, 'x'.repeat(i === 50 ? 9_000 : 300)));
    const messages = encodeBusMessages(batch);
    for (const { message } of messages) expect(Buffer.byteLength(message)).toBeLessThanOrEqual(7_000);
    expect(messages.length).toBeGreaterThan(2);
    expect(seqsOf(messages)).toEqual(batch.map((e) => (e.seq === 51 ? -51 : e.seq)));
    expect(messages.find((m) => m.message.includes('"truncated":true'))?.message).toBe(
      encodeBusMessage(batch[50] as EventEnvelope),
    );
  });

  it('reads a single envelope, a batch, and nothing from a malformed message or item', () => {
    expect(decodeBusMessage(encodeBusMessage(event(1))).map((e) => e.seq)).toEqual([1]);
    expect(decodeBusMessage('not json')).toEqual([]);
    expect(decodeBusMessage('{"orgId":1}')).toEqual([]);
    expect(decodeBusMessage(`[${JSON.stringify(event(2))},{"seq":"x"},null]`).map((e) => e.seq)).toEqual([2]);
  });

  it('hands a feed every event of a batched message in order, and reads a reference from the log', async () => {
    const { bus, log, seen, feed } = await startedFeed();
    const batch = [event(1), event(2), event(3, 'workflow.updated', { blob: 'x'.repeat(10_000) }), event(4), event(5)];
    log.append(...batch);
    const reads = log.reads;
    const messages = encodeBusMessages(batch);
    expect(messages).toHaveLength(3);
    // The first message alone continues the sequence: delivered without reading the log.
    await bus.publish(orgChannel(ORG), (messages[0] as { message: string }).message);
    await eventually(() => seen.length === 2);
    expect(log.reads).toBe(reads);
    for (const { channel, message } of messages.slice(1)) await bus.publish(channel, message);
    await eventually(() => seen.length === 5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    await feed.close();
    await bus.close();
  });
});

describe('LiveStream', () => {
  async function setup() {
    const bus = new InMemoryBus();
    const log = new MemoryLog();
    const hubs = new OrgHubs({ bus, client: log, logger, headPollMs: 60_000, lingerMs: 10 });
    const publish = async (...events: EventEnvelope[]) => {
      log.append(...events);
      for (const e of events) await bus.publish(orgChannel(ORG), encodeBusMessage(e));
    };
    return { bus, log, hubs, publish };
  }

  const collect = (stream: LiveStream<number>, into: number[]) =>
    (async () => {
      for await (const seq of stream) into.push(seq);
    })();

  it('resumes from since while new events keep arriving: no gap, no duplicate', async () => {
    const { bus, log, hubs, publish } = await setup();
    await publish(...Array.from({ length: 30 }, (_, i) => event(i + 1)));
    log.delayMs = 30; // the replay is slow, live events arrive meanwhile
    const stream = new LiveStream<number>({
      hubs,
      client: log,
      field: 'events',
      args: {},
      orgId: ORG,
      since: 10,
      position: { headSeq: 30, prunedThroughSeq: 0 },
      maxQueue: 1000,
      render: async (item: StreamItem) => (item.kind === 'event' ? item.event.seq : SKIP),
      onOverflow: () => undefined,
    });
    await stream.start();
    const got: number[] = [];
    const done = collect(stream, got);
    await publish(event(31), event(32));
    await publish(event(33));
    await eventually(() => got.length === 23);
    expect(got).toEqual(Array.from({ length: 23 }, (_, i) => i + 11));
    await stream.return();
    await done;
    await hubs.close();
    await bus.close();
  });

  it('never repeats what a resuming consumer saw, even when this replica’s feed lags behind it', async () => {
    const { bus, log, hubs, publish } = await setup();
    await publish(...Array.from({ length: 10 }, (_, i) => event(i + 1)));
    const stream = (since: number | null, headSeq: number) =>
      new LiveStream<number>({
        hubs,
        client: log,
        field: 'events',
        args: {},
        orgId: ORG,
        since,
        position: { headSeq, prunedThroughSeq: 0 },
        maxQueue: 1000,
        render: async (item: StreamItem) => (item.kind === 'event' ? item.event.seq : SKIP),
        onOverflow: () => undefined,
      });
    const first = await stream(null, 10).start();
    // 11–15 reach the log but their bus messages are lost: this replica's feed stays at 10,
    // while the client saw up to 13 through another replica.
    log.append(...Array.from({ length: 5 }, (_, i) => event(i + 11)));
    const resumed = await stream(13, 15).start();
    const got: number[] = [];
    const done = collect(resumed, got);
    await publish(event(16)); // the gap is read from the log, in order
    await eventually(() => got.length === 3);
    expect(got).toEqual([14, 15, 16]);
    for (const s of [first, resumed]) await s.return();
    await done;
    await hubs.close();
    await bus.close();
  });

  it('cuts off a consumer that does not keep up, without holding back the others', async () => {
    const { bus, log, hubs, publish } = await setup();
    let overflowed = 0;
    const stuck = new LiveStream<number>({
      hubs,
      client: log,
      field: 'events',
      args: {},
      orgId: ORG,
      position: { headSeq: 0, prunedThroughSeq: 0 },
      maxQueue: 5,
      render: () => new Promise<number>(() => undefined), // never finishes sending
      onOverflow: () => {
        overflowed++;
      },
    });
    const healthy = new LiveStream<number>({
      hubs,
      client: log,
      field: 'events',
      args: {},
      orgId: ORG,
      position: { headSeq: 0, prunedThroughSeq: 0 },
      maxQueue: 5,
      render: async (item) => (item.kind === 'event' ? item.event.seq : SKIP),
      onOverflow: () => {
        throw new Error('the healthy consumer must not overflow');
      },
    });
    await stuck.start();
    await healthy.start();
    void stuck.next();
    const got: number[] = [];
    const done = collect(healthy, got);
    for (let seq = 1; seq <= 40; seq++) {
      await publish(event(seq));
      await sleep(1);
    }
    await eventually(() => got.length === 40);
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(overflowed).toBe(1);
    expect(stuck.closed).toBe(true);
    await healthy.return();
    await done;
    await hubs.close();
    await bus.close();
  });

  it('pump hands values over in order (those queued while one renders too), then the end value; a failure rejects it', async () => {
    const { bus, log, hubs, publish } = await setup();
    const options = {
      hubs,
      client: log,
      field: 'events' as const,
      args: {},
      orgId: ORG,
      maxQueue: 100,
      onOverflow: () => undefined,
    };
    const stream = new LiveStream<number>({
      ...options,
      position: { headSeq: 0, prunedThroughSeq: 0 },
      render: async (item) => {
        if (item.kind !== 'event') return SKIP;
        if (item.event.seq === 1) await sleep(30); // 2 and 3 arrive while 1 is rendered
        return item.event.seq;
      },
    });
    await stream.start();
    const got: number[] = [];
    const pumped = stream.pump((seq) => got.push(seq));
    expect(() => stream.pump(() => undefined)).toThrow(/already pumping/);
    await publish(event(1));
    await publish(event(2), event(3));
    await eventually(() => got.length === 3);
    await sleep(20); // idle, then woken again by the next event
    await publish(event(4));
    await eventually(() => got.length === 4);
    await stream.end(99);
    await pumped;
    expect(got).toEqual([1, 2, 3, 4, 99]);

    const unreachable: LogClient = {
      fetchAfter: async () => {
        throw new Error('log unreachable');
      },
      heads: (orgIds) => log.heads(orgIds),
    };
    const failing = new LiveStream<number>({
      ...options,
      client: unreachable,
      since: 1,
      position: { headSeq: 4, prunedThroughSeq: 0 },
      render: async (item) => (item.kind === 'event' ? item.event.seq : SKIP),
    });
    await failing.start();
    await expect(failing.pump(() => undefined)).rejects.toThrow('log unreachable');
    expect(failing.closed).toBe(true);
    await hubs.close();
    await bus.close();
  });

  it('filters by stream: control-plane kinds, one workflow, one job', async () => {
    const { bus, log, hubs, publish } = await setup();
    const make = (field: 'controlPlane' | 'workflowStateChanged' | 'jobEvents', args: Record<string, unknown>) =>
      new LiveStream<string>({
        hubs,
        client: log,
        field,
        args,
        orgId: ORG,
        position: { headSeq: 0, prunedThroughSeq: 0 },
        maxQueue: 100,
        render: async (item) => (item.kind === 'message' ? item.message.kind : item.event.type),
        onOverflow: () => undefined,
      });
    const control = make('controlPlane', {});
    const oneWorkflow = make('workflowStateChanged', { workflowId: 'wf_2' });
    const oneJob = make('jobEvents', { jobId: 'job_9' });
    for (const s of [control, oneWorkflow, oneJob]) await s.start();
    await publish(
      event(1, 'workflow.paused'),
      event(2, 'workflow.killed'),
      event(3, 'policy.updated'),
      event(4, 'api_key.secret_rotated'),
      event(5, 'api_key.created'),
      { ...event(6, 'job.completed'), subject: { type: 'job', id: 'job_9' } },
      event(7, 'vm.running'),
    );
    const read = async (s: LiveStream<string>, n: number) => {
      const out: string[] = [];
      while (out.length < n) out.push((await s.next()).value as string);
      return out;
    };
    expect(await read(control, 5)).toEqual([
      'InitialState',
      'StateChange',
      'StateChange',
      'PolicyInvalidated',
      'KeyRotated',
    ]);
    expect(await read(oneWorkflow, 1)).toEqual(['StateChange']);
    expect(await read(oneJob, 1)).toEqual(['job.completed']);
    for (const s of [control, oneWorkflow, oneJob]) await s.return();
    await hubs.close();
    await bus.close();
  });

  it('hands every stream of a feed the same frozen item for an event, its control-plane message made once', async () => {
    const { bus, log, hubs, publish } = await setup();
    const make = (field: 'controlPlane' | 'workflowStateChanged' | 'events') =>
      new LiveStream<StreamItem>({
        hubs,
        client: log,
        field,
        args: {},
        orgId: ORG,
        position: { headSeq: 0, prunedThroughSeq: 0 },
        maxQueue: 100,
        render: async (item) => (item.kind === 'message' && item.message.kind === 'InitialState' ? SKIP : item),
        onOverflow: () => undefined,
      });
    const streams = [make('controlPlane'), make('controlPlane'), make('workflowStateChanged'), make('events')];
    for (const s of streams) await s.start();
    await publish(event(1, 'workflow.paused'));
    const [a, b, c, d] = await Promise.all(streams.map(async (s) => (await s.next()).value as StreamItem));
    expect(a).toMatchObject({ kind: 'message', message: { kind: 'StateChange', seq: 1 } });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen((a as Extract<StreamItem, { kind: 'message' }>).message)).toBe(true);
    expect(d).toMatchObject({ kind: 'event', event: { seq: 1 } });
    for (const s of streams) await s.return();
    await hubs.close();
    await bus.close();
  });
});
