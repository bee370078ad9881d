/**
 * The custom scalars of `kernel/shared.graphql`, implemented by graphql-scalars:
 * the subgraphs serve them, and the gateway parses client input with the same
 * implementations, so a value no subgraph would accept is refused at the edge.
 */
import { buildSchema, type GraphQLSchema, isScalarType } from 'graphql';
import { DateTimeResolver, JSONResolver, SafeIntResolver } from 'graphql-scalars';

export const scalarResolvers = { DateTime: DateTimeResolver, JSON: JSONResolver, SafeInt: SafeIntResolver } as const;

/**
 * Gives a schema built from SDL alone (the gateway's API schema, whose custom
 * scalars accept anything) the real input parsing of each custom scalar, in
 * place. Serialization is left alone: results pass through as the subgraphs
 * produced them.
 */
export function parseScalarInputs(schema: GraphQLSchema): GraphQLSchema {
  for (const [name, implementation] of Object.entries(scalarResolvers)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) continue;
    type.parseValue = implementation.parseValue;
    type.parseLiteral = implementation.parseLiteral;
  }
  return schema;
}

/** The client-facing API schema from its SDL, with the custom scalars parsing input like the subgraphs'. */
export const buildApiSchema = (sdl: string): GraphQLSchema => parseScalarInputs(buildSchema(sdl));
