/**
 * The custom scalars every Trellis schema declares (`kernel/shared.graphql`),
 * with their parsing: subgraphs serve them, and the client-facing API schema
 * the edge builds from SDL gets the same `parseValue`, so a wrong type is a
 * client error at the edge rather than a failure further in.
 */
import { buildSchema, type GraphQLSchema, isScalarType } from 'graphql';
import { DateTimeResolver, JSONResolver, SafeIntResolver } from 'graphql-scalars';

export const SCALAR_RESOLVERS = { DateTime: DateTimeResolver, JSON: JSONResolver, SafeInt: SafeIntResolver };

/** `buildSchema`, with the custom scalars parsing (and serializing) like the subgraphs' do. */
export function buildApiSchema(sdl: string): GraphQLSchema {
  const schema = buildSchema(sdl);
  for (const [name, resolver] of Object.entries(SCALAR_RESOLVERS)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) continue;
    // SDL-built scalars parse nothing; the schema is fresh and private to this call, so its types are ours to equip.
    Object.assign(type, {
      parseValue: resolver.parseValue,
      parseLiteral: resolver.parseLiteral,
      serialize: resolver.serialize,
    });
  }
  return schema;
}
