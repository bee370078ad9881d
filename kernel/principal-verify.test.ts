/** Subgraph principals verified once per header: the cache never widens what verifies. */
import { describe, expect, it } from 'vitest';
import { servicePrincipal, signPrincipal, verifyPrincipal } from './principal.ts';

const SECRET = 'principal-verify-test-secret-0123456789';
const OTHER = 'principal-verify-other-secret-012345678';

describe('verifyPrincipal', () => {
  it('verifies a header again with the same claims, and still expires it', () => {
    const now = Date.now();
    const header = signPrincipal(SECRET, servicePrincipal('gateway'), { requestId: 'req-cache-1' }, now);
    const first = verifyPrincipal(SECRET, header, now);
    const again = verifyPrincipal(SECRET, header, now + 1_000);
    expect(first.ok && again.ok).toBe(true);
    expect(again).toEqual(first);
    const claims = first.ok ? first.claims : undefined;
    expect(verifyPrincipal(SECRET, header, ((claims?.exp ?? 0) + 1) * 1000)).toEqual({
      ok: false,
      reason: 'expired principal',
    });
  });

  it('refuses a verified header under another secret, and a tampered copy of it', () => {
    const header = signPrincipal(SECRET, servicePrincipal('gateway'), { requestId: 'req-cache-2' });
    expect(verifyPrincipal(SECRET, header).ok).toBe(true);
    expect(verifyPrincipal(OTHER, header)).toEqual({ ok: false, reason: 'bad signature' });
    const [payload, signature] = header.split('.') as [string, string];
    const tampered = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(verifyPrincipal(SECRET, tampered)).toEqual({ ok: false, reason: 'bad signature' });
  });
});
