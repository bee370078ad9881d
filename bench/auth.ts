/**
 * The cost of authentication per request, two ways:
 *
 * 1. In process: `Authenticator.authenticate()` called in a loop with a warm
 *    cache — the exact work the gateway adds to every request — for an unsigned
 *    API key, an HMAC-signed one and a session token (µs and CPU µs per call).
 * 2. Under load: `{ __typename }` through the gateway (answered by the gateway
 *    itself, no subgraph fetch), anonymous vs API key vs signed API key vs
 *    session, so the difference between rows is what authentication costs an
 *    HTTP request end to end.
 *
 * `runAuthBench()` returns the numbers and a report section; bench/run.ts can
 * register it as the `auth` suite (`node bench/run.ts auth`). Standalone:
 * `node bench/auth.ts [--duration 5]` prints the section.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiKeySignature } from '../kernel/secrets.ts';
import {
  type BenchPlatform,
  bootPlatform,
  type CaseResult,
  DEFAULT_SETTINGS,
  fixed,
  type HttpCase,
  type LoadSettings,
  machine,
  markdownTable,
  measure,
  RESULT_HEADER,
  resultRow,
  type SuiteReport,
  seedOrganization,
  writeSection,
} from './lib.ts';

export interface MicroResult {
  name: string;
  calls: number;
  /** Wall-clock microseconds per authenticate() call. */
  usPerCall: number;
  /** CPU microseconds (user + system) per call. */
  cpuUsPerCall: number;
}

export interface AuthBenchResult extends SuiteReport {
  micro: MicroResult[];
  load: CaseResult[];
  /** CPU ms per request added by authentication under load, against the anonymous row. */
  overheadCpuMs: Record<string, number>;
}

const QUERY = JSON.stringify({ query: '{ __typename }' });

function signed(key: string, secret: string, body: string): Record<string, string> {
  // One timestamp for the whole run: valid for TRELLIS_HMAC_MAX_AGE_SECONDS (300 s), which outlasts a case.
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'x-api-key': key,
    'x-signature': apiKeySignature(secret, timestamp, key, body),
    'x-signature-timestamp': timestamp,
  };
}

async function micro(platform: BenchPlatform, name: string, headers: Record<string, string>, calls: number) {
  const authenticator = platform.app.gateway.authenticator;
  const request = { headers, rawBody: QUERY };
  for (let i = 0; i < 2000; i++) await authenticator.authenticate(request); // warm cache and JIT
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await authenticator.authenticate(request);
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    name,
    calls,
    usPerCall: (elapsed * 1000) / calls,
    cpuUsPerCall: (used.user + used.system) / calls,
  } satisfies MicroResult;
}

export async function runAuthBench(
  settings: LoadSettings = { durationSeconds: 5, warmupSeconds: 2, connections: 20 },
  options: { microCalls?: number } = {},
): Promise<AuthBenchResult> {
  const platform = await bootPlatform();
  try {
    const seed = await seedOrganization(platform, 'Auth Bench');
    const minted = await platform.graphql<{ createApiKey: { key: string; signingSecret: string } }>(
      'mutation Key($input: CreateApiKeyInput!) { createApiKey(input: $input) { key signingSecret } }',
      { input: { orgId: seed.orgId, name: 'signed bench key' } },
      seed.token,
    );
    const key = minted.body.data?.createApiKey;
    if (!key) throw new Error(`could not mint a key: ${JSON.stringify(minted.body)}`);

    const calls = options.microCalls ?? 20_000;
    const microResults = [
      await micro(platform, 'API key, unsigned (cached)', { authorization: `Bearer ${seed.apiKey}` }, calls),
      await micro(platform, 'API key, HMAC-signed (cached)', signed(key.key, key.signingSecret, QUERY), calls),
      await micro(platform, 'session token (cached)', { authorization: `Bearer ${seed.token}` }, calls),
    ];

    const url = `${platform.url}/graphql`;
    const json = { 'content-type': 'application/json' };
    const cases: HttpCase[] = [
      { name: 'anonymous', url, method: 'POST', headers: json, body: QUERY },
      {
        name: 'API key, unsigned',
        url,
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${seed.apiKey}` },
        body: QUERY,
      },
      {
        name: 'API key, HMAC-signed',
        url,
        method: 'POST',
        headers: { ...json, ...signed(key.key, key.signingSecret, QUERY) },
        body: QUERY,
      },
      {
        name: 'session token',
        url,
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${seed.token}` },
        body: QUERY,
      },
    ];
    const load: CaseResult[] = [];
    for (const c of cases) {
      process.stderr.write(`  auth: ${c.name}…\n`);
      load.push(await measure(c, settings));
    }
    const anonymous = load[0]?.cpuMsPerRequest ?? 0;
    const overheadCpuMs = Object.fromEntries(load.slice(1).map((r) => [r.name, r.cpuMsPerRequest - anonymous]));

    const body = [
      'In process, warm cache (`Authenticator.authenticate()` per call):',
      '',
      markdownTable(
        ['credential', 'calls', 'µs/call', 'CPU µs/call'],
        microResults.map((m) => [m.name, m.calls, fixed(m.usPerCall, 1), fixed(m.cpuUsPerCall, 1)]),
      ),
      '',
      'Under load, `{ __typename }` answered by the gateway (no subgraph fetch):',
      '',
      markdownTable(RESULT_HEADER, load.map(resultRow)),
      '',
      markdownTable(
        ['authentication overhead', 'CPU ms/req vs anonymous'],
        Object.entries(overheadCpuMs).map(([name, ms]) => [name, fixed(ms, 3)]),
      ),
      '',
      'Notes:',
      '- A cached API key costs one SHA-256 of the credential, a map lookup, a per-key rate-limit count',
      '  (in memory here; one Redis round trip with REDIS_URL) and an in-memory usage counter;',
      '  a signed request adds one SHA-256 of the body and one HMAC-SHA256.',
      '- Usage (lastUsedAt, counts) is written to identity in one batch per gateway every 5 s.',
    ].join('\n');
    return { setup: platform.setup, body, micro: microResults, load, overheadCpuMs };
  } finally {
    await platform.close();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { duration: { type: 'string' }, connections: { type: 'string' }, write: { type: 'boolean' } },
  });
  const settings = {
    ...DEFAULT_SETTINGS,
    durationSeconds: Number(values.duration ?? 5),
    warmupSeconds: 2,
    connections: Number(values.connections ?? 20),
  };
  const startedAt = new Date();
  const result = await runAuthBench(settings);
  const m = machine();
  const section = [
    '## auth',
    '',
    `- Date: ${startedAt.toISOString()}`,
    `- Command: \`node bench/auth.ts ${process.argv.slice(2).join(' ')}\`${process.env.REDIS_URL ? ' (REDIS_URL set)' : ''}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}`,
    `- Load: autocannon in a child process on loopback, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per case`,
    ...result.setup.map((line) => `- ${line}`),
    '',
    ...(settings.durationSeconds < DEFAULT_SETTINGS.durationSeconds
      ? [`> Short run (${settings.durationSeconds} s per case): a smoke test, not a measurement.`, '']
      : []),
    result.body,
  ].join('\n');
  if (values.write) await writeSection(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), 'auth', section);
  console.log(section);
}
