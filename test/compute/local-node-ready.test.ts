/**
 * Issue #16: `trellis start` reports ready once its start-up work is done. The embedded node agent's
 * registration is part of it; before, the gateway said ready first and the registration (with its events)
 * landed in what a probe of the idle process counted as idle time.
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import { freePort } from '../../kernel/ports.ts';
import { startTestPlatform, type TestPlatform } from '../harness.ts';

it('the all-in-one gateway is ready only once the embedded node agent has registered', async () => {
  const port = await freePort();
  let databaseUrl = '';
  const starting: Promise<TestPlatform> = startTestPlatform((url) => {
    databaseUrl = url;
    return { TRELLIS_PORT: String(port), TRELLIS_LOCAL_NODE: 'rtx-4090:1' };
  });
  try {
    let nodesWhenReady: number | undefined;
    // From before the gateway listens until it first says started: how many nodes were registered then.
    const deadline = Date.now() + 60_000;
    while (nodesWhenReady === undefined && Date.now() < deadline) {
      const ready = await fetch(`http://127.0.0.1:${port}/health/startup`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        const { rows } = await client.query('select count(*)::int as n from compute.nodes');
        await client.end();
        nodesWhenReady = rows[0].n;
      } else await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await starting;
    expect(nodesWhenReady).toBe(1);
  } finally {
    await (await starting).close();
  }
}, 120_000);
