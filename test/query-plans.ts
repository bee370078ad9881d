/** Reading EXPLAIN's JSON form in tests that pin how a statement finds its rows. */
export type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** A plan's nodes, depth first. */
export const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];
