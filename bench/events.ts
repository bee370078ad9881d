/**
 * The events suite: what the event backbone delivers under load.
 *
 * 1. Commit → subscriber latency with N concurrent graphql-ws subscriptions on one gateway
 *    process (default N = 1,000 and 10,000): clients in a child process subscribe to
 *    `controlPlane` (the payload selects a field owned by governance, so every push is resolved
 *    through the supergraph) across several organizations, each subscriber on its own connection
 *    with its own API key (keys inserted in bulk); the parent changes state at a steady rate;
 *    latency = push received − the event's `occurredAt` (set in the transaction of the change), on
 *    the same clock. Gateway RSS, process CPU and payload resolutions are noted. Two key sets:
 *    `shared` — every key of an organization has the same scopes (one permission set, so one
 *    resolution per event and organization); `distinct` — every key has its own set of scopes
 *    (one resolution per event and subscriber: the cost the grouping saves).
 * 2. Webhook dispatch throughput: events appended straight to the log fan out to several
 *    webhooks on a local receiver; deliveries per second until every one succeeded.
 * 3. Outbox lag under load: a burst of concurrent changes; `recordedAt − occurredAt` from the log
 *    (relay + append), p50 / p99.
 *
 * Register it in bench/run.ts (`events: runEvents`) or run it alone:
 *   node bench/events.ts [--subscriptions 1000,10000] [--distinct-subscriptions 200] [--duration 10] [--orgs 10] [--subscriptions-only] [--no-write]
 * Short smoke run: node bench/events.ts --subscriptions 200 --duration 3 --no-write
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type BenchPlatform,
  bootPlatform,
  closeAllPlatforms,
  DEFAULT_SETTINGS,
  fixed,
  type LoadSettings,
  machine,
  markdownTable,
  mib,
  percentile,
  type Seed,
  type SuiteReport,
  seedOrganization,
  writeSection,
} from './lib.ts';

const RESULTS_FILE = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

export interface EventsBenchOptions {
  /** Subscription counts to measure with one permission set per organization, one run each. */
  subscriptions: number[];
  /** Subscription counts to measure with a permission set per subscriber, one run each. */
  distinctSubscriptions: number[];
  /** Organizations the subscriptions (and changes) are spread over. */
  orgs: number;
  /** Subscriptions per graphql-ws connection. */
  perConnection: number;
  /** State changes per second during the measured phase (all organizations together). */
  changesPerSecond: number;
  webhooks: number;
  webhookEvents: number;
  outboxBurst: number;
  /** Only the commit → subscriber latency cases (no webhook dispatch, no outbox lag). */
  subscriptionsOnly: boolean;
}

export const DEFAULT_EVENTS_OPTIONS: EventsBenchOptions = {
  subscriptions: [1_000, 10_000],
  // Each subscriber its own group: 10 changes/s × 200 subscribers is already 200 resolutions/s.
  distinctSubscriptions: [200],
  orgs: 10,
  perConnection: 1,
  changesPerSecond: 10,
  webhooks: 5,
  webhookEvents: 1_000,
  outboxBurst: 300,
  subscriptionsOnly: false,
};

// ---------------------------------------------------------------------------------------------
// Subscription clients (child process)

interface OpenRequest {
  type: 'open';
  url: string;
  /** One graphql-ws connection each, with its own key. */
  connections: { orgId: string; apiKey: string; subscriptions: number }[];
}

type WorkerMessage =
  | { type: 'ready'; subscriptions: number; connections: number; failed: number }
  | { type: 'latencies'; values: number[]; received: number; errors: number; closed: number }
  | { type: 'error'; message: string };

const SUBSCRIPTION = /* GraphQL */ `
  subscription BenchControlPlane($orgId: ID!) {
    controlPlane(orgId: $orgId) {
      kind
      seq
      ... on StateChange { action event { occurredAt } workflow { name } }
    }
  }
`;

/** A graphql-ws error: GraphQL errors, or the close event of the socket. */
const describe = (error: unknown): string => {
  if (Array.isArray(error)) return JSON.stringify(error);
  const { code, reason, message } = error as { code?: unknown; reason?: unknown; message?: unknown };
  return JSON.stringify({ code, reason, message });
};

async function subscriptionWorker(): Promise<void> {
  const [{ createClient }, { default: WebSocket }] = await Promise.all([import('graphql-ws'), import('ws')]);
  const latencies: number[] = [];
  let received = 0;
  let errors = 0;
  let closed = 0;
  const clients: { dispose(): void }[] = [];
  process.on('message', async (message: OpenRequest | { type: 'collect' }) => {
    if (message.type === 'collect') {
      process.send?.({ type: 'latencies', values: latencies, received, errors, closed } satisfies WorkerMessage);
      for (const c of clients) c.dispose();
      return;
    }
    let ready = 0;
    /** Subscriptions asked for and not yet answered (first message or error). */
    let pending = 0;
    let failed = 0;
    let connections = 0;
    const total = message.connections.reduce((sum, o) => sum + o.subscriptions, 0);
    const report = () => {
      if (ready + failed === total)
        process.send?.({ type: 'ready', subscriptions: ready, connections, failed } satisfies WorkerMessage);
    };
    for (const org of message.connections) {
      const client = createClient({
        url: message.url,
        webSocketImpl: WebSocket,
        connectionParams: { apiKey: org.apiKey },
        retryAttempts: 0,
        on: { closed: () => closed++ },
      });
      clients.push(client);
      connections++;
      for (let i = 0; i < org.subscriptions; i++) {
        let first = true;
        client.subscribe(
          { query: SUBSCRIPTION, variables: { orgId: org.orgId } },
          {
            next: (result: { data?: { controlPlane?: { event?: { occurredAt?: string } } } | null }) => {
              const now = Date.now();
              if (first) {
                first = false;
                ready++;
                pending--;
                report();
                return;
              }
              received++;
              const occurredAt = result.data?.controlPlane?.event?.occurredAt;
              if (occurredAt) latencies.push(now - Date.parse(occurredAt));
            },
            error: (error: unknown) => {
              // A few samples say why (they go to the suite's stderr, not into RESULTS.md).
              if (errors < 3) process.stderr.write(`subscription error: ${describe(error)}\n`);
              errors++;
              if (first) {
                first = false;
                failed++;
                pending--;
                report();
              }
            },
            complete: () => undefined,
          },
        );
      }
      pending += org.subscriptions;
      // At most 100 handshakes at a time (each authenticates a key and asks a grant): thousands of
      // simultaneous ones overflow the accept queue of a busy process (ECONNRESET), which measures
      // the kernel, not Trellis.
      while (pending >= 100) await new Promise((r) => setTimeout(r, 5));
    }
  });
}

// ---------------------------------------------------------------------------------------------

type KeySet = 'shared' | 'distinct';

interface LatencyRun {
  keySet: KeySet;
  keys: number;
  subscriptions: number;
  connections: number;
  failedSubscriptions: number;
  changes: number;
  expectedPushes: number;
  received: number;
  errors: number;
  closed: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  rssIdleMiB: number;
  rssPeakMiB: number;
  cpuMsPerPush: number;
  /** Payload resolutions (one per event and subscriber group) during the measured phase. */
  resolutions: number;
  cpuMsPerChange: number;
  cpuMsPerResolution: number;
}

/** `count` new API keys of `seed`'s organization, inserted in one statement (scopes per key). */
async function bulkApiKeys(platform: BenchPlatform, seed: Seed, scopes: (index: number) => string[], count: number) {
  const [{ default: pg }, { newApiKey, newSigningSecret, displayPrefix }, { newId }, { sha256Hex }] = await Promise.all(
    [
      import('pg'),
      import('../subgraphs/identity/credentials.ts'),
      import('../kernel/ids.ts'),
      import('../kernel/secrets.ts'),
    ],
  );
  const box = platform.app.platform.secretBox;
  const keys: string[] = [];
  const rows = { id: [] as string[], prefix: [] as string[], hash: [] as string[], sealed: [] as string[] };
  const keyScopes: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId('key');
    const key = newApiKey('live');
    keys.push(key);
    rows.id.push(id);
    rows.prefix.push(displayPrefix(key));
    rows.hash.push(sha256Hex(key));
    rows.sealed.push(box.seal(newSigningSecret(), id));
    keyScopes.push(JSON.stringify(scopes(i)));
  }
  const { app } = platform;
  const client = new pg.Client({
    connectionString: app.platform.config.subgraphs.identity.databaseUrl ?? app.databaseUrl,
  });
  await client.connect();
  try {
    // Everything else (organization, role, creator) as the seed's own key.
    await client.query(
      `insert into identity.api_keys (id, org_id, name, prefix, key_hash, scopes, role, created_by, signing_secret_sealed, usage_count, created_at, updated_at)
       select k.id, t.org_id, 'bench subscriber', k.prefix, k.key_hash,
              array(select jsonb_array_elements_text(k.scopes::jsonb)), t.role, t.created_by, k.sealed, 0, now(), now()
       from identity.api_keys t, unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as k(id, prefix, key_hash, sealed, scopes)
       where t.key_hash = $6`,
      [rows.id, rows.prefix, rows.hash, rows.sealed, keyScopes, sha256Hex(seed.apiKey)],
    );
  } finally {
    await client.end();
  }
  return keys;
}

/** Scopes that are all read-only and never needed by the subscription: the bits of a distinct set. */
async function spareScopes(): Promise<string[]> {
  const { VALID_SCOPES } = await import('../kernel/permissions.ts');
  return VALID_SCOPES.filter((s) => s.endsWith(':read') && s !== 'events:read' && s !== 'workflows:read');
}

/** `events:read workflows:read` plus, for `distinct`, a subset of spare scopes numbered by `index`. */
function scopesFor(keySet: KeySet, spare: string[]) {
  return (index: number) => [
    'events:read',
    'workflows:read',
    ...(keySet === 'distinct' ? spare.filter((_, bit) => (index + 1) & (1 << bit)) : []),
  ];
}

async function resolutionCount(platform: BenchPlatform): Promise<number> {
  const metric = platform.app.gateway.metrics.registry.getSingleMetric('trellis_ws_payload_resolutions_total');
  const values = (await metric?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

async function createWorkflow(platform: BenchPlatform, seed: Seed, name: string): Promise<string> {
  const { body } = await platform.graphql<{ createWorkflow: { id: string } }>(
    'mutation($orgId: ID!, $name: String!) { createWorkflow(orgId: $orgId, input: { name: $name }) { id } }',
    { orgId: seed.orgId, name },
    seed.apiKey,
  );
  if (!body.data) throw new Error(`createWorkflow failed: ${JSON.stringify(body.errors)}`);
  return body.data.createWorkflow.id;
}

async function measureLatency(
  platform: BenchPlatform,
  seeds: Seed[],
  subscriptions: number,
  keySet: KeySet,
  options: EventsBenchOptions,
  durationSeconds: number,
): Promise<LatencyRun> {
  const perOrg = Math.ceil(subscriptions / seeds.length);
  const spare = await spareScopes();
  const connections: OpenRequest['connections'] = [];
  let keys = 0;
  for (const [i, seed] of seeds.entries()) {
    const subscribers = Math.max(0, Math.min(perOrg, subscriptions - i * perOrg));
    const count = Math.ceil(subscribers / options.perConnection);
    if (count === 0) continue;
    const apiKeys = await bulkApiKeys(platform, seed, scopesFor(keySet, spare), count);
    keys += apiKeys.length;
    for (const [k, apiKey] of apiKeys.entries())
      connections.push({
        orgId: seed.orgId,
        apiKey,
        subscriptions: Math.min(options.perConnection, subscribers - k * options.perConnection),
      });
  }
  const child = fork(fileURLToPath(import.meta.url), ['--subscription-worker'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends WorkerMessage['type']>(type: T) =>
    new Promise<Extract<WorkerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === type) {
          child.off('message', onMessage);
          resolve(message as Extract<WorkerMessage, { type: T }>);
        } else if (message.type === 'error') reject(new Error(message.message));
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`subscription worker exited (${code})`)));
    });
  try {
    const rssIdle = process.memoryUsage.rss();
    const readyPromise = next('ready');
    child.send({
      type: 'open',
      url: `${platform.url.replace(/^http/, 'ws')}/graphql`,
      connections,
    } satisfies OpenRequest);
    const ready = await readyPromise;
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 200);
    const cpuStart = process.cpuUsage();
    const resolutionsStart = await resolutionCount(platform);
    // Steady changes, round-robin over the organizations.
    const total = Math.max(1, Math.round(options.changesPerSecond * durationSeconds));
    const interval = 1000 / options.changesPerSecond;
    const started = Date.now();
    const inflight: Promise<unknown>[] = [];
    const subscribed = seeds.map((_, i) => Math.max(0, Math.min(perOrg, subscriptions - i * perOrg)));
    let expectedPushes = 0;
    for (let n = 0; n < total; n++) {
      const index = n % seeds.length;
      expectedPushes += subscribed[index] as number;
      inflight.push(createWorkflow(platform, seeds[index] as Seed, `bench-${n}`));
      const wait = started + (n + 1) * interval - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(inflight);
    // Let the last pushes arrive (bounded: a push later than this is not counted).
    await new Promise((r) => setTimeout(r, 10_000));
    const collected = next('latencies');
    child.send({ type: 'collect' });
    const result = await collected;
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpuStart);
    const resolutions = (await resolutionCount(platform)) - resolutionsStart;
    const sorted = [...result.values].sort((a, b) => a - b);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return {
      keySet,
      keys,
      subscriptions: ready.subscriptions,
      connections: ready.connections,
      failedSubscriptions: ready.failed,
      changes: total,
      expectedPushes,
      received: result.received,
      errors: result.errors,
      closed: result.closed,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      rssIdleMiB: mib(rssIdle),
      rssPeakMiB: mib(peakRss),
      cpuMsPerPush: result.received > 0 ? cpuMs / result.received : Number.NaN,
      cpuMsPerChange: cpuMs / total,
      resolutions,
      cpuMsPerResolution: resolutions > 0 ? cpuMs / resolutions : Number.NaN,
    };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

async function measureWebhooks(
  platform: BenchPlatform,
  seed: Seed,
  options: EventsBenchOptions,
): Promise<{ deliveries: number; seconds: number; perSecond: number; receiverHits: number }> {
  const { httpIngest } = await import('../kernel/outbox-relay.ts');
  const { newId } = await import('../kernel/ids.ts');
  let hits = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  try {
    for (let i = 0; i < options.webhooks; i++) {
      const { body } = await platform.graphql(
        'mutation($orgId: ID!, $url: String!) { createWebhook(orgId: $orgId, input: { name: "bench", url: $url, events: ["bench.*"] }) { secret } }',
        { orgId: seed.orgId, url },
        seed.token,
      );
      if (!body.data) throw new Error(`createWebhook failed: ${JSON.stringify(body.errors)}`);
    }
    const ingest = httpIngest(platform.app.platform, 'bench');
    const expected = options.webhooks * options.webhookEvents;
    const started = Date.now();
    for (let sent = 0; sent < options.webhookEvents; sent += 100) {
      const batch = Array.from({ length: Math.min(100, options.webhookEvents - sent) }, (_, i) => ({
        id: newId('evt'),
        orgId: seed.orgId,
        type: 'bench.delivered',
        subject: null,
        actor: null,
        requestId: null,
        data: { n: sent + i },
        occurredAt: new Date().toISOString(),
        source: 'bench',
      }));
      await ingest(batch);
    }
    const deadline = Date.now() + 120_000;
    while (hits < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const seconds = (Date.now() - started) / 1000;
    return { deliveries: expected, seconds, perSecond: hits / seconds, receiverHits: hits };
  } finally {
    receiver.close();
  }
}

interface LogPage {
  events: { items: { data: { name?: string }; occurredAt: string; recordedAt: string }[]; nextCursor: string | null };
}

async function measureOutboxLag(
  platform: BenchPlatform,
  seed: Seed,
  burst: number,
): Promise<{ events: number; p50: number; p99: number; max: number; seconds: number }> {
  const started = Date.now();
  const queue = Array.from({ length: burst }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift())
        await createWorkflow(platform, seed, `burst-${n}`);
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  // Read the burst's events back from the log.
  const lags: number[] = [];
  let cursor: string | null = null;
  const deadline = Date.now() + 60_000;
  while (lags.length < burst && Date.now() < deadline) {
    lags.length = 0;
    cursor = null;
    do {
      const { body }: { body: { data?: LogPage } } = await platform.graphql(
        'query($orgId: ID!, $cursor: String) { events(orgId: $orgId, filter: { types: ["workflow.created"] }, limit: 200, cursor: $cursor) { items { data occurredAt recordedAt } nextCursor } }',
        { orgId: seed.orgId, cursor },
        seed.token,
      );
      for (const e of body.data?.events.items ?? [])
        if (String(e.data?.name).startsWith('burst-')) lags.push(Date.parse(e.recordedAt) - Date.parse(e.occurredAt));
      cursor = body.data?.events.nextCursor ?? null;
    } while (cursor);
    if (lags.length < burst) await new Promise((r) => setTimeout(r, 200));
  }
  const sorted = lags.sort((a, b) => a - b);
  return {
    events: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    seconds,
  };
}

/** The webhook-dispatch and outbox-lag sections. */
async function measureDelivery(platform: BenchPlatform, seeds: Seed[], options: EventsBenchOptions): Promise<string[]> {
  const hooks = await measureWebhooks(platform, seeds[0] as Seed, options);
  const lag = await measureOutboxLag(platform, seeds[1] ?? (seeds[0] as Seed), options.outboxBurst);
  return [
    '### Webhook dispatch',
    '',
    markdownTable(
      ['webhooks', 'events', 'deliveries', 'received', 'seconds', 'deliveries/s'],
      [
        [
          options.webhooks,
          options.webhookEvents,
          hooks.deliveries,
          hooks.receiverHits,
          fixed(hooks.seconds, 1),
          fixed(hooks.perSecond, 0),
        ],
      ],
    ),
    '',
    '### Outbox lag under load (relay + append: `recordedAt − occurredAt`)',
    '',
    markdownTable(
      ['changes (20 concurrent)', 'seconds', 'events found', 'p50 ms', 'p99 ms', 'max ms'],
      [
        [
          options.outboxBurst,
          fixed(lag.seconds, 1),
          lag.events,
          fixed(lag.p50, 0),
          fixed(lag.p99, 0),
          fixed(lag.max, 0),
        ],
      ],
    ),
    '',
  ];
}

/** The suite (bench/run.ts signature). */
export async function runEvents(
  settings: LoadSettings,
  overrides: Partial<EventsBenchOptions> = {},
): Promise<SuiteReport> {
  const options = { ...DEFAULT_EVENTS_OPTIONS, ...overrides };
  const platform = await bootPlatform({
    TRELLIS_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    // Each subscription is one client message; connections open in bursts.
    TRELLIS_WS_MESSAGE_BURST: '1000',
    TRELLIS_WS_MAX_SUBSCRIPTIONS: String(Math.max(50, options.perConnection)),
  });
  try {
    const seeds: Seed[] = [];
    for (let i = 0; i < options.orgs; i++) seeds.push(await seedOrganization(platform, `Events Bench ${i}`));
    const runs: LatencyRun[] = [];
    for (const n of options.subscriptions)
      runs.push(await measureLatency(platform, seeds, n, 'shared', options, settings.durationSeconds));
    for (const n of options.distinctSubscriptions)
      runs.push(await measureLatency(platform, seeds, n, 'distinct', options, settings.durationSeconds));
    const delivery = options.subscriptionsOnly ? [] : await measureDelivery(platform, seeds, options);

    const body = [
      '### Commit → subscriber latency (graphql-ws `controlPlane`, payload resolved through the supergraph)',
      '',
      markdownTable(
        [
          'permission sets',
          'API keys',
          'subscriptions',
          'connections',
          'failed subs',
          'changes',
          'pushes expected',
          'pushes received',
          'connections closed early',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'max ms',
          'gateway-process RSS idle → peak MiB',
          'resolutions',
          'CPU ms/change',
          'CPU ms/push',
          'CPU ms/resolution',
        ],
        runs.map((r) => [
          r.keySet === 'shared' ? 'one per org' : 'one per key',
          r.keys,
          r.subscriptions,
          r.connections,
          r.failedSubscriptions,
          r.changes,
          r.expectedPushes,
          r.received,
          r.closed,
          fixed(r.p50, 0),
          fixed(r.p90, 0),
          fixed(r.p99, 0),
          fixed(r.max, 0),
          `${r.rssIdleMiB} → ${r.rssPeakMiB}`,
          r.resolutions,
          fixed(r.cpuMsPerChange, 1),
          fixed(r.cpuMsPerPush, 3),
          fixed(r.cpuMsPerResolution, 2),
        ]),
      ),
      '',
      ...delivery,
      'Notes:',
      `- ${options.orgs} organizations; subscriptions spread evenly, ${options.perConnection} per connection, each connection with its own API key (inserted in bulk); clients in a child process.`,
      '- Permission sets: "one per org" — every key of an organization has the same scopes (`events:read workflows:read`), so an event is resolved once for all its subscribers; "one per key" — each key adds its own subset of other read scopes, so every subscriber is its own group (what resolving per subscriber costs).',
      '- Resolutions: `trellis_ws_payload_resolutions_total` during the measured phase (one per event and group; InitialState excluded). CPU ms/change, /push and /resolution: the process CPU of the measured phase (which includes making the changes: createWorkflow through the gateway) divided by each; CPU time is less affected than latency by the other load on the machine.',
      `- ${options.changesPerSecond} changes/s (createWorkflow, round-robin over the organizations) for ${settings.durationSeconds} s; every change is pushed to each subscription of its organization.`,
      "- Latency: receipt in the client process − the event's `occurredAt` (set in the transaction of the change); includes relay, append, bus, payload resolution through governance and the WebSocket send.",
      '- RSS and CPU are those of the all-in-one Trellis process (gateway and subgraphs; PostgreSQL and clients excluded).',
      '- The webhook receiver runs in the Trellis process (loopback); events are appended straight to the log.',
    ].join('\n');
    return { setup: platform.setup, body };
  } finally {
    await platform.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subscriptions: { type: 'string' },
      'distinct-subscriptions': { type: 'string' },
      duration: { type: 'string' },
      orgs: { type: 'string' },
      'subscriptions-only': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const subscriptions = values.subscriptions?.split(',').map(Number) ?? DEFAULT_EVENTS_OPTIONS.subscriptions;
  const distinctSubscriptions =
    values['distinct-subscriptions']?.split(',').filter(Boolean).map(Number) ??
    DEFAULT_EVENTS_OPTIONS.distinctSubscriptions;
  const durationSeconds = values.duration ? Number(values.duration) : DEFAULT_SETTINGS.durationSeconds;
  const orgs = values.orgs ? Number(values.orgs) : DEFAULT_EVENTS_OPTIONS.orgs;
  const smoke = durationSeconds < DEFAULT_SETTINGS.durationSeconds;
  const startedAt = new Date();
  const report = await runEvents(
    { ...DEFAULT_SETTINGS, durationSeconds },
    {
      subscriptions,
      distinctSubscriptions,
      orgs,
      subscriptionsOnly: values['subscriptions-only'],
      ...(smoke ? { webhookEvents: 200, outboxBurst: 100 } : {}),
    },
  );
  const m = machine();
  const markdown = [
    '## events',
    '',
    `- Date: ${startedAt.toISOString()}`,
    `- Command: \`node bench/events.ts ${process.argv.slice(2).join(' ')}\`${process.env.DATABASE_URL ? ' (DATABASE_URL set)' : ''}${process.env.REDIS_URL ? ' (REDIS_URL set)' : ''}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}`,
    ...report.setup.map((line) => `- ${line}`),
    ...(smoke ? ['', `> Short run (${durationSeconds} s): a smoke test, not a measurement.`] : []),
    '',
    report.body,
  ].join('\n');
  process.stdout.write(`${markdown}\n`);
  if (!values['no-write']) await writeSection(RESULTS_FILE, 'events', markdown);
}

if (process.argv.includes('--subscription-worker')) {
  void subscriptionWorker();
} else if (import.meta.main) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      closeAllPlatforms().finally(() => process.exit(130));
    });
  main().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      closeAllPlatforms().finally(() => process.exit(1));
    },
  );
}
