/** Which subgraph alone answers an operation (gateway/single-owner.ts), on a small supergraph and on Trellis's own. */
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { singleOwner, supergraphJoins } from '../../gateway/single-owner.ts';

const SUPERGRAPH = /* GraphQL */ `
enum join__Graph {
  A @join__graph(name: "alpha", url: "http://a")
  B @join__graph(name: "beta", url: "http://b")
}
type Query @join__type(graph: A) @join__type(graph: B) {
  order(id: ID!): Order @join__field(graph: A)
  shared: Money
}
type Mutation @join__type(graph: A) @join__type(graph: B) {
  pay(id: ID!): Order @join__field(graph: A)
  refund(id: ID!): Order @join__field(graph: B)
}
type Order @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
  id: ID!
  total: Int @join__field(graph: A)
  invoice: String @join__field(graph: B)
  weight: Int @join__field(graph: A, external: true) @join__field(graph: B)
  label: String @join__field(graph: A, requires: "weight")
  owner: Owner @join__field(graph: A)
  thing: Thing @join__field(graph: A)
}
type Owner @join__type(graph: A) { name: String }
type Money @join__type(graph: A) @join__type(graph: B) { amount: Int }
interface Thing @join__type(graph: A) { id: ID! }
`;
const joins = supergraphJoins(SUPERGRAPH);
const owner = (query: string) => singleOwner(joins, parse(query));

describe('single-owner operations', () => {
  it('names the subgraph that resolves every field', () => {
    expect(owner('mutation M { pay(id: "1") { id total owner { name } __typename } }')).toBe('alpha');
    expect(owner('mutation M { refund(id: "1") { id invoice } }')).toBe('beta');
    expect(owner('mutation M { pay(id: "1") { ...F } } fragment F on Order { id total }')).toBe('alpha');
    expect(owner('mutation M { pay(id: "1") { ... on Order { total } ... @include(if: true) { id } } }')).toBe('alpha');
  });

  it('is undefined when another subgraph, @requires, @external or an abstract type is needed', () => {
    expect(owner('mutation M { pay(id: "1") { invoice } }')).toBeUndefined(); // entity jump to beta
    expect(owner('mutation M { pay(id: "1") { label } }')).toBeUndefined(); // @requires
    expect(owner('mutation M { pay(id: "1") { weight } }')).toBeUndefined(); // external in alpha
    expect(owner('mutation M { refund(id: "1") { weight } }')).toBe('beta');
    expect(owner('mutation M { pay(id: "1") { thing { id } } }')).toBeUndefined(); // interface
    expect(owner('mutation M { pay(id: "1") { id } refund(id: "2") { id } }')).toBeUndefined();
    expect(owner('query Q { shared { amount } }')).toBeUndefined(); // both can: left to the planner
    expect(owner('query Q { __schema { types { name } } }')).toBeUndefined();
    expect(owner('query Q { order(id: "1") @defer { id } }')).toBeUndefined();
    expect(owner('mutation M { pay(id: "1") { ...F } } fragment F on Money { amount }')).toBeUndefined();
    expect(owner('mutation A { pay(id: "1") { id } } mutation B { pay(id: "2") { id } }')).toBeUndefined();
  });

  it('sends the SDK hot path to governance and a five-subgraph read through the planner, on the served supergraph', () => {
    const trellis = supergraphJoins(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
    const gate = 'mutation G($input: GateInput!) { gate(input: $input) { allowed reason remainingMicros } }';
    expect(singleOwner(trellis, parse(gate))).toBe('governance');
    const org = 'query O($id: ID!) { organization(id: $id) { id name workflows { id } } }';
    expect(singleOwner(trellis, parse(org))).toBeUndefined();
  });
});
