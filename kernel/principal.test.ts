import { describe, expect, it } from 'vitest';
import { type Principal, signPrincipal, verifyPrincipal } from './principal.ts';

const SECRET = 'principal-test-secret-0123456789abcdef';
const principal: Principal = {
  kind: 'api_key',
  id: 'key_1',
  orgId: 'org_1',
  memberships: [{ orgId: 'org_1', role: 'member' }],
  scopes: ['executions:write'],
};

describe('principals signed and verified in one process', () => {
  it('verify as the signature check does: same claims the first time and after', () => {
    const header = signPrincipal(SECRET, principal, { requestId: 'req-1', clientIp: '10.0.0.1' });
    const first = verifyPrincipal(SECRET, header);
    const second = verifyPrincipal(SECRET, header); // no longer remembered: the HMAC path
    expect(first).toEqual(second);
    expect(first.ok && first.claims).toMatchObject({
      principal,
      aud: 'subgraph',
      requestId: 'req-1',
      clientIp: '10.0.0.1',
    });
  });

  it('refuse a header under another secret, a tampered one and an expired one', () => {
    const header = signPrincipal(SECRET, principal);
    expect(verifyPrincipal('another-secret-0123456789abcdef0123', header)).toEqual({
      ok: false,
      reason: 'bad signature',
    });
    expect(verifyPrincipal(SECRET, `${header}x`)).toEqual({ ok: false, reason: 'bad signature' });
    expect(verifyPrincipal(SECRET, header).ok).toBe(true);

    const old = signPrincipal(SECRET, principal, {}, Date.now() - 120_000);
    expect(verifyPrincipal(SECRET, old)).toEqual({ ok: false, reason: 'expired principal' });
    expect(verifyPrincipal(SECRET, old)).toEqual({ ok: false, reason: 'expired principal' });
  });
});
