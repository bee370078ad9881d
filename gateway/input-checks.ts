/**
 * Client input checked at the gateway, before a query plan is built, so a value
 * no subgraph can take is a 4xx naming the field here instead of a subgraph
 * 400 that surfaces as a 500:
 * - variables (every transport: POST and GET `/graphql`, the REST adapter's
 *   in-process operations) are bounded and checked like JSON bodies
 *   (kernel/json-limits.ts), then coerced against the API schema — whose
 *   custom scalars parse like the subgraphs' (kernel/scalars.ts) — stopping at
 *   the first few errors;
 * - literals in the document: strings PostgreSQL cannot store and numbers that
 *   are not finite are refused by a validation rule (scalar literals are parsed
 *   by graphql-js's own rules once the scalars are real).
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  coerceInputValue,
  type GraphQLSchema,
  isInputType,
  isNonNullType,
  typeFromAST,
  type ValidationRule,
  type VariableDefinitionNode,
} from 'graphql';
import { TrellisError } from '../kernel/errors.ts';
import { toHttpGraphQLError } from '../kernel/graphql-errors.ts';
import { checkJsonValue, fieldPath, type JsonLimits, textProblem } from '../kernel/json-limits.ts';

/** Errors reported per request: enough to fix a request, never one per key of a hostile one. */
const MAX_ERRORS = 10;
const MAX_MESSAGE_LENGTH = 300;

export interface InputProblem {
  /** `input.items[2].costMicros`: the variable and the path inside it. */
  field: string;
  message: string;
}

/** graphql-js names an unknown or missing input field only in its message; the field path should include it. */
const NAMED_FIELD = /^Field "([^"]+)" (?:is not defined by type|of required type)/;

const STOP = Symbol('enough errors');

/**
 * Coerces an operation's variables like graphql-js `getVariableValues`, but
 * gives each error a field path and stops after `maxErrors`. (`getVariableValues`
 * — which @apollo/gateway calls without `maxErrors` — formats one error per
 * unknown key with an `inspect()` of the whole object: quadratic in the keys.)
 */
export function variableProblems(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  variables: Record<string, unknown>,
  maxErrors = MAX_ERRORS,
): InputProblem[] {
  const problems: InputProblem[] = [];
  const report = (field: string, message: string) => {
    const short = message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
    problems.push({ field, message: `${field}: ${short}` });
    if (problems.length >= maxErrors) throw STOP;
  };
  try {
    for (const definition of definitions) {
      const name = definition.variable.name.value;
      const type = typeFromAST(schema, definition.type);
      if (!type || !isInputType(type)) continue; // document validation has refused it already
      if (!Object.hasOwn(variables, name)) {
        if (!definition.defaultValue && isNonNullType(type)) report(name, 'is required');
        continue;
      }
      const value = variables[name];
      if (value === null && isNonNullType(type)) {
        report(name, 'must not be null');
        continue;
      }
      coerceInputValue(value, type, (path, _invalid, error) => {
        const named = NAMED_FIELD.exec(error.message)?.[1];
        report(fieldPath([name, ...path, ...(named ? [named] : [])]), error.message);
      });
    }
  } catch (error) {
    if (error !== STOP) throw error;
  }
  return problems;
}

/**
 * The gateway's checks of an operation's variables: each value within the JSON limits, then coerced
 * to its declared type. Throws the first refusal as a TrellisError (`validation_failed` names the
 * field; the other problems ride in `details`).
 */
export function checkVariables(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  variables: Record<string, unknown>,
  limits: JsonLimits,
): void {
  // Each value on its own: a REST body is one variable's value (or several variables), a GraphQL
  // body holds them under `variables`, so these bounds are never stricter than the body's.
  for (const [name, value] of Object.entries(variables)) checkJsonValue(value, limits, [name]);
  const problems = variableProblems(schema, definitions, variables);
  const [first] = problems;
  if (!first) return;
  throw new TrellisError('validation_failed', first.message, {
    field: first.field,
    ...(problems.length > 1 ? { details: { problems } } : {}),
  });
}

/** The Apollo plugin: variables checked and coerced once the operation is known, before the gateway plans it. */
export function inputChecksPlugin<TContext extends BaseContext>(limits: JsonLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, schema }) {
          try {
            checkVariables(schema, operation?.variableDefinitions ?? [], request.variables ?? {}, limits);
          } catch (error) {
            throw toHttpGraphQLError(error);
          }
        },
      };
    },
  };
}

const notFinite = (literal: string) =>
  new TrellisError('invalid_query', `The number literal ${literal.slice(0, 40)} is not finite`);

/** Refuses literal strings PostgreSQL cannot store and literal numbers that are not finite (`1e309`). */
export const literalValuesRule: ValidationRule = (context) => ({
  StringValue(node) {
    const problem = textProblem(node.value);
    if (problem) context.reportError(new TrellisError('invalid_query', `A string literal ${problem}`));
  },
  FloatValue(node) {
    if (!Number.isFinite(Number(node.value))) context.reportError(notFinite(node.value));
  },
  IntValue(node) {
    if (!Number.isFinite(Number(node.value))) context.reportError(notFinite(node.value));
  },
});
