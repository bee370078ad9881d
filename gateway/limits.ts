/**
 * Query limits enforced at the edge, as GraphQL validation rules: maximum
 * selection depth, number of aliases and estimated cost. (Token count is
 * enforced by the parser itself through `parseOptions.maxTokens`.)
 *
 * Cost: every field costs 1; a list field multiplies the cost of its
 * selection by its `limit`/`first` argument, or by DEFAULT_LIST_SIZE.
 */
import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { TrellisError } from '../kernel/errors.ts';

const DEFAULT_LIST_SIZE = 10;

/** Introspection fields are not on the root type's field map but cost like any other. */
const META_FIELDS: Record<string, GraphQLField<unknown, unknown>> = {
  __schema: SchemaMetaFieldDef,
  __type: TypeMetaFieldDef,
  __typename: TypeNameMetaFieldDef,
};

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

function listSize(field: FieldNode, variables: Record<string, unknown> | undefined): number {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== 'limit' && arg.name.value !== 'first') continue;
    const value: ValueNode = arg.value;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const v = variables?.[value.name.value];
      if (typeof v === 'number') return v;
    }
  }
  return DEFAULT_LIST_SIZE;
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

function measure(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parentType: GraphQLOutputType | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): Measure {
  let depth = 0;
  let aliases = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) aliases++;
      const named = parentType ? getNamedType(parentType) : undefined;
      const fieldDef =
        META_FIELDS[selection.name.value] ??
        (named && (isObjectType(named) || isInterfaceType(named))
          ? named.getFields()[selection.name.value]
          : undefined);
      let fieldCost = 1;
      let fieldDepth = 1;
      if (selection.selectionSet) {
        const inner = measure(schema, selection.selectionSet, fieldDef?.type, fragments, visiting);
        const multiplier = fieldDef && isListType(getNullableType(fieldDef.type)) ? listSize(selection, undefined) : 1;
        fieldCost += inner.cost * multiplier;
        fieldDepth += inner.depth;
        aliases += inner.aliases;
      }
      cost += fieldCost;
      depth = Math.max(depth, fieldDepth);
      continue;
    }
    let inner: Measure | undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeCondition = selection.typeCondition
        ? (schema.getType(selection.typeCondition.name.value) as GraphQLOutputType | undefined)
        : parentType;
      inner = measure(schema, selection.selectionSet, typeCondition, fragments, visiting);
    } else {
      const fragment = fragments[selection.name.value];
      if (!fragment || visiting.has(fragment.name.value)) continue; // cycles are rejected by standard rules
      visiting.add(fragment.name.value);
      const typeCondition = schema.getType(fragment.typeCondition.name.value) as GraphQLOutputType | undefined;
      inner = measure(schema, fragment.selectionSet, typeCondition, fragments, visiting);
      visiting.delete(fragment.name.value);
    }
    depth = Math.max(depth, inner.depth);
    aliases += inner.aliases;
    cost += inner.cost;
  }
  return { depth, aliases, cost };
}

export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of context.getDocument().definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    return {
      OperationDefinition(node: OperationDefinitionNode) {
        const schema = context.getSchema();
        const root =
          node.operation === 'query'
            ? schema.getQueryType()
            : node.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        const m = measure(schema, node.selectionSet, root ?? undefined, fragments, new Set());
        const report = (what: string, value: number, max: number) =>
          context.reportError(
            new TrellisError('query_too_complex', `Query ${what} ${value} exceeds the limit of ${max}`, {
              details: { limit: what, value, max },
            }),
          );
        if (m.depth > limits.maxDepth) report('depth', m.depth, limits.maxDepth);
        if (m.aliases > limits.maxAliases) report('aliases', m.aliases, limits.maxAliases);
        if (m.cost > limits.maxCost) report('cost', m.cost, limits.maxCost);
      },
    };
  };
}
