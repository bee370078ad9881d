/**
 * The GraphQL-over-HTTP conformance audit of `graphql-http` (the reference
 * implementation of the spec) against the live gateway, as an authenticated
 * client: every MUST passes. SHOULD/MAY findings are listed, not enforced.
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from './harness.ts';

let platform: TestPlatform;
let user: TestUser;

beforeAll(async () => {
  platform = await startTestPlatform();
  user = await platform.signup('Audit Org');
});
afterAll(closeAll);

describe('graphql-http audit', () => {
  it('passes every MUST of the GraphQL-over-HTTP spec with an authenticated client', async () => {
    const authenticatedFetch = (input: string | URL | Request, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${user.token}`);
      return fetch(input, { ...init, headers });
    };
    const audits = serverAudits({ url: `${platform.url}/graphql`, fetchFn: authenticatedFetch });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const failures = results
      .filter((r) => r.status === 'error')
      .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    const warnings = results.filter((r) => r.status === 'warn').map((r) => r.name);
    if (warnings.length)
      console.info(`graphql-http audit: ${warnings.length} SHOULD/MAY findings\n${warnings.join('\n')}`);
    expect(results.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });
});
