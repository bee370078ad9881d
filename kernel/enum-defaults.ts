/**
 * SDL default values of enums that resolvers give internal values (`NotificationType: { INFO: 'info' }`).
 *
 * `buildSubgraphSchema` reads an argument's or input field's default (`type: NotificationType = INFO`)
 * before it applies the resolvers' enum values, so the default stays the name `'INFO'` where every
 * other value of that enum is `'info'`. A resolver then receives a name it does not expect when the
 * client leaves the field out, and serialising the default throws ("Enum \"NotificationType\" cannot
 * represent value: \"INFO\""), which breaks introspection of the type and `printSchema` of the schema.
 */
import {
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';

/** Rewrites, in place, every default that names an enum value to that value's internal value; returns the schema. */
export function internalEnumDefaults(schema: GraphQLSchema): GraphQLSchema {
  const inputs: (GraphQLArgument | GraphQLInputField)[] = schema.getDirectives().flatMap((d) => d.args);
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObjectType(type)) inputs.push(...Object.values(type.getFields()));
    if (isObjectType(type) || isInterfaceType(type))
      for (const field of Object.values(type.getFields())) inputs.push(...field.args);
  }
  for (const input of inputs)
    if (input.defaultValue !== undefined)
      (input as { defaultValue: unknown }).defaultValue = internalValue(input.type, input.defaultValue);
  return schema;
}

/** `value` as it was read from the SDL, with enum names replaced by their internal values. */
function internalValue(type: GraphQLInputType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return internalValue(type.ofType, value);
  if (isEnumType(type)) return typeof value === 'string' ? (type.getValue(value)?.value ?? value) : value;
  if (isListType(type))
    return Array.isArray(value)
      ? value.map((item) => internalValue(type.ofType, item))
      : internalValue(type.ofType, value);
  if (isInputObjectType(type) && typeof value === 'object') {
    const fields = type.getFields();
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, fields[name] ? internalValue(fields[name].type, item) : item]),
    );
  }
  return value;
}
