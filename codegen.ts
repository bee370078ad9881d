/**
 * GraphQL codegen (`npm run codegen`): typed resolvers for each subgraph from
 * its SDL (with the shared kernel directives and scalars), and typed
 * documents for every REST route operation (as the adapter builds them:
 * `scripts/generate-route-operations.ts` writes them first). CI fails when output is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const SUBGRAPHS = ['identity', 'governance', 'compute', 'billing', 'events'];

/**
 * What each subgraph's resolvers return for a GraphQL type, when it is not the
 * GraphQL shape itself (usually an entity row). Paths are relative to the
 * generated file.
 */
const MAPPERS: Record<string, Record<string, string>> = {
  compute: {
    Vm: '../vms.ts#VmView',
    Cluster: '../clusters.ts#ClusterView',
    Replica: '../clusters.ts#ReplicaView',
    Job: '../jobs/service.ts#JobView',
    Organization: '../../../kernel/federation.ts#OrganizationRef',
  },
  billing: {
    Balance: '../ledger.ts#BalanceView',
    Organization: '../../../kernel/federation.ts#OrganizationRef',
  },
};

const scalars = {
  DateTime: { input: 'Date | string', output: 'Date | string' },
  JSON: { input: 'unknown', output: 'unknown' },
  SafeInt: { input: 'number', output: 'number' },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...Object.fromEntries(
      SUBGRAPHS.map((name) => [
        `subgraphs/${name}/generated/resolvers.ts`,
        {
          // A subgraph's SDL may be split into feature files (`subgraphs/<name>/**/*.graphql`).
          schema: ['kernel/shared.graphql', `subgraphs/${name}/**/*.graphql`, 'kernel/event-consumers.graphql'],
          plugins: ['typescript', 'typescript-resolvers'],
          config: {
            federation: true,
            useIndexSignature: true,
            scalars,
            enumsAsTypes: true,
            useTypeImports: true,
            contextType: `../index.ts#${name[0]?.toUpperCase()}${name.slice(1)}Context`,
            defaultMapper: 'Partial<{T}>',
            mappers: MAPPERS[name] ?? {},
          },
        },
      ]),
    ),
    'rest-adapter/generated/operations.ts': {
      schema: 'schema/api.graphql',
      documents: ['rest-adapter/generated/operations.graphql'],
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { scalars, enumsAsTypes: true, useTypeImports: true, avoidOptionals: false },
    },
  },
};

export default config;
