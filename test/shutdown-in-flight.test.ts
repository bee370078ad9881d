/**
 * Shutdown drains the operations other code of this process runs in a subgraph (in-process calls skip the
 * HTTP server, whose close waits for its own requests): the embedded node agent's long poll, woken when the
 * node closes, must finish before compute's database pool is closed — not fail on a destroyed driver.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { expect, it } from 'vitest';
import { startTestPlatform } from './harness.ts';

it('closes with the embedded node agent’s long polls parked, logging no error', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const platform = await startTestPlatform(
    { TRELLIS_LOCAL_NODE: 'rtx-4090:1,a100-80gb:1' },
    { logger: pino({ level: 'warn' }, sink) },
  );
  // Both agents registered and parked in their first long poll (they wait up to 8 s for a change).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await platform.close();
  const errors = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 50);
  expect(errors.map((entry) => `${entry.msg}: ${entry.err?.message ?? ''}`)).toEqual([]);
}, 60_000);

it('refuses in-process calls with 503 service_unavailable once a subgraph is closing, before and after its Apollo server stopped', async () => {
  const platform = await startTestPlatform({ TRELLIS_LOCAL_NODE: 'off' });
  const billing = platform.app.subgraphs.find((s) => s.name === 'billing');
  if (!billing) throw new Error('no billing subgraph');
  // Both in-process surfaces: the fetch the gateway uses, and operations other code of this process runs.
  const call = async () => {
    const answer = await billing.fetch.answer?.(billing.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const operation = await billing.fetch.operation?.('', { query: '{ __typename }', variables: {} });
    return {
      answer: [answer?.status, JSON.parse(answer?.body as string).errors?.[0]?.extensions?.code],
      operation: [operation?.status, operation?.errors?.[0]?.extensions?.code],
    };
  };
  // Open: answered (unsigned, so refused by the principal check).
  expect(await call()).toEqual({ answer: [401, 'unauthenticated'], operation: [401, 'unauthenticated'] });
  const closing = billing.close();
  const refused = { answer: [503, 'service_unavailable'], operation: [503, 'service_unavailable'] };
  expect(await call()).toEqual(refused);
  await closing;
  expect(await call()).toEqual(refused);
  await platform.close(); // closes billing again: a no-op
}, 60_000);
