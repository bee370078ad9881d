/**
 * The all-in-one gateway calls each subgraph's `POST /graphql` in process without Fastify
 * (kernel/subgraph.ts `inProcessFetch`): it must answer exactly as the route does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PRINCIPAL_HEADER,
  type PrincipalInProcess,
  principalInProcess,
  servicePrincipal,
  signPrincipal,
} from '../../kernel/principal.ts';
import type { InProcessFetch } from '../../kernel/subgraph.ts';
import { startTestPlatform, type TestPlatform } from '../harness.ts';

let platform: TestPlatform;
let fetchIdentity: InProcessFetch;
let url: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  const identity = platform.app.subgraphs.find((s) => s.name === 'identity') as
    | (TestPlatform['app']['subgraphs'][number] & { fetch: InProcessFetch })
    | undefined;
  if (!identity) throw new Error('identity subgraph not running');
  fetchIdentity = identity.fetch;
  url = identity.url;
});
afterAll(() => platform.close());

/** The same call through the direct path (`answer`) and through the routes (a WHATWG Response). */
async function both(headers: Record<string, string>, body: string) {
  const init = { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body };
  const direct = await (fetchIdentity.answer as NonNullable<InProcessFetch['answer']>)(url, init);
  const routed = await fetchIdentity(url, init);
  return { direct, routed: { status: routed.status, headers: routed.headers, body: await routed.text() } };
}

describe('in-process subgraph calls', () => {
  const query = JSON.stringify({ query: '{ _service { sdl } }' });

  it('refuse an unsigned or forged principal with the route’s 401 and body', async () => {
    const cases: Record<string, string>[] = [
      {},
      { [PRINCIPAL_HEADER]: signPrincipal('not-the-secret-but-long-enough-000000', servicePrincipal('attacker')) },
    ];
    for (const headers of cases) {
      const { direct, routed } = await both(headers, query);
      expect(direct.status).toBe(401);
      expect(routed.status).toBe(401);
      expect(JSON.parse(direct.body)).toEqual(JSON.parse(routed.body));
      expect(JSON.parse(direct.body).errors[0].extensions.code).toBe('unauthenticated');
    }
  });

  it('answer a signed query with the same data, errors and request id as the route', async () => {
    const signed = signPrincipal(platform.app.platform.internalSecret, servicePrincipal('gateway'));
    const ok = await both({ [PRINCIPAL_HEADER]: signed, 'x-request-id': 'req-in-process-1' }, query);
    expect(ok.direct.status).toBe(200);
    expect(ok.routed.status).toBe(200);
    expect(JSON.parse(ok.direct.body)).toEqual(JSON.parse(ok.routed.body));
    expect(JSON.parse(ok.direct.body).data._service.sdl).toContain('type Query');
    expect(ok.direct.headers['x-request-id']).toBe('req-in-process-1');
    expect(ok.routed.headers.get('x-request-id')).toBe('req-in-process-1');
    expect(ok.direct.headers['content-type']).toBe(ok.routed.headers.get('content-type'));
    // No answer is cacheable (Apollo's cache-hint plugin is off; the header is set by kernel/subgraph.ts).
    expect(ok.direct.headers['cache-control']).toBe('no-store');
    expect(ok.routed.headers.get('cache-control')).toBe('no-store');

    const invalid = await both({ [PRINCIPAL_HEADER]: signed }, JSON.stringify({ query: '{ noSuchField }' }));
    expect(invalid.direct.status).toBe(invalid.routed.status);
    expect(invalid.direct.status).toBe(400);
    expect(JSON.parse(invalid.direct.body)).toEqual(JSON.parse(invalid.routed.body));
    expect(invalid.direct.headers['cache-control']).toBe('no-store');
  });

  it('leave a body that is not JSON to the route (Fastify’s own 400)', async () => {
    const signed = signPrincipal(platform.app.platform.internalSecret, servicePrincipal('gateway'));
    const { direct, routed } = await both({ [PRINCIPAL_HEADER]: signed }, '{not json');
    expect(direct.status).toBe(400);
    expect(direct.status).toBe(routed.status);
  });
});

/** The same operation run from values (`operation`) and posted through the routes. */
async function fromValues(principalHeader: string, query: string, variables: Record<string, unknown> = {}) {
  const direct = await (fetchIdentity.operation as NonNullable<InProcessFetch['operation']>)(principalHeader, {
    query,
    variables,
  });
  const routed = await fetchIdentity(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principalHeader },
    body: JSON.stringify({ query, variables }),
  });
  return {
    direct,
    routed: { status: routed.status, body: (await routed.json()) as { data?: unknown; errors?: unknown[] } },
  };
}

describe('in-process operations from values (internal callers)', () => {
  const operate = (given: string | PrincipalInProcess, query: string) =>
    (fetchIdentity.operation as NonNullable<InProcessFetch['operation']>)(given, { query, variables: {} });

  it('accept a principal this process handed over as a value, as they accept it signed', async () => {
    const query = '{ _service { sdl } }';
    const signed = await operate(
      signPrincipal(platform.app.platform.internalSecret, servicePrincipal('gateway')),
      query,
    );
    const value = await operate(principalInProcess(servicePrincipal('gateway')), query);
    expect(value.status).toBe(200);
    expect(value.data).toEqual(signed.data);
    expect(value.errors).toBeUndefined();
  });

  it('refuse an object that only looks like an in-process principal, as an unsigned call', async () => {
    const lookalike = JSON.parse(
      JSON.stringify(principalInProcess(servicePrincipal('attacker'))),
    ) as PrincipalInProcess;
    const refused = await operate(lookalike, '{ _service { sdl } }');
    const unsigned = await operate('', '{ _service { sdl } }');
    expect(refused.status).toBe(401);
    expect({ data: refused.data, errors: refused.errors }).toEqual({ data: unsigned.data, errors: unsigned.errors });
    expect(refused.errors?.[0]?.extensions?.code).toBe('unauthenticated');
  });

  it('refuse a forged principal with the route’s 401 and errors', async () => {
    const forged = signPrincipal('not-the-secret-but-long-enough-000000', servicePrincipal('attacker'));
    const { direct, routed } = await fromValues(forged, '{ _service { sdl } }');
    expect(direct.status).toBe(401);
    expect(routed.status).toBe(401);
    expect({ data: direct.data, errors: direct.errors }).toEqual({ data: undefined, errors: routed.body.errors });
  });

  it('answer with the route’s status, data and formatted errors, as values', async () => {
    const signed = signPrincipal(platform.app.platform.internalSecret, servicePrincipal('gateway'));
    const ok = await fromValues(signed, 'query Q($n: Boolean!) { _service @include(if: $n) { sdl } }', { n: true });
    expect(ok.direct.status).toBe(200);
    expect(ok.direct.data).toEqual(ok.routed.body.data);
    expect((ok.direct.data as { _service: { sdl: string } })._service.sdl).toContain('type Query');

    const invalid = await fromValues(signed, '{ noSuchField }');
    expect(invalid.direct.status).toBe(400);
    expect(invalid.routed.status).toBe(400);
    expect(invalid.direct.errors).toEqual(invalid.routed.body.errors);
  });

  it("continue the caller's request id and trace, and carry the route's answer headers", async () => {
    const signed = signPrincipal(platform.app.platform.internalSecret, servicePrincipal('gateway'));
    const traceId = 'a'.repeat(32);
    const answer = await (fetchIdentity.operation as NonNullable<InProcessFetch['operation']>)(
      signed,
      { query: '{ _service { sdl } }', variables: {} },
      { requestId: 'req-values-1', traceparent: `00-${traceId}-${'b'.repeat(16)}-01` },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      'x-request-id': 'req-values-1',
      'x-trace-id': traceId,
      'cache-control': 'no-store',
    });
  });
});
