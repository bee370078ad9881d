import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../kernel/bus.ts';
import { decodeBusMessage, orgChannel } from '../../kernel/event-stream/envelope.ts';
import { eventually } from '../eventually.ts';
import { closeAll, startTestPlatform, type TestPlatform } from '../harness.ts';
import { logOf, ok } from './helpers.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(closeAll);

describe('event log', () => {
  it('records a change made through any subgraph, with actor, request id and subject', async () => {
    const user = await platform.signup('Log Org');
    const created = await ok(
      platform,
      'mutation($orgId: ID!) { createWorkflow(orgId: $orgId, input: { name: "agent", budgetMicros: 100 }) { id } }',
      { orgId: user.orgId },
      user.token,
    );
    const workflowId = created.createWorkflow.id;
    const event = await eventually(async () =>
      (await logOf(platform, user)).find((e) => e.type === 'workflow.created' && e.subject?.id === workflowId),
    );
    expect(event.id).toMatch(/^evt_/);
    expect(event.actor).toEqual({ type: 'user', id: user.userId });
    expect(event.requestId).toBeTruthy();
    expect(event.seq).toBeGreaterThan(0);
  });
});

describe('event log filtered by cluster (data.clusterId)', () => {
  it('returns only the events naming the cluster, filtered before the limit, and never another organization’s', async () => {
    const user = await platform.signup('Cluster Log Org');
    const createCluster = async (name: string) =>
      (
        await ok(
          platform,
          'mutation($o: ID!, $i: CreateClusterInput!) { createCluster(orgId: $o, input: $i) { id } }',
          { o: user.orgId, i: { name, gpuModelId: 'h100-80gb', replicaCount: 2 } },
          user.token,
        )
      ).createCluster.id as string;
    const first = await createCluster('first');
    const second = await createCluster('second');
    const byCluster = async (clusterId: string, limit: number, token = user.token, orgId: string | null = user.orgId) =>
      (
        await ok(
          platform,
          'query($o: ID, $c: ID!, $l: Int) { events(orgId: $o, filter: { clusterId: $c }, limit: $l) { items { type data } } }',
          { o: orgId, c: clusterId, l: limit },
          token,
        )
      ).events.items as { type: string; data: { clusterId?: string } }[];
    // Both clusters' creations are in the log (the second one's are the newest).
    await eventually(async () =>
      (await byCluster(second, 100)).some((e) => e.type === 'cluster.created') ? true : undefined,
    );
    const firstEvents = await eventually(async () => {
      const items = await byCluster(first, 100);
      return items.some((e) => e.type === 'cluster.created') ? items : undefined;
    });
    expect(firstEvents.every((e) => e.data.clusterId === first)).toBe(true);
    // Filtered on the server before the limit: the newest event naming the first cluster, not the org's newest.
    const [newest] = await byCluster(first, 1);
    expect(newest?.data.clusterId).toBe(first);

    // Another organization's member, over all their organizations, sees none of it.
    const other = await platform.signup('Cluster Log Other Org');
    expect(await byCluster(first, 100, other.token, null)).toEqual([]);
  });
});

describe('live fan-out of an append batch', () => {
  it("publishes an organization's events of one batch together, in one bus message, in sequence order", async () => {
    const bus = platform.app.platform.bus;
    const published: BusMessage[] = [];
    const publishAll = bus.publishAll.bind(bus);
    bus.publishAll = (messages) => {
      published.push(...messages);
      return publishAll(messages);
    };
    try {
      const user = await platform.signup('Batch Publish Org');
      // One transaction recording several events: the cluster and its replicas.
      await ok(
        platform,
        'mutation($o: ID!, $i: CreateClusterInput!) { createCluster(orgId: $o, input: $i) { id } }',
        { o: user.orgId, i: { name: 'batched', gpuModelId: 'h100-80gb', replicaCount: 3 } },
        user.token,
      );
      const batched = await eventually(() =>
        published
          .filter((m) => m.channel === orgChannel(user.orgId))
          .map((m) => decodeBusMessage(m.message))
          .find((events) => events.length > 1),
      );
      const seqs = batched.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
      expect(batched.every((e) => e.orgId === user.orgId)).toBe(true);
    } finally {
      bus.publishAll = publishAll;
    }
  });
});
