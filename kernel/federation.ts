/** Shapes shared by every subgraph's federation resolvers. */

/** An `Organization` as other subgraphs see it: identity owns it, the rest only know its id. */
export interface OrganizationRef {
  id: string;
}
