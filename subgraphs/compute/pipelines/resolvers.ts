/** Pipeline resolvers: translate GraphQL to PipelineService / ScheduleService calls. */
import { invalidField, notFound } from '../../../kernel/errors.ts';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../generated/resolvers.ts';
import { awaitRun, orgOf } from './index.ts';

const lowercase = (...names: string[]) => Object.fromEntries(names.map((n) => [n.toUpperCase(), n]));

const MAX_SYNC_SECONDS = 120;

/** A definition run's arguments as a run's input (the definition itself is the path's). */
const runArgs = (args: {
  input?: unknown;
  version?: number | null;
  workflowId?: string | null;
  sessionId?: string | null;
  newSession?: boolean | null;
  idempotencyKey?: string | null;
}) => ({
  input: args.input,
  version: args.version,
  workflowId: args.workflowId,
  sessionId: args.sessionId,
  newSession: args.newSession,
  idempotencyKey: args.idempotencyKey,
});

export const pipelineResolvers: { Query: QueryResolvers; Mutation: MutationResolvers } & Pick<
  Resolvers,
  'WorkflowRunStatus'
> = {
  WorkflowRunStatus: lowercase(
    'pending',
    'running',
    'waiting',
    'paused_at_breakpoint',
    'succeeded',
    'failed',
    'cancelled',
  ) as never,
  Query: {
    workflowDefinitions: (_, args, ctx) => ctx.pipelines.listDefinitions(args.orgId, args) as never,
    workflowDefinition: (_, args, ctx) => ctx.pipelines.getDefinition(ctx.principal, args.id, args.version) as never,
    workflowRuns: (_, args, ctx) => ctx.pipelines.listRuns(ctx.principal, args.orgId, args as never) as never,
    workflowRun: (_, args, ctx) => ctx.pipelines.getRun(ctx.principal, args.id) as never,
    workflowTriggers: (_, args, ctx) => ctx.pipelines.listTriggers(args.orgId),
    workflowBreakpoints: (_, args, ctx) => ctx.pipelines.listBreakpoints(args.orgId),
    pausedWorkflowRuns: (_, args, ctx) => ctx.pipelines.pausedRuns(ctx.principal, args.orgId) as never,
    workflowSessions: (_, args, ctx) => ctx.pipelines.listSessions(args.orgId, args) as never,
    workflowSession: (_, args, ctx) => ctx.pipelines.getSession(ctx.principal, args.id) as never,
    workflowSchedules: (_, args, ctx) => ctx.schedules.list(args.orgId) as never,
  },
  Mutation: {
    createWorkflowDefinition: (_, { input }, ctx) =>
      ctx.pipelines.createDefinition(
        ctx.principal,
        { ...input, orgId: orgOf(ctx.principal, input.orgId) },
        ctx.meta.requestId,
      ) as never,
    createWorkflowRun: (_, { input }, ctx) =>
      ctx.pipelines.createRun(
        ctx.principal,
        { ...input, orgId: orgOf(ctx.principal, input.orgId) },
        { start: input.start === true, requestId: ctx.meta.requestId },
      ) as never,
    startWorkflowRun: (_, args, ctx) => ctx.pipelines.startRun(ctx.principal, args.id, ctx.meta.requestId) as never,
    startWorkflowDefinition: async (_, args, ctx) => {
      const definition = await ctx.pipelines.getDefinition(ctx.principal, args.id, args.version);
      if (!definition) throw notFound('Workflow definition');
      return ctx.pipelines.createRun(
        ctx.principal,
        { ...runArgs(args), orgId: definition.orgId, definitionId: definition.id },
        { start: true, requestId: ctx.meta.requestId },
      ) as never;
    },
    runWorkflowDefinition: async (_, args, ctx) => {
      const started = Date.now();
      const timeout = args.timeoutSeconds ?? 30;
      if (!Number.isSafeInteger(timeout) || timeout < 0 || timeout > MAX_SYNC_SECONDS)
        throw invalidField('timeoutSeconds', `timeoutSeconds must be between 0 and ${MAX_SYNC_SECONDS}`);
      const definition = await ctx.pipelines.getDefinition(ctx.principal, args.id, args.version);
      if (!definition) throw notFound('Workflow definition');
      const run = await ctx.pipelines.createRun(
        ctx.principal,
        { ...runArgs(args), orgId: definition.orgId, definitionId: definition.id },
        { start: true, requestId: ctx.meta.requestId },
      );
      // Whichever comes first: the caller's timeout or the gateway's deadline for this request (then 202).
      const deadline = started + Math.min(timeout * 1000, ctx.syncWaitLimitMs);
      return awaitRun(ctx.pipelines, ctx.principal, run, deadline) as never;
    },
    cancelWorkflowRun: (_, args, ctx) =>
      ctx.pipelines.cancelRun(ctx.principal, args.id, args.reason, ctx.meta.requestId) as never,
    resumeWorkflowRun: (_, args, ctx) =>
      ctx.pipelines.resumeRun(ctx.principal, args.id, args.input, ctx.meta.requestId) as never,
    fireWorkflowTrigger: (_, args, ctx) =>
      ctx.pipelines.fireTrigger(ctx.principal, args.id, args.payload, ctx.meta.requestId) as never,
    rotateWorkflowTriggerSecret: (_, args, ctx) => ctx.webhookTriggers.rotateSecret(ctx.principal, args.id),
    receiveWorkflowWebhook: (_, args, ctx) =>
      ctx.webhookTriggers.receive({
        triggerId: args.trigger,
        messageId: args.messageId,
        timestamp: args.timestamp,
        signature: args.signature,
        payload: args.payload,
        requestId: ctx.meta.requestId,
      }) as never,
    addWorkflowBreakpoint: (_, { input }, ctx) =>
      ctx.pipelines.addBreakpoint(
        ctx.principal,
        orgOf(ctx.principal, input.orgId),
        input.stepId,
        input.definitionId,
      ) as never,
    removeWorkflowBreakpoint: (_, args, ctx) => ctx.pipelines.removeBreakpoint(ctx.principal, args.orgId, args.stepId),
    releaseWorkflowRun: (_, args, ctx) => ctx.pipelines.releaseRun(ctx.principal, args.id, ctx.meta.requestId) as never,
    resumeWorkflowSession: (_, args, ctx) =>
      ctx.pipelines.resumeSession(ctx.principal, args.id, args.input, ctx.meta.requestId) as never,
    pruneWorkflowSessions: (_, { input }, ctx) =>
      ctx.pipelines.pruneSessions(ctx.principal, orgOf(ctx.principal, input.orgId), input.idleSeconds),
    deleteWorkflowSession: (_, args, ctx) => ctx.pipelines.deleteSession(ctx.principal, args.id),
    createWorkflowSchedule: (_, { input }, ctx) =>
      ctx.schedules.create(ctx.principal, { ...input, orgId: orgOf(ctx.principal, input.orgId) }) as never,
    deleteWorkflowSchedule: (_, args, ctx) => ctx.schedules.remove(ctx.principal, args.id),
  },
};
