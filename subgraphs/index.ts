/** Every subgraph definition, in start order (identity first: the gateway authenticates through it). */
import type { SubgraphName } from '../kernel/config.ts';
import type { SubgraphDefinition } from '../kernel/subgraph.ts';
import { billing } from './billing/index.ts';
import { compute } from './compute/index.ts';
import { events } from './events/index.ts';
import { governance } from './governance/index.ts';
import { identity } from './identity/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: each definition has its own context type
export const subgraphs: Record<SubgraphName, SubgraphDefinition<any>> = {
  identity,
  governance,
  compute,
  billing,
  events,
};
