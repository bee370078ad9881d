/**
 * Fills an operation's variables from a REST request: by name from path
 * parameters, then query parameters, then body fields (or the whole body when
 * the route names a `body` variable), coerced to each variable's GraphQL type.
 * Query strings are text, so numbers and booleans are parsed here; anything
 * that does not fit is a 400 naming the parameter.
 */
import {
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  type OperationDefinitionNode,
  typeFromAST,
} from 'graphql';
import { TrellisError } from '../kernel/errors.ts';
import type { OperationRoute, RouteInput } from './route-table.ts';

export interface VariableSpec {
  name: string;
  type: GraphQLInputType;
  required: boolean;
}

export function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || !operations[0]?.name)
    throw new Error('a route operation must contain exactly one named operation');
  return operations[0];
}

export function variableSpecs(schema: GraphQLSchema, operation: OperationDefinitionNode): VariableSpec[] {
  return (operation.variableDefinitions ?? []).map((definition) => {
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!type) throw new Error(`unknown type for variable $${definition.variable.name.value}`);
    return {
      name: definition.variable.name.value,
      type,
      required: isNonNullType(type) && !definition.defaultValue,
    };
  });
}

const NUMERIC_SCALARS = new Set(['Int', 'Float', 'SafeInt']);

function coerceText(value: string, type: GraphQLInputType, field: string): unknown {
  const named = getNamedType(type);
  if (isScalarType(named)) {
    if (NUMERIC_SCALARS.has(named.name)) {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number) || (named.name !== 'Float' && !Number.isInteger(number)))
        throw new TrellisError(
          'invalid_request',
          `${field} must be ${named.name === 'Float' ? 'a number' : 'an integer'}`,
          {
            field,
          },
        );
      return number;
    }
    if (named.name === 'Boolean') {
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw new TrellisError('invalid_request', `${field} must be true or false`, { field });
    }
    return value;
  }
  if (isEnumType(named)) return value.toUpperCase();
  throw new TrellisError('invalid_request', `${field} cannot be given in the query string`, { field });
}

/** Query values are strings (or repeated strings); lists accept repeats or commas. */
function coerceQuery(value: string | string[], type: GraphQLInputType, field: string): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter((v) => v !== '');
    return parts.map((part) => coerceText(part, inner.ofType as GraphQLInputType, field));
  }
  return coerceText(Array.isArray(value) ? (value.at(-1) ?? '') : value, type, field);
}

export function buildVariables(
  route: OperationRoute,
  specs: VariableSpec[],
  input: RouteInput,
): Record<string, unknown> {
  if (route.variables) return route.variables(input);
  const body = input.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body)) && !route.body)
    throw new TrellisError('invalid_request', 'The request body must be a JSON object');
  const variables: Record<string, unknown> = {};
  for (const spec of specs) {
    if (spec.name in input.params) {
      variables[spec.name] = coerceText(input.params[spec.name] as string, spec.type, spec.name);
      continue;
    }
    const fromQuery = input.query[spec.name];
    if (fromQuery !== undefined) {
      variables[spec.name] = coerceQuery(fromQuery, spec.type, spec.name);
      continue;
    }
    if (route.body === spec.name) {
      if (body === undefined) continue;
      variables[spec.name] = body;
      continue;
    }
    if (body && typeof body === 'object' && spec.name in body)
      variables[spec.name] = (body as Record<string, unknown>)[spec.name];
  }
  for (const spec of specs)
    if (spec.required && variables[spec.name] === undefined)
      throw new TrellisError(
        route.body === spec.name ? 'invalid_request' : 'validation_failed',
        route.body === spec.name ? 'A JSON request body is required' : `${spec.name} is required`,
        { field: spec.name },
      );
  return variables;
}
