import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';
import { codeOf, createKey, identityEvents, ok, settleAndCloseAll, signedGraphql, signedHeaders } from './support.ts';

const ME = '{ me { principalId } }';
const MAX_AGE = 300;
const KEY_LIMIT = 5;

let strict: TestPlatform;
let user: TestUser;
beforeAll(async () => {
  strict = await startTestPlatform({
    TRELLIS_HMAC_REQUIRED: 'true',
    TRELLIS_HMAC_MAX_AGE_SECONDS: String(MAX_AGE),
    TRELLIS_RATE_LIMIT_API_KEY_PER_MINUTE: String(KEY_LIMIT),
  });
  user = await strict.signup('Signed Org');
});
afterAll(() => settleAndCloseAll(strict));

describe('HMAC signatures (TRELLIS_HMAC_REQUIRED=true) and the per-key limit', () => {
  it('accepts a correct signature and refuses missing, tampered, wrong-key, stale and future ones', async () => {
    const key = await createKey(strict, user);
    const signed = await signedGraphql(strict, key.key, key.signingSecret, ME);
    expect(signed.status).toBe(200);
    expect(signed.body.data.me.principalId).toBe(key.id);

    const unsigned = await strict.graphql(ME, {}, { token: key.key });
    expect(unsigned.status).toBe(401);
    expect(codeOf(unsigned)).toBe('invalid_signature');

    const rawBody = JSON.stringify({ query: ME });
    const headers = signedHeaders(key.key, key.signingSecret, rawBody);
    const tampered = await strict.rest('POST', '/graphql', {
      rawBody: JSON.stringify({ query: '{ me { kind } }' }),
      headers,
    });
    expect(tampered.status).toBe(401);
    const other = await createKey(strict, user);
    expect((await signedGraphql(strict, key.key, other.signingSecret, ME)).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const replay = await signedGraphql(strict, key.key, key.signingSecret, ME, {}, now - MAX_AGE - 1);
    expect(replay.status).toBe(401);
    expect(replay.body.errors[0].message).toMatch(/expired/);
    expect((await signedGraphql(strict, key.key, key.signingSecret, ME, {}, now + 120)).status).toBe(401);
    // A session token never signs.
    expect((await strict.graphql(ME, {}, { token: user.token })).status).toBe(200);
  });

  it('refuses an unsigned verify (the secret is never had for the key alone) and answers a signed one', async () => {
    const key = await createKey(strict, user);
    const unsigned = await strict.graphql('{ verifyApiKey { keyId signingSecret } }', {}, { token: key.key });
    expect(unsigned.status).toBe(401);
    expect(codeOf(unsigned)).toBe('invalid_signature');
    const verified = await signedGraphql(
      strict,
      key.key,
      key.signingSecret,
      '{ verifyApiKey { keyId organizationId signingSecret scopes } }',
    );
    expect(verified.status).toBe(200);
    expect(verified.body.data.verifyApiKey).toMatchObject({
      keyId: key.id,
      organizationId: user.orgId,
      signingSecret: key.signingSecret,
    });
    expect((await strict.rest('POST', '/v1/auth/verify', { token: key.key, body: {} })).status).toBe(401);
    const rest = await strict.rest('POST', '/v1/auth/verify', {
      rawBody: '{}',
      headers: signedHeaders(key.key, key.signingSecret, '{}'),
    });
    expect(rest.status).toBe(200);
    expect(rest.body.data.signingSecret).toBe(key.signingSecret);
  });

  it('rotates the signing secret in place: the old secret stops verifying, api_key.secret_rotated is recorded', async () => {
    const key = await createKey(strict, user);
    expect((await signedGraphql(strict, key.key, key.signingSecret, ME)).status).toBe(200);
    const rotated = await strict.rest('POST', `/v1/orgs/${user.orgId}/api-keys/${key.id}/rotate`, {
      token: user.token,
    });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.data.signingSecret;
    expect(fresh).not.toBe(key.signingSecret);
    expect((await signedGraphql(strict, key.key, key.signingSecret, ME)).status).toBe(401);
    expect((await signedGraphql(strict, key.key, fresh, ME)).status).toBe(200);
    const event = (await identityEvents(strict)).find((e) => e.type === 'api_key.secret_rotated');
    expect(event?.data).toEqual({ keyId: key.id, prefix: key.prefix });
    // With a grace period the previous secret keeps verifying until it ends.
    const graced = await ok(
      strict.graphql(
        'mutation($id: ID!) { rotateApiKeySecret(id: $id, graceSeconds: 600) { signingSecret previousSecretExpiresAt } }',
        { id: key.id },
        { token: user.token },
      ),
    );
    expect((await signedGraphql(strict, key.key, fresh, ME)).status).toBe(200);
    expect((await signedGraphql(strict, key.key, graced.rotateApiKeySecret.signingSecret, ME)).status).toBe(200);
  });

  it('answers 429 with Retry-After and RateLimit-* once a key exceeds its per-minute limit', async () => {
    const key = await createKey(strict, user);
    const responses = [];
    for (let i = 0; i <= KEY_LIMIT; i++) responses.push(await signedGraphql(strict, key.key, key.signingSecret, ME));
    expect(responses.slice(0, KEY_LIMIT).map((r) => r.status)).toEqual(Array(KEY_LIMIT).fill(200));
    const limited = responses[KEY_LIMIT];
    expect(limited?.status).toBe(429);
    expect(codeOf(limited as never)).toBe('rate_limited');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited?.headers.get('ratelimit-limit')).toBe(String(KEY_LIMIT));
    expect(limited?.headers.get('ratelimit-remaining')).toBe('0');
    const rest = await strict.rest('GET', '/v1/me', { headers: signedHeaders(key.key, key.signingSecret, '') });
    expect(rest.status).toBe(429);
    expect(rest.headers.get('retry-after')).toBeTruthy();
    // Other keys have their own budget.
    const other = await createKey(strict, user);
    expect((await signedGraphql(strict, other.key, other.signingSecret, ME)).status).toBe(200);
  });
});
