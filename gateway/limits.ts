/**
 * Query limits enforced at the edge: maximum selection depth, number of
 * aliases and estimated cost. (Token count is enforced by the parser itself
 * through `parseOptions.maxTokens`.)
 *
 * Depth and aliases depend on the document only, so they are a validation
 * rule (Apollo caches validation per document). Cost depends on the page
 * sizes a request asks for, which may be variables, so it is checked per
 * request once the operation is resolved (`queryCostPlugin`).
 *
 * Cost: every field costs 1; a list multiplies the cost of its selection by
 * the page size. The page size is the `limit`/`first` argument of the list
 * field or of the field returning the page around it (`workflows(limit: 200)
 * { items { … } }`): a literal, a variable's value or default, the argument's
 * schema default, or the server's default page size. Lists without a page
 * argument count DEFAULT_LIST_SIZE items.
 *
 * Introspection: when it is enabled, an operation that selects only
 * `__schema`/`__type`/`__typename` is exempt from the depth and cost limits
 * (graphql-js' standard query is 15 deep and costs ~50,000 by the rule above,
 * so GraphiQL, codegen and Rover were all refused). It has bounds of its own,
 * which do not move with the product's limits: a cost of at most
 * INTROSPECTION_MAX_COST (about twice the standard query with every option, so
 * one full introspection passes but not several, nor aliased copies of its
 * lists) and at most INTROSPECTION_MAX_OF_TYPE `ofType` on a path (the
 * standard query has 9; real types wrap a few times). graphql-js' own
 * MaxIntrospectionDepthRule (a standard rule) bounds nested `fields`/
 * `interfaces`/`possibleTypes`/`inputFields` as well.
 *
 * GraphQL Armor's plugins were considered: its cost limit is schema-blind (a
 * fixed cost per object and a depth factor, no list sizes, no arguments, no
 * variables), and its `ignoreIntrospection` exempts any `__schema` selection
 * from every bound, which would let `ofType { ofType { … } }` ×100 through.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
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
import { DEFAULT_PAGE_SIZE } from '../kernel/pagination.ts';

/** Items assumed for a list that takes no page-size argument. */
const DEFAULT_LIST_SIZE = 10;
const PAGE_SIZE_ARGUMENTS = new Set(['limit', 'first']);

export const INTROSPECTION_MAX_COST = 100_000;
export const INTROSPECTION_MAX_OF_TYPE = 12;

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
  /** Introspection is enabled: introspection-only queries are bounded by shape instead of depth and cost. */
  introspection?: boolean;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  /** The request's variables, or undefined while validating the document alone. */
  variables: Record<string, unknown> | undefined;
  /** The operation's variable defaults. */
  defaults: Record<string, ValueNode>;
  /** Fragment measures by name and inherited page size: a fragment spread many times is measured once. */
  memo: Map<string, Measure>;
  visiting: Set<string>;
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
  /** Most `ofType` fields on one path. */
  ofTypes: number;
}

const EMPTY: Measure = { depth: 0, aliases: 0, cost: 0, ofTypes: 0 };

/** Costs stay finite numbers even when fragments multiply them out of all proportion. */
const capped = (cost: number) => Math.min(cost, Number.MAX_SAFE_INTEGER);

function combine(a: Measure, b: Measure): Measure {
  return {
    depth: Math.max(a.depth, b.depth),
    aliases: a.aliases + b.aliases,
    cost: capped(a.cost + b.cost),
    ofTypes: Math.max(a.ofTypes, b.ofTypes),
  };
}

/** A page size a client may ask for: a positive integer (anything else is refused later by the field). */
function sizeOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function literalSize(walk: Walk, value: ValueNode | undefined): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return sizeOf(Number(value.value));
  if (value.kind !== Kind.VARIABLE) return undefined;
  const name = value.name.value;
  if (walk.variables && Object.hasOwn(walk.variables, name)) return sizeOf(walk.variables[name]);
  return literalSize(walk, walk.defaults[name]);
}

/**
 * The page size a field asks for, or undefined when it takes no page-size
 * argument. An omitted or unusable value falls back to the argument's default,
 * then to the server's default page size.
 */
function pageSizeOf(
  walk: Walk,
  node: FieldNode,
  field: GraphQLField<unknown, unknown> | undefined,
): number | undefined {
  const argument = field?.args.find((a) => PAGE_SIZE_ARGUMENTS.has(a.name));
  if (!argument) return undefined;
  const given = node.arguments?.find((a) => a.name.value === argument.name)?.value;
  return literalSize(walk, given) ?? sizeOf(argument.defaultValue) ?? DEFAULT_PAGE_SIZE;
}

function fieldDefinition(parentType: GraphQLOutputType | undefined, name: string) {
  const named = parentType ? getNamedType(parentType) : undefined;
  return (
    META_FIELDS[name] ??
    (named && (isObjectType(named) || isInterfaceType(named)) ? named.getFields()[name] : undefined)
  );
}

function measureField(walk: Walk, node: FieldNode, parentType: GraphQLOutputType | undefined, pageSize?: number) {
  const field = fieldDefinition(parentType, node.name.value);
  const own = { aliases: node.alias ? 1 : 0, ofTypes: node.name.value === 'ofType' ? 1 : 0 };
  if (!node.selectionSet) return { ...EMPTY, depth: 1, cost: 1, ...own };
  const size = pageSizeOf(walk, node, field);
  const isList = field !== undefined && isListType(getNullableType(field.type));
  // A list is multiplied by its own page size or by the one its page field asked for; a page
  // field (`{ items, nextCursor }`) hands its size down to the lists it contains.
  const inner = measureSelections(walk, node.selectionSet, field?.type, isList ? undefined : size);
  const multiplier = isList ? (size ?? pageSize ?? DEFAULT_LIST_SIZE) : 1;
  return {
    depth: inner.depth + 1,
    aliases: inner.aliases + own.aliases,
    cost: capped(1 + inner.cost * multiplier),
    ofTypes: inner.ofTypes + own.ofTypes,
  };
}

function measureFragment(walk: Walk, fragment: FragmentDefinitionNode, pageSize: number | undefined): Measure {
  const name = fragment.name.value;
  const key = `${name}\u0000${pageSize ?? ''}`;
  const known = walk.memo.get(key);
  if (known) return known;
  if (walk.visiting.has(name)) return EMPTY; // cycles are rejected by the standard rules
  walk.visiting.add(name);
  const typeCondition = walk.schema.getType(fragment.typeCondition.name.value) as GraphQLOutputType | undefined;
  const measured = measureSelections(walk, fragment.selectionSet, typeCondition, pageSize);
  walk.visiting.delete(name);
  walk.memo.set(key, measured);
  return measured;
}

function measureSelections(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parentType: GraphQLOutputType | undefined,
  pageSize: number | undefined,
): Measure {
  let total = EMPTY;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total = combine(total, measureField(walk, selection, parentType, pageSize));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeCondition = selection.typeCondition
        ? (walk.schema.getType(selection.typeCondition.name.value) as GraphQLOutputType | undefined)
        : parentType;
      total = combine(total, measureSelections(walk, selection.selectionSet, typeCondition, pageSize));
    } else {
      const fragment = walk.fragments[selection.name.value];
      if (fragment) total = combine(total, measureFragment(walk, fragment, pageSize));
    }
  }
  return total;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode) {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return root ?? undefined;
}

function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
): Measure {
  const defaults: Record<string, ValueNode> = {};
  for (const definition of operation.variableDefinitions ?? [])
    if (definition.defaultValue) defaults[definition.variable.name.value] = definition.defaultValue;
  const walk: Walk = { schema, fragments, variables, defaults, memo: new Map(), visiting: new Set() };
  return measureSelections(walk, operation.selectionSet, rootTypeOf(schema, operation), undefined);
}

/** The operation's root field names, through fragments. */
function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(selection.selectionSet, fragments, seen);
    const fragment = fragments[selection.name.value];
    if (!fragment || seen.has(fragment.name.value)) return [];
    seen.add(fragment.name.value);
    return rootFieldNames(fragment.selectionSet, fragments, seen);
  });
}

/** A query that selects `__schema`/`__type` (and maybe `__typename`) and nothing else. */
function isIntrospection(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>) {
  if (operation.operation !== 'query') return false;
  const names = rootFieldNames(operation.selectionSet, fragments);
  return names.every((name) => name in META_FIELDS) && names.some((name) => name !== '__typename');
}

function tooComplex(what: string, value: number, max: number): TrellisError {
  return new TrellisError('query_too_complex', `Query ${what} ${value} exceeds the limit of ${max}`, {
    details: { limit: what, value, max },
  });
}

/**
 * What the document alone breaks: depth and aliases, or an introspection query's own bounds
 * (its cost takes no page sizes, so it is known from the document).
 */
function documentErrors(m: Measure, limits: QueryLimits, introspection: boolean): TrellisError[] {
  const errors: TrellisError[] = [];
  if (m.aliases > limits.maxAliases) errors.push(tooComplex('aliases', m.aliases, limits.maxAliases));
  if (limits.introspection && introspection) {
    if (m.ofTypes > INTROSPECTION_MAX_OF_TYPE)
      errors.push(tooComplex('introspection ofType nesting', m.ofTypes, INTROSPECTION_MAX_OF_TYPE));
    if (m.cost > INTROSPECTION_MAX_COST) errors.push(tooComplex('introspection cost', m.cost, INTROSPECTION_MAX_COST));
  } else if (m.depth > limits.maxDepth) errors.push(tooComplex('depth', m.depth, limits.maxDepth));
  return errors;
}

/** Validation rule: depth and aliases, and the bounds of introspection queries. */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = fragmentsOf(context.getDocument());
    return {
      OperationDefinition(node: OperationDefinitionNode) {
        const m = measureOperation(context.getSchema(), node, fragments, undefined);
        for (const error of documentErrors(m, limits, isIntrospection(node, fragments))) context.reportError(error);
      },
    };
  };
}

/** The estimated cost of `operation` for these variables (see the module comment). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  return measureOperation(schema, operation, fragmentsOf(document), variables ?? {}).cost;
}

/**
 * The cost of operations that declare no variables, which the document alone decides (undefined:
 * an introspection query, exempt). Apollo's document store hands every request of the same query
 * the same parsed document, so a repeated query is measured once; keyed by schema too, since a
 * supergraph reload changes the types the cost walks (and by whether introspection is exempt).
 */
const documentCosts = new WeakMap<
  OperationDefinitionNode,
  { schema: GraphQLSchema; introspection: boolean; cost: number | undefined }
>();

function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  introspection: boolean,
): number | undefined {
  if (introspection && isIntrospection(operation, fragmentsOf(document))) return undefined;
  return operationCost(schema, document, operation, variables);
}

/** The cost error for this request, if any (introspection queries have their own bound, checked with the document). */
export function costError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimits,
): TrellisError | undefined {
  const introspection = limits.introspection === true;
  let cost: number | undefined;
  if (operation.variableDefinitions?.length) {
    cost = costOf(schema, document, operation, variables, introspection);
  } else {
    const known = documentCosts.get(operation);
    if (known?.schema === schema && known.introspection === introspection) cost = known.cost;
    else {
      cost = costOf(schema, document, operation, variables, introspection);
      documentCosts.set(operation, { schema, introspection, cost });
    }
  }
  return cost !== undefined && cost > limits.maxCost ? tooComplex('cost', cost, limits.maxCost) : undefined;
}

/** Apollo plugin: refuses an operation whose cost, with the request's variables, is over the limit (400). */
export function queryCostPlugin(limits: QueryLimits): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error = costError(schema, document, operation, request.variables, limits);
          if (!error) return;
          // Errors thrown here are 500 unless they carry their status (validation errors are 400).
          throw new GraphQLError(error.message, {
            extensions: { ...error.extensions, http: { status: error.status } },
          });
        },
      };
    },
  };
}
