/**
 * The route contract (`schema/routes.tsv`, the project's copy of the product's
 * route list; `npm run contract:update` refreshes it) against what the gateway
 * really serves. Every contract row is either served with its exact method and
 * path, or listed in `schema/routes-not-yet-served.tsv` with the work it waits
 * for — never both, never neither — so the not-yet list can only shrink, and
 * every route the adapter serves is in the contract under the same owner.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastifyPath } from '../rest-adapter/adapter.ts';
import { routes } from '../rest-adapter/routes/index.ts';
import { closeAll, startTestPlatform, type TestPlatform } from './harness.ts';

/** Rows of a TSV file in `schema/`, header dropped, as arrays of cells. */
function tsv(name: string): string[][] {
  return readFileSync(new URL(`../schema/${name}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));
}

const contract = new Map(tsv('routes.tsv').map(([owner, method, path]) => [`${method} ${path}`, owner as string]));
const notYet = new Map(
  tsv('routes-not-yet-served.tsv').map(([method, path, waitsFor]) => [`${method} ${path}`, waitsFor]),
);

/** Routes served beyond the contract, each with its reason in the route table (`beyondContract`). */
const EXTRAS = [
  'GET /v1/agent/snapshots/{snapshotId}/archive',
  'GET /v1/me/export',
  'POST /v1/triggers/{id}/secret',
  'POST /v1/triggers/{id}/webhook',
  'PUT /v1/agent/snapshots/{snapshotId}/archive',
];

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(closeAll);

/** Whether the gateway's router answers this method and path (REST routes, health, metrics, OpenAPI alike). */
function served(key: string): boolean {
  const [method, path] = key.split(' ') as [string, string];
  const url = path.startsWith('/v1/') ? `/v1${fastifyPath(path)}` : path;
  return platform.app.gateway.app.hasRoute({ method: method as 'GET', url });
}

describe('route contract (schema/routes.tsv)', () => {
  it('every route of the route table is a contract row with the same owner, or a documented extra', () => {
    const outside = routes
      .filter((r) => !contract.has(`${r.method} ${r.path}`) && !r.beyondContract?.trim())
      .map((r) => `${r.method} ${r.path}`);
    expect(outside, 'served but neither in the contract nor marked beyondContract').toEqual([]);
    const marked = routes.filter((r) => r.beyondContract !== undefined);
    const markedInContract = marked.filter((r) => contract.has(`${r.method} ${r.path}`)).map((r) => r.path);
    expect(markedInContract, 'marked beyondContract but the contract lists them').toEqual([]);
    // The extras, named: adding one is a decision this list records.
    expect(marked.map((r) => `${r.method} ${r.path}`).sort()).toEqual(EXTRAS);
    const misowned = routes
      .filter((r) => !r.beyondContract)
      .filter((r) => contract.get(`${r.method} ${r.path}`) !== r.owner)
      .map((r) => `${r.method} ${r.path}: ${r.owner}, contract says ${contract.get(`${r.method} ${r.path}`)}`);
    expect(misowned).toEqual([]);
  });

  it('documents every extra in /openapi.json as beyond the contract', async () => {
    const document = (await platform.rest('GET', '/openapi.json')).body;
    for (const key of EXTRAS) {
      const [method, path] = key.split(' ') as [string, string];
      expect(document.paths[path]?.[method.toLowerCase()]?.['x-beyond-contract'], key).toMatch(/\S/);
    }
  });

  it('every contract row is served or waits on the not-yet list, never both', () => {
    const neither = [...contract.keys()].filter((key) => !served(key) && !notYet.has(key));
    expect(neither, 'contract rows neither served nor on schema/routes-not-yet-served.tsv').toEqual([]);
    const both = [...notYet.keys()].filter((key) => served(key));
    expect(both, 'served now: remove them from schema/routes-not-yet-served.tsv').toEqual([]);
    const stale = [...notYet.keys()].filter((key) => !contract.has(key));
    expect(stale, 'not-yet rows that are not in the contract').toEqual([]);
    expect([...notYet.values()].filter((waitsFor) => !waitsFor?.trim())).toEqual([]);
  });
});
