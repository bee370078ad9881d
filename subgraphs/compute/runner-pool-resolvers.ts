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
      ctx.runnerPools.resize(
        args.orgId,
        args.id,
        { poolRamGb: args.poolRamGb, size: args.size },
        ctx.principal,
        ctx.meta.requestId,
      ),
    deleteRunnerPool: (_, args, ctx) => ctx.runnerPools.delete(args.orgId, args.id, ctx.principal, ctx.meta.requestId),
    runnerClaimJob: (_, args, ctx) => ctx.runnerJobs.claim(args.runnerId, args.runnerToken),
    runnerHeartbeatJob: (_, args, ctx) => ctx.runnerJobs.heartbeat(args.runnerId, args.runnerToken, args.jobId),
    runnerFinishJob: (_, args, ctx) =>
      ctx.runnerJobs.finish(args.runnerId, args.runnerToken, args.jobId, args.input, ctx.meta.requestId),
  },
  RunnerPool: {
    runners: (pool, _, ctx) => ctx.runnerPools.runners(String(pool.id)),
  },
};
