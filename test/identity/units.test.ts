import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVerifyOnly } from '../../gateway/authenticate.ts';
import { loadConfig } from '../../kernel/config.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { authorize, decide, effectivePermissions, PERMISSIONS } from '../../kernel/permissions.ts';
import { type Principal, ROLES } from '../../kernel/principal.ts';
import { createRateLimiter } from '../../kernel/rate-limit.ts';
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

  it('accepts <resource>:read|write|* and * only', () => {
    expect(validateScopes(['workflows:read', 'vms:*', 'workflows:read'])).toEqual(['workflows:read', 'vms:*']);
    expect(validateScopes(undefined)).toEqual(['*']);
    for (const bad of ['workflows', 'workflows:delete', 'Workflows:read', '**'])
      expect(() => validateScopes([bad])).toThrow(TrellisError);
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

describe('unsigned verify', () => {
  it('is allowed only for a request that asks for verifyApiKey and nothing else', () => {
    expect(isVerifyOnly({ body: { query: '{ verifyApiKey { signingSecret } }' } })).toBe(true);
    expect(isVerifyOnly({ body: { query: 'query V { verifyApiKey { keyId } __typename }' } })).toBe(true);
    expect(isVerifyOnly({ body: { query: '{ verifyApiKey { keyId } me { kind } }' } })).toBe(false);
    expect(isVerifyOnly({ body: { query: 'mutation { verifyApiKey }' } })).toBe(false);
    expect(isVerifyOnly({ body: { query: '{ me { kind } } # verifyApiKey' } })).toBe(false);
    expect(isVerifyOnly({ url: '/v1/auth/verify' })).toBe(true);
    expect(isVerifyOnly({ url: '/v1/me' })).toBe(false);
  });
});
