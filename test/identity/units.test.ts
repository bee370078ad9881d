import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../kernel/config.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { authorize, decide, effectivePermissions, PERMISSIONS } from '../../kernel/permissions.ts';
import { type Principal, ROLES } from '../../kernel/principal.ts';
import { createRateLimiter } from '../../kernel/rate-limit.ts';
import { apiKeySignature } from '../../kernel/secrets.ts';
import { validateScopes } from '../../subgraphs/identity/api-keys.ts';
import { isWellFormedApiKey, newApiKey } from '../../subgraphs/identity/credentials.ts';

describe('API key format', () => {
  it('mints trl_live_/trl_test_ keys with ≥ 256 random bits whose checksum rejects any one-character change', () => {
    const key = newApiKey('live');
    expect(key).toMatch(/^trl_live_[0-9A-Za-z]{43}[0-9A-Za-z]{6}$/);
    expect(isWellFormedApiKey(newApiKey('test'))).toBe(true);
    fc.assert(
      fc.property(
        fc.integer({ min: 9, max: key.length - 1 }),
        fc.constantFrom(...'0123456789abcXYZ'),
        (index, char) => {
          fc.pre(key[index] !== char);
          return !isWellFormedApiKey(key.slice(0, index) + char + key.slice(index + 1));
        },
      ),
    );
    expect(isWellFormedApiKey(key.replace('trl_live_', 'trl_prod_'))).toBe(false);
  });

  it('accepts * and <resource>:read|write|* of the permission table and seed 003 only', () => {
    expect(validateScopes(['workflows:read', 'vms:*', 'workflows:read'])).toEqual(['workflows:read', 'vms:*']);
    expect(validateScopes(undefined)).toEqual(['*']);
    expect(validateScopes(['clusters:read', 'vms:write', 'billing:read', 'audit:read'])).toHaveLength(4);
    for (const bad of ['workflows', 'workflows:delete', 'Workflows:read', '**', 'workflow:read', 'vm:write'])
      expect(() => validateScopes([bad])).toThrow(TrellisError);
    // Every scope the table asks for can be granted.
    for (const rule of Object.values(PERMISSIONS)) expect(validateScopes([rule.scope])).toEqual([rule.scope]);
  });
});

describe('the permission table', () => {
  const orgId = 'org_1';
  const user = (role: (typeof ROLES)[number]): Principal => ({
    kind: 'user',
    id: 'usr_1',
    userId: 'usr_1',
    memberships: [{ orgId, role }],
    scopes: ['*'],
  });

  it('decide, authorize and effectivePermissions agree for every role, scope set and action', () => {
    const scopes = fc.subarray([
      '*',
      'members:read',
      'members:write',
      'api_keys:*',
      'organizations:write',
      'workflows:read',
    ]);
    fc.assert(
      fc.property(
        fc.constantFrom(...ROLES),
        scopes,
        fc.constantFrom(...Object.keys(PERMISSIONS)),
        (role, granted, action) => {
          const principal: Principal = {
            kind: 'api_key',
            id: 'key_1',
            orgId,
            memberships: [{ orgId, role }],
            scopes: granted,
          };
          const decision = decide(principal, action, orgId);
          let thrown = false;
          try {
            authorize(principal, action, orgId);
          } catch {
            thrown = true;
          }
          return (
            decision.allowed === !thrown &&
            effectivePermissions(principal, orgId).includes(action as never) === decision.allowed
          );
        },
      ),
    );
  });

  it('ranks roles: viewers read, members work, admins manage, owners delete', () => {
    expect(decide(user('viewer'), 'members:read', orgId).allowed).toBe(true);
    expect(decide(user('viewer'), 'workflows:write', orgId).reason).toBe('forbidden');
    expect(decide(user('member'), 'workflows:write', orgId).allowed).toBe(true);
    expect(decide(user('admin'), 'api_keys:write', orgId).allowed).toBe(true);
    expect(decide(user('admin'), 'organizations:delete', orgId).reason).toBe('forbidden');
    expect(decide(user('owner'), 'organizations:delete', orgId).allowed).toBe(true);
    expect(decide(user('owner'), 'members:read', 'org_other').reason).toBe('org_mismatch');
    expect(() => decide(user('owner'), 'nonsense:do', orgId)).toThrow(/Unknown permission/);
  });
});

describe('rate limiter', () => {
  it('throws rate_limited with retryAfter and rateLimit once the window is used up', async () => {
    const config = loadConfig({}, { allInOne: true });
    const limiter = createRateLimiter({ config }, { name: `unit-${Date.now()}`, points: 2, durationSeconds: 60 });
    expect((await limiter.consume('k')).remaining).toBe(1);
    await limiter.consume('k');
    const error = await limiter.consume('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrellisError);
    const extensions = (error as TrellisError).extensions;
    expect(extensions).toMatchObject({ code: 'rate_limited', rateLimit: { limit: 2, remaining: 0 } });
    expect(extensions.retryAfter).toBeGreaterThan(0);
    await limiter.reset('k');
    expect((await limiter.consume('k')).remaining).toBe(1);
  });
});

describe('the signature formulas', () => {
  // The worked example of docs/authentication.md: the document and the one implementation agree.
  const secret = 'trsk_Q3vX9kLm2Np7Rt5Wz8Yb1Cd4Fg6Hj0Ks3Mn5Pq7Rs9T';
  const key = 'trl_test_Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz1Bc3Df5Gh7Jk9Mn2Pq4S3xY7aB';
  const body = '{"workflowId":"wf_01JEXAMPLE","estimatedCostMicros":20000}';

  it('v1 covers timestamp, key and body (seed 000)', () => {
    expect(apiKeySignature(secret, '1767225600', key, body)).toBe(
      'afd802f34a7ebe81b37654ae8e0a525bb126aa5a70e31fcd8891921e458d1c12',
    );
  });

  it('v2 also covers the nonce, the method and the path with its query', () => {
    const line = { method: 'POST', pathWithQuery: '/v1/gate', nonce: '3f9a1c7e5b2d4086a1c3e5f7092b4d6f' };
    const signature = apiKeySignature(secret, '1767225600', key, body, line);
    expect(signature).toBe('85a1dcce0902fdab865326f5cc2f04a2b699cad81390dbf11d0a0b4e16332f03');
    expect(apiKeySignature(secret, '1767225600', key, body, { ...line, method: 'post' })).toBe(signature);
    for (const other of [
      { ...line, method: 'DELETE' },
      { ...line, pathWithQuery: '/v1/execute' },
      { ...line, pathWithQuery: '/v1/gate?x=1' },
      { ...line, nonce: '3f9a1c7e5b2d4086a1c3e5f7092b4d60' },
    ])
      expect(apiKeySignature(secret, '1767225600', key, body, other)).not.toBe(signature);
  });
});
