/**
 * The gateway's credential cache refreshes a credential in steady use before its entry expires
 * (gateway/authenticate.ts, REFRESH_AHEAD_SHARE), against an identity double that answers slowly:
 * - no request after the first waits for identity, though the run lasts several times the cache's TTL;
 * - a refresh that finds the credential revoked drops it at once, before the entry would have expired;
 * - an idle credential is not refreshed: its entry expires and the next request looks it up.
 */
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../gateway/authenticate.ts';
import { InMemoryBus } from '../../kernel/bus.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { createLogger } from '../../kernel/logger.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { InProcessFetch } from '../../kernel/subgraph.ts';

const KEY = 'trl_test_refreshaheadrefreshaheadrefresh';
const PRINCIPAL: Principal = {
  kind: 'api_key',
  id: 'key_refresh',
  orgId: 'org_refresh',
  memberships: [],
  scopes: ['*'],
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Identity as the authenticator reaches it: the revocation log (empty) and `_authenticate`, answered after `delayMs`. */
function slowIdentity(delayMs: number) {
  const state = { lookups: 0, revoked: false, answering: Promise.resolve() as Promise<unknown> };
  const fetch = (async (_url: string, init?: { body?: unknown }) => {
    const { query } = JSON.parse(String(init?.body)) as { query: string };
    if (query.includes('_authInvalidations'))
      return Response.json({ data: { _authInvalidations: { head: 0, events: [], reset: false } } });
    state.lookups++;
    const answer = sleep(delayMs).then(() =>
      Response.json({
        data: { _authenticate: state.revoked ? null : { principal: JSON.stringify(PRINCIPAL), expiresAt: null } },
      }),
    );
    state.answering = answer;
    return answer;
  }) as InProcessFetch;
  return { state, fetch };
}

/** Runs `work` with an authenticator reaching `identity`, started and then stopped. */
async function withAuthenticator(
  identity: { fetch: InProcessFetch },
  cacheTtlMs: number,
  work: (authenticator: Authenticator) => Promise<void>,
): Promise<void> {
  const authenticator = new Authenticator({
    identityUrl: 'http://identity.invalid/graphql',
    internalSecret: 'refresh-ahead-test-secret',
    bus: new InMemoryBus(),
    logger: createLogger('silent'),
    cacheTtlMs,
    hmacRequired: false,
    hmacMaxAgeSeconds: 300,
    usageFlushMs: 0,
    revocationPollMs: 0,
    fetch: identity.fetch,
  });
  await authenticator.start();
  try {
    await work(authenticator);
  } finally {
    await authenticator.stop();
  }
}

/** One request with the key, timed. */
async function timed(authenticator: Authenticator): Promise<number> {
  const started = performance.now();
  const principal = await authenticator.authenticate({ headers: { authorization: `Bearer ${KEY}` } });
  expect(principal.id).toBe(PRINCIPAL.id);
  return performance.now() - started;
}

describe('credential cache refresh-ahead', () => {
  it('never makes a request of a credential in steady use wait for identity again', async () => {
    // Entries live 1.6 s and are refreshed from 1.2 s on; identity takes 300 ms to answer (less than
    // the refresh's 400 ms lead, as a few milliseconds are less than 7.5 s with the default TTL).
    const identity = slowIdentity(300);
    await withAuthenticator(identity, 1_600, async (authenticator) => {
      expect(await timed(authenticator)).toBeGreaterThanOrEqual(290);
      const waits: number[] = [];
      const until = performance.now() + 4_200;
      while (performance.now() < until) {
        waits.push(await timed(authenticator));
        await sleep(20);
      }
      // Over 2.5 lifetimes of the entry: a request that waited for identity would have taken ~300 ms.
      expect(Math.max(...waits)).toBeLessThan(150);
      expect(identity.state.lookups).toBeGreaterThanOrEqual(3);
    });
  });

  it('drops a credential at once when a refresh finds it revoked', async () => {
    const identity = slowIdentity(20);
    await withAuthenticator(identity, 4_000, async (authenticator) => {
      await timed(authenticator);
      identity.state.revoked = true;
      await sleep(3_050); // past the refresh point (3 s), before the entry expires (4 s)
      await timed(authenticator); // still the cached answer; starts the refresh
      expect(identity.state.lookups).toBe(2);
      await identity.state.answering;
      await sleep(10);
      const refused = await authenticator.authenticate({ headers: { authorization: `Bearer ${KEY}` } }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(TrellisError);
      expect((refused as TrellisError).code).toBe('unauthenticated');
    });
  });

  it('lets an idle credential expire: the next request looks it up', async () => {
    const identity = slowIdentity(5);
    await withAuthenticator(identity, 300, async (authenticator) => {
      await timed(authenticator);
      await sleep(350);
      await timed(authenticator);
      expect(identity.state.lookups).toBe(2);
    });
  });
});
