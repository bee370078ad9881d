/** Governance resolvers: translate GraphQL to service calls. */
import type { GovernanceContext } from './index.ts';

export const resolvers = {
  Query: {
    workflow: (_: unknown, args: { id: string }, ctx: GovernanceContext) => ctx.workflows.get(ctx.principal, args.id),
  },
  Mutation: {
    createWorkflow: (
      _: unknown,
      args: { orgId: string; input: { name: string; budgetMicros?: number } },
      ctx: GovernanceContext,
    ) => ctx.workflows.create(ctx.principal, args.orgId, args.input, ctx.meta.requestId),
  },
  Workflow: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.workflows.get(ctx.principal, ref.id),
    organization: (workflow: { orgId: string }) => ({ id: workflow.orgId }),
    status: (workflow: { status: string }) => workflow.status.toUpperCase(),
  },
  Organization: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    workflows: (org: { id: string }, _: unknown, ctx: GovernanceContext) => ctx.workflows.listByOrg(org.id),
  },
};
