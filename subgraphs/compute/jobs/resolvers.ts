/** Job resolvers: translate GraphQL to JobService calls. */
import type { Resolvers } from '../generated/resolvers.ts';

const lowercaseValues = (...names: string[]) => Object.fromEntries(names.map((n) => [n.toUpperCase(), n]));

export const jobResolvers: Resolvers = {
  JobStatus: lowercaseValues('queued', 'running', 'succeeded', 'failed', 'cancelled'),
  Query: {
    job: (_, args, ctx) => ctx.jobs.get(ctx.principal, args.id),
    jobs: (_, args, ctx) => ctx.jobs.list(args.orgId, args, args),
    jobStats: (_, args, ctx) => ctx.jobs.stats(args.orgId, args.windowMinutes ?? 60),
  },
  Mutation: {
    submitJob: (_, { input }, ctx) =>
      ctx.jobs.submit(input.orgId, input, { principal: ctx.principal, requestId: ctx.meta.requestId }),
    cancelJob: (_, args, ctx) => ctx.jobs.cancel(ctx.principal, args.id, ctx.meta.requestId),
    claimJobs: (_, { input }, ctx) =>
      ctx.jobs.claim(input.orgId, input, { principal: ctx.principal, requestId: ctx.meta.requestId }),
    heartbeatJob: (_, args, ctx) => ctx.jobs.heartbeat(ctx.principal, args.id, args.workerId),
    completeJob: (_, args, ctx) => ctx.jobs.complete(ctx.principal, args.id, args.input ?? {}, ctx.meta.requestId),
    failJob: (_, args, ctx) => ctx.jobs.fail(ctx.principal, args.id, args.input ?? {}, ctx.meta.requestId),
  },
  Job: {
    organization: (job) => ({ id: job.orgId }),
  },
};
