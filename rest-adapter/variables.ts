/**
 * Fills an operation's variables from a REST request, in the shape
 * `request-shape.ts` decides: path parameters, query parameters (text, so
 * numbers, booleans and lists are parsed here; a value that does not fit is a
 * 400 naming the parameter) and the JSON body, checked field by field against
 * the input types (a missing, mistyped or unknown field is a 422 naming the
 * body path the client sent).
 */
import { type GraphQLInputType, getNamedType, isEnumType, isListType, isNonNullType, isScalarType } from 'graphql';
import { TrellisError } from '../kernel/errors.ts';
import { type CoerceContext, coerceValue, describeScalar, type FieldError, INVALID, snakeCaseOf } from './coerce.ts';
import type { BodyShape, RequestShape } from './request-shape.ts';
import type { RouteInput } from './route-table.ts';

export { operationOf, type VariableSpec, variableSpecs } from './request-shape.ts';

const NUMERIC_SCALARS = new Set(['Int', 'Float', 'SafeInt']);

const invalidParameter = (field: string, message: string) => new TrellisError('invalid_request', message, { field });

/** A path or query value (text) as the variable's type wants it. */
function coerceText(value: string, type: GraphQLInputType, field: string): unknown {
  const named = getNamedType(type);
  if (isEnumType(named)) {
    const match = named.getValues().find((v) => v.name.toLowerCase() === value.toLowerCase());
    if (!match)
      throw invalidParameter(
        field,
        `${field} must be one of ${named
          .getValues()
          .map((v) => v.name.toLowerCase())
          .join(', ')}`,
      );
    return match.name;
  }
  if (!isScalarType(named)) throw invalidParameter(field, `${field} cannot be given in the query string`);
  let parsed: unknown = value;
  if (NUMERIC_SCALARS.has(named.name)) parsed = value.trim() === '' ? Number.NaN : Number(value);
  else if (named.name === 'Boolean') parsed = value === 'true' ? true : value === 'false' ? false : value;
  try {
    if (named.parseValue(parsed) !== undefined) return parsed;
  } catch {
    // answered below in REST terms
  }
  throw invalidParameter(field, `${field} must be ${describeScalar(named)}`);
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

function validationFailed(errors: FieldError[]): TrellisError {
  const [first] = errors as [FieldError];
  return new TrellisError('validation_failed', first.message, {
    field: first.field,
    details: { errors },
  });
}

const callerOrgOf = (input: RouteInput): string | undefined => input.principal.orgId;

/** The body's variables: the whole body as one variable, or one variable per body field. */
function bodyVariables(
  shape: BodyShape,
  context: Omit<CoerceContext, 'errors'>,
  body: unknown,
): Record<string, unknown> {
  const arrayField = context.rules.arrayBody;
  if (Array.isArray(body) && arrayField) return bodyVariables(shape, context, { [arrayField]: body });
  const absent = body === undefined || body === null;
  if (!absent && (typeof body !== 'object' || Array.isArray(body)))
    throw new TrellisError('invalid_request', 'The request body must be a JSON object');
  // An optional body variable is simply left out when there is no body.
  if (absent && shape.optional) return {};
  const ctx: CoerceContext = { ...context, errors: [] };
  const value = coerceValue(absent ? {} : body, shape.type, [], ctx);
  if (ctx.errors.length || value === INVALID) throw validationFailed(ctx.errors);
  return shape.variable ? { [shape.variable]: value } : (value as Record<string, unknown>);
}

export function buildVariables(shape: RequestShape, input: RouteInput): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const spec of shape.path) variables[spec.name] = coerceText(input.params[spec.name] ?? '', spec.type, spec.name);
  for (const spec of shape.query) {
    // `?include_revoked=` as well as `?includeRevoked=` (seed 004 spells parameters in snake_case).
    const raw = input.query[spec.name] ?? input.query[snakeCaseOf(spec.name)];
    if (raw !== undefined) variables[spec.name] = coerceQuery(raw, spec.type, spec.name);
    else if (shape.rules.fill[spec.name] === 'callerOrg') {
      const org = callerOrgOf(input);
      if (!org)
        throw validationFailed([
          { field: spec.name, message: `${spec.name} is required (an API key defaults to its own organization)` },
        ]);
      variables[spec.name] = org;
    } else if (spec.required) throw validationFailed([{ field: spec.name, message: `${spec.name} is required` }]);
  }
  if (shape.body)
    Object.assign(
      variables,
      bodyVariables(
        shape.body,
        { rules: shape.rules, params: input.params, callerOrg: callerOrgOf(input) },
        input.body,
      ),
    );
  return variables;
}
