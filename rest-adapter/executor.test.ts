import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER, type Principal, verifyAdapterPrincipal, verifyPrincipal } from '../kernel/principal.ts';
import { remoteExecutor } from './executor.ts';

describe('the standalone adapter’s remote executor', () => {
  it('forwards the principal signed for the gateway and this body, with the request id and the client address', async () => {
    const secret = 'x'.repeat(40);
    const caller: Principal = { kind: 'user', id: 'usr_1', userId: 'usr_1', memberships: [], scopes: ['*'] };
    let seen: IncomingHttpHeaders = {};
    let seenBody = '';
    const gateway = createServer(async (req, res) => {
      seen = req.headers;
      for await (const chunk of req) seenBody += chunk;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { ok: true } }));
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const { port } = gateway.address() as AddressInfo;
    try {
      const execute = remoteExecutor(`http://127.0.0.1:${port}`, secret);
      const result = await execute({
        query: '{ ok }',
        variables: {},
        principal: caller,
        meta: { requestId: 'req-1', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), clientIp: '203.0.113.7' },
      });
      expect(result.data).toEqual({ ok: true });
      const header = seen[PRINCIPAL_HEADER] as string;
      const verified = verifyAdapterPrincipal(secret, header, seenBody);
      expect(verified.ok && verified.claims).toMatchObject({ requestId: 'req-1', clientIp: '203.0.113.7' });
      // Only for this body, and never as a principal for subgraphs.
      expect(verifyAdapterPrincipal(secret, header, `${seenBody} `).ok).toBe(false);
      expect(verifyPrincipal(secret, header).ok).toBe(false);
      expect(seen.traceparent).toMatch(/^00-a{32}-/);
    } finally {
      gateway.close();
    }
  });
});
