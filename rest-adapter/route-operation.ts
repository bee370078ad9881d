/**
 * The GraphQL document a route runs, built once per schema.
 *
 * A compact route names its root field path instead of a document:
 * `query: 'organization(id: $orgId).balance'`. From it:
 * - the variables are declared with the types of the arguments they fill,
 *   read from the schema (so they can never disagree); `(...)` in a segment's
 *   arguments passes every other argument of that field as the variable of
 *   the same name (`executions(orgId: $orgId, ...)`);
 * - the last field selects its return type's shared fragment (`fragments.ts`);
 * - the operation is named after the route (`GetOrgsOrgIdBillingBalance`);
 * - the result is the dotted field path (`organization.balance`).
 *
 * A route with `operation:` runs its hand-written document as is.
 */
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { fragmentName, fragmentsFor, typeOfFragment } from './fragments.ts';
import type { OperationRoute } from './route-table.ts';

export interface RouteOperation {
  /** The document sent to the gateway: the operation and the fragments it spreads. */
  document: string;
  ast: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string;
  /** Where the response `data` is in the GraphQL result, when `result` is not a function. */
  resultPath: string;
}

export function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || !operations[0]?.name)
    throw new Error('a route operation must contain exactly one named operation');
  return operations[0];
}

/**
 * Compiled routes live as long as the process and the gateway receives `document`, not `ast`, so
 * errors never point into these ASTs: without locations each AST holds no token list (~150 per route).
 */
const ROUTE_PARSE = { noLocation: true } as const;

const cache = new WeakMap<GraphQLSchema, WeakMap<OperationRoute, RouteOperation>>();

/** The route's document (compiled once per schema). */
export function routeOperation(route: OperationRoute, schema: GraphQLSchema): RouteOperation {
  let bySchema = cache.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    cache.set(schema, bySchema);
  }
  let compiled = bySchema.get(route);
  if (!compiled) {
    compiled = compileRoute(route, schema);
    bySchema.set(route, compiled);
  }
  return compiled;
}

function compileRoute(route: OperationRoute, schema: GraphQLSchema): RouteOperation {
  const where = `${route.method} ${route.path}`;
  const forms = [route.operation, route.query, route.mutation].filter((f) => f !== undefined);
  if (forms.length !== 1) throw new Error(`${where}: give exactly one of operation, query or mutation`);
  if (route.operation !== undefined) {
    const ast = parse(route.operation, ROUTE_PARSE);
    const operation = operationOf(ast);
    const first = operation.selectionSet.selections[0];
    if (!first || first.kind !== Kind.FIELD) throw new Error(`${where}: operation selects nothing`);
    return {
      document: route.operation,
      ast,
      operation,
      operationName: operation.name?.value ?? '',
      resultPath: typeof route.result === 'string' ? route.result : (first.alias?.value ?? first.name.value),
    };
  }
  const kind = route.query !== undefined ? 'query' : 'mutation';
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  if (!root) throw new Error(`${where}: the schema has no ${kind} type`);
  const { selectionSet, fieldPath, spreads } = fieldChain(
    route.query ?? (route.mutation as string),
    root,
    route.select,
    where,
  );
  const name = operationNameOf(route);
  const variables = variableDefinitions(schema, kind, selectionSet);
  const fragments = fragmentsFor(schema, spreads);
  const head = `${kind} ${name}${variables ? `(${variables})` : ''}`;
  const document = [`${head} ${print(selectionSet)}`, ...fragments].join('\n');
  const ast = parse(document, ROUTE_PARSE);
  return {
    document,
    ast,
    operation: operationOf(ast),
    operationName: name,
    resultPath: typeof route.result === 'string' ? route.result : fieldPath.join('.'),
  };
}

/** `GET /v1/orgs/{orgId}/billing/balance` → `GetOrgsOrgIdBillingBalance` (unique per route). */
export function operationNameOf(route: { method: string; path: string }): string {
  const words = route.path
    .replace(/^\/v1\b/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const method = route.method.toLowerCase();
  return [method, ...words].map((w) => `${w[0]?.toUpperCase()}${w.slice(1)}`).join('');
}

/** Splits `a(x: $y).b.c(d: "e.f")` at the dots outside parentheses, brackets, braces and strings. */
function segmentsOf(path: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of path) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && '([{'.includes(char)) depth++;
    else if (!quoted && ')]}'.includes(char)) depth--;
    if (char === '.' && depth === 0 && !quoted) {
      segments.push(current.trim());
      current = '';
    } else current += char;
  }
  segments.push(current.trim());
  return segments.filter(Boolean);
}

const SPREAD_ARGS = /(^|[(,\s])\.\.\.(?=\s*[,)])/;

/** One path segment as a field node; `...` among its arguments passes every other argument by name. */
function fieldOf(
  segment: string,
  parent: GraphQLObjectType,
  where: string,
): { node: FieldNode; def: GraphQLField<unknown, unknown> } {
  const spread = SPREAD_ARGS.test(segment);
  const text = segment
    .replace(SPREAD_ARGS, '$1')
    .replace(/\(\s*,?\s*\)/, '')
    .replace(/,\s*\)/, ')');
  const operation = parse(`{ ${text} }`).definitions[0] as OperationDefinitionNode;
  const node = operation.selectionSet.selections[0] as FieldNode;
  const def = parent.getFields()[node.name.value];
  if (!def) throw new Error(`${where}: ${parent.name} has no field ${node.name.value}`);
  if (!spread) return { node, def };
  const given = new Set((node.arguments ?? []).map((a) => a.name.value));
  const added: ArgumentNode[] = def.args
    .filter((a) => !given.has(a.name))
    .map((a) => ({
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: a.name },
      value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: a.name } },
    }));
  return { node: { ...node, arguments: [...(node.arguments ?? []), ...added] }, def };
}

/** The nested selection for a field path; the last field spreads its type's fragment. */
function fieldChain(
  path: string,
  root: GraphQLObjectType,
  select: string | undefined,
  where: string,
): { selectionSet: SelectionSetNode; fieldPath: string[]; spreads: string[] } {
  const nodes: FieldNode[] = [];
  let parent: GraphQLObjectType = root;
  let leafType: string | undefined;
  const segments = segmentsOf(path);
  segments.forEach((segment, index) => {
    const { node, def } = fieldOf(segment, parent, where);
    nodes.push(node);
    const named = getNamedType(def.type);
    const last = index === segments.length - 1;
    if (isInterfaceType(named)) throw new Error(`${where}: ${named.name} is an interface; write an operation`);
    if (isObjectType(named)) {
      if (last) leafType = named.name;
      else parent = named;
    } else if (!last) throw new Error(`${where}: ${def.name} has no fields to select ${segments[index + 1]} from`);
  });
  if (select !== undefined && !leafType) throw new Error(`${where}: select needs a field that returns an object`);
  const spreads: string[] = [];
  let selection: SelectionSetNode | undefined;
  if (leafType) {
    const fragment = parse(`fragment Leaf on ${leafType} { ${select ?? `...${fragmentName(leafType)}`} }`);
    selection = (fragment.definitions[0] as FragmentDefinitionNode).selectionSet;
    visit(selection, {
      FragmentSpread: (node) => {
        spreads.push(typeOfFragment(node.name.value));
      },
    });
  }
  for (const node of nodes.reverse())
    selection = { kind: Kind.SELECTION_SET, selections: [{ ...node, selectionSet: selection }] };
  return {
    selectionSet: selection as SelectionSetNode,
    fieldPath: nodes.reverse().map((n) => n.alias?.value ?? n.name.value),
    spreads,
  };
}

/**
 * `$name: Type` for every variable the selection uses, typed as the argument
 * (or input field) it fills. A non-null argument with a default takes a
 * nullable variable, so the client may leave it out.
 */
function variableDefinitions(schema: GraphQLSchema, kind: string, selectionSet: SelectionSetNode): string {
  const types = new Map<string, string>();
  const typeInfo = new TypeInfo(schema);
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: kind as never, selectionSet }],
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Variable(node) {
        const type = typeInfo.getInputType() as GraphQLInputType | null;
        if (!type) throw new Error(`$${node.name.value} is not in an input position`);
        const declared = isNonNullType(type) && typeInfo.getDefaultValue() !== undefined ? type.ofType : type;
        const previous = types.get(node.name.value);
        // Used twice: the stricter type wins (a non-null use needs a non-null variable).
        if (!previous || (!previous.endsWith('!') && String(declared).endsWith('!')))
          types.set(node.name.value, String(declared));
      },
    }),
  );
  return [...types].map(([name, type]) => `$${name}: ${type}`).join(', ');
}
