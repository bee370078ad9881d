/**
 * What a route reads from an HTTP request, decided once from its operation's
 * variables: which come from the path, which from the query string, and what
 * the JSON body must look like. The adapter validates requests against this
 * shape and the OpenAPI generator documents it, so the contract and the
 * server cannot disagree.
 *
 * - Path parameters fill the variables of the same name.
 * - GET and DELETE read the other variables from the query string.
 * - POST, PUT and PATCH read them from the body: the whole body is the
 *   variable `route.body` names, or each body field fills the variable of the
 *   same name (the body is then an object whose fields are those variables).
 */
import {
  type GraphQLInputFieldConfig,
  GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  getNullableType,
  isInputObjectType,
  isNonNullType,
  type OperationDefinitionNode,
  typeFromAST,
  valueFromAST,
} from 'graphql';
import { operationOf, routeOperation } from './route-operation.ts';
import type { FillRule, HttpMethod, OperationRoute } from './route-table.ts';

export interface VariableSpec {
  name: string;
  type: GraphQLInputType;
  /** Non-null and without a default: the request must supply it. */
  required: boolean;
  /** The operation's default for the variable, when it declares one. */
  defaultValue?: unknown;
}

/** How the body's fields are read: aliases, fields the adapter fills, fields dropped. */
export interface BodyRules {
  fill: Record<string, FillRule>;
  aliases: Record<string, string>;
  ignore: ReadonlySet<string>;
  /** The body field a bare JSON array body stands for (`events` of `/v1/track/batch`). */
  arrayBody?: string;
}

export interface BodyShape {
  /**
   * The input object the body must match: the variable's type when the whole
   * body is one variable, otherwise an object with one field per variable.
   */
  type: GraphQLInputObjectType;
  /** The variable receiving the whole body, or undefined when fields map to variables by name. */
  variable?: string;
  /** The body variable may be left out altogether (its type is nullable). */
  optional: boolean;
  /** A client must send a body (its type has fields the adapter cannot fill). */
  required: boolean;
}

export interface RequestShape {
  path: VariableSpec[];
  query: VariableSpec[];
  /** Undefined for methods without a body (GET, DELETE). */
  body?: BodyShape;
  rules: BodyRules;
}

export { operationOf };

export function variableSpecs(schema: GraphQLSchema, operation: OperationDefinitionNode): VariableSpec[] {
  return (operation.variableDefinitions ?? []).map((definition) => {
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!type) throw new Error(`unknown type for variable $${definition.variable.name.value}`);
    return {
      name: definition.variable.name.value,
      type,
      required: isNonNullType(type) && !definition.defaultValue,
      ...(definition.defaultValue ? { defaultValue: valueFromAST(definition.defaultValue, type) } : {}),
    };
  });
}

export const BODY_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH']);

export const pathParamsOf = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

export function rulesOf(route: OperationRoute): BodyRules {
  return {
    fill: route.fill ?? {},
    aliases: route.aliases ?? {},
    ignore: new Set(route.ignoreFields ?? []),
    ...(route.arrayBody ? { arrayBody: route.arrayBody } : {}),
  };
}

/** Whether an input field is one the client must send, given the route's fill rules. */
export function clientMustSend(name: string, type: GraphQLInputType, hasDefault: boolean, rules: BodyRules): boolean {
  return isNonNullType(type) && !hasDefault && !rules.fill[name];
}

/** The one function deciding what a route reads from a request (adapter and OpenAPI generator). */
export function requestShape(route: OperationRoute, schema: GraphQLSchema): RequestShape {
  const { operation } = routeOperation(route, schema);
  const specs = variableSpecs(schema, operation);
  const params = new Set(pathParamsOf(route.path));
  const rules = rulesOf(route);
  const path = specs.filter((s) => params.has(s.name));
  const rest = specs.filter((s) => !params.has(s.name));
  if (!BODY_METHODS.has(route.method)) return { path, query: rest, rules };
  const whole = route.body ? rest.find((s) => s.name === route.body) : undefined;
  if (route.body && !whole) throw new Error(`${route.method} ${route.path}: no variable $${route.body} for the body`);
  if (whole) {
    const type = getNullableType(whole.type);
    if (!isInputObjectType(type))
      throw new Error(`${route.method} ${route.path}: $${whole.name} is not an input object`);
    const others = rest.filter((s) => s !== whole);
    if (others.length)
      throw new Error(`${route.method} ${route.path}: $${others[0]?.name} has no source besides the body`);
    const body = {
      type,
      variable: whole.name,
      optional: !isNonNullType(whole.type),
      required: bodyRequired(type, rules),
    };
    return { path, query: [], body, rules };
  }
  const fields: Record<string, GraphQLInputFieldConfig> = Object.fromEntries(
    rest.map((s) => [
      s.name,
      { type: s.type, ...(s.defaultValue !== undefined ? { defaultValue: s.defaultValue } : {}) },
    ]),
  );
  const type = new GraphQLInputObjectType({ name: `${operation.name?.value ?? 'Operation'}Body`, fields });
  return { path, query: [], body: { type, optional: false, required: bodyRequired(type, rules) }, rules };
}

function bodyRequired(type: GraphQLInputObjectType, rules: BodyRules): boolean {
  return Object.values(type.getFields()).some((f) =>
    clientMustSend(f.name, f.type, f.defaultValue !== undefined, rules),
  );
}
