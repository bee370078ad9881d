/** Agent, template and task resolvers: translate GraphQL to AgentService calls. */
import type { Resolvers } from '../generated/resolvers.ts';

const lowercaseValues = (...names: string[]) => Object.fromEntries(names.map((n) => [n.toUpperCase(), n]));

export const agentResolvers: Resolvers = {
  AgentStatus: lowercaseValues('idle', 'working', 'blocked', 'offline', 'paused'),
  AgentDesiredState: lowercaseValues('running', 'stopped', 'deactivated'),
  AgentTaskStatus: lowercaseValues('todo', 'in_progress', 'review', 'done', 'blocked', 'cancelled'),
  AgentTaskPriority: lowercaseValues('low', 'medium', 'high', 'critical'),
  AgentTaskType: lowercaseValues('feature', 'bug', 'research', 'ops', 'infra', 'content', 'other'),
  Query: {
    agents: (_, args, ctx) => ctx.agents.list(args.orgId, args, args),
    agent: (_, args, ctx) => ctx.agents.get(ctx.principal, args.id),
    agentTemplates: (_, args, ctx) => ctx.agents.listTemplates(args.orgId, args, args),
    agentTemplate: (_, args, ctx) => ctx.agents.getTemplate(ctx.principal, args.id),
    agentTasks: (_, args, ctx) => ctx.agents.listTasks(args.orgId, args, args),
    agentTask: (_, args, ctx) => ctx.agents.getTask(ctx.principal, args.id),
    agentQueueHealth: (_, args, ctx) => ctx.agents.queueHealth(args.orgId),
  },
  Mutation: {
    createAgent: (_, { input }, ctx) =>
      ctx.agents.create(input.orgId, input, { principal: ctx.principal, requestId: ctx.meta.requestId }),
    updateAgent: (_, args, ctx) => ctx.agents.update(ctx.principal, args.id, args.input, ctx.meta.requestId),
    deactivateAgent: (_, args, ctx) => ctx.agents.lifecycle(ctx.principal, args.id, 'deactivate', ctx.meta.requestId),
    startAgent: (_, args, ctx) => ctx.agents.lifecycle(ctx.principal, args.id, 'start', ctx.meta.requestId),
    stopAgent: (_, args, ctx) => ctx.agents.lifecycle(ctx.principal, args.id, 'stop', ctx.meta.requestId),
    restartAgent: (_, args, ctx) => ctx.agents.lifecycle(ctx.principal, args.id, 'restart', ctx.meta.requestId),
    createAgentTemplate: (_, { input }, ctx) =>
      ctx.agents.createTemplate(input.orgId, input, { principal: ctx.principal, requestId: ctx.meta.requestId }),
    updateAgentTemplate: (_, args, ctx) => ctx.agents.updateTemplate(ctx.principal, args.id, args.input),
    archiveAgentTemplate: (_, args, ctx) => ctx.agents.updateTemplate(ctx.principal, args.id, {}, true),
    createAgentTask: (_, { input }, ctx) =>
      ctx.agents.createTask(input.orgId, input, { principal: ctx.principal, requestId: ctx.meta.requestId }),
    updateAgentTask: (_, args, ctx) => ctx.agents.updateTask(ctx.principal, args.id, args.input, ctx.meta.requestId),
    archiveAgentTask: (_, args, ctx) => ctx.agents.updateTask(ctx.principal, args.id, {}, ctx.meta.requestId, true),
  },
};
