/**
 * Every `/v1` route, from one table per owning subgraph. A module may export
 * several tables; all exported arrays are collected.
 */
import type { Route } from '../route-table.ts';
import * as agents from './agents.ts';
import * as ai from './ai.ts';
import * as billing from './billing.ts';
import * as compute from './compute.ts';
import * as events from './events.ts';
import * as governance from './governance.ts';
import * as identity from './identity.ts';
import * as jobs from './jobs.ts';
import * as pipelines from './pipelines.ts';
import * as platform from './platform.ts';
import * as vault from './vault.ts';

const modules: Record<string, unknown>[] = [
  identity,
  governance,
  compute,
  jobs,
  agents,
  pipelines,
  ai,
  billing,
  events,
  platform,
  vault,
];

export const routes: Route[] = modules.flatMap((module) =>
  Object.values(module)
    .filter((value): value is Route[] => Array.isArray(value))
    .flat(),
);

const seen = new Set<string>();
for (const route of routes) {
  const key = `${route.method} ${route.path}`;
  if (seen.has(key)) throw new Error(`duplicate REST route ${key}`);
  seen.add(key);
}
