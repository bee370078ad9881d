/** Runner pool resolvers: translate GraphQL to RunnerPoolService calls. */
import type { Resolvers } from './generated/resolvers.ts';

export const runnerPoolResolvers: Resolvers = {
  Query: {
    runnerPools: (_, args, ctx) => ctx.runnerPools.list(args.orgId),
    runnerPool: (_, args, ctx) => ctx.runnerPools.get(args.orgId, args.id),
    runnerPoolJobs: (_, args, ctx) => ctx.runnerPools.jobs(args.orgId, args.id, args),
    runnerPoolMetrics: (_, args, ctx) => ctx.runnerPools.metrics(args.orgId, args.id),
  },
  Mutation: {
    createRunnerPool: (_, args, ctx) =>
      ctx.runnerPools.create(args.orgId, args.input, ctx.principal, ctx.meta.requestId),
    resizeRunnerPool: (_, args, ctx) =>
      ctx.runnerPools.resize(args.orgId, args.id, args.poolRamGb, ctx.principal, ctx.meta.requestId),
    deleteRunnerPool: (_, args, ctx) => ctx.runnerPools.delete(args.orgId, args.id, ctx.principal, ctx.meta.requestId),
  },
};
