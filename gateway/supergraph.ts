/**
 * Which supergraph the gateway serves and where it reaches each subgraph. The checked-in
 * `schema/supergraph.graphql` by default; an operator's own composition output with
 * TRELLIS_SUPERGRAPH_PATH; any subgraph's URL overridden by name with TRELLIS_SUBGRAPH_URLS.
 */
import path from 'node:path';
import { type EnumValueDefinitionNode, Kind, parse, valueFromASTUntyped } from 'graphql';
import { type Config, SERVICE_NAMES, type SubgraphName } from '../kernel/config.ts';
import type { InProcessFetch } from '../kernel/subgraph.ts';

export const SUPERGRAPH_FILE = new URL('../schema/supergraph.graphql', import.meta.url);

/** The supergraph file to read (and re-read on reload), and whether it is an operator's own. */
export function supergraphSource(config: Pick<Config, 'graphql'>): { file: URL | string; custom: boolean } {
  const configured = config.graphql.supergraphPath;
  return configured ? { file: path.resolve(configured), custom: true } : { file: SUPERGRAPH_FILE, custom: false };
}

/** The subgraphs a supergraph joins: `enum join__Graph { X @join__graph(name: "x", url: "…") }`. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string | undefined }[] {
  const document = parse(supergraphSdl, { noLocation: true });
  const graphs = document.definitions.find(
    (d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph',
  ) as { values?: readonly EnumValueDefinitionNode[] } | undefined;
  return (graphs?.values ?? []).map((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const arg = (name: string) => {
      const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
      return node ? String(valueFromASTUntyped(node)) : undefined;
    };
    return { name: arg('name') ?? value.name.value.toLowerCase(), url: arg('url') };
  });
}

/** True when the supergraph joins every Trellis subgraph: the REST adapter and subscriptions need them. */
export const joinsTrellisSubgraphs = (names: readonly string[]): boolean =>
  SERVICE_NAMES.every((name) => names.includes(name));

export interface SubgraphRoutes {
  /** TRELLIS_SUBGRAPH_URLS: wins over everything else. */
  overrides: Readonly<Record<string, string>>;
  /** Where this deployment serves the Trellis subgraphs (TRELLIS_<NAME>_URL or the started ones). */
  trellisUrls: Partial<Record<SubgraphName, string>>;
  /** In-process transports to the subgraphs running in this process. */
  inProcess?: Partial<Record<SubgraphName, InProcessFetch>>;
}

/** Where the gateway sends one subgraph's fetches: an override, a Trellis URL, or the supergraph's own. */
export function subgraphRoute(
  name: string,
  supergraphUrl: string | undefined,
  routes: SubgraphRoutes,
): { url: string; inProcess?: InProcessFetch } {
  const override = routes.overrides[name];
  if (override) return { url: override };
  const trellis = routes.trellisUrls[name as SubgraphName];
  if (trellis) return { url: trellis, inProcess: routes.inProcess?.[name as SubgraphName] };
  if (!supergraphUrl) throw new Error(`subgraph "${name}" has no URL: set it in TRELLIS_SUBGRAPH_URLS`);
  return { url: supergraphUrl };
}
