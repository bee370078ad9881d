/**
 * Which one subgraph can answer an operation by itself, read from the supergraph's join directives
 * (issue #16, `/v1/gate`). An operation every field of which one subgraph resolves — no entity
 * jump, no `@requires`, no `@external`, no overridden field, no abstract type — is planned by the
 * gateway as a single fetch of that very operation to that subgraph; the REST adapter then sends it
 * there directly (`Gateway.subgraphOperation`), without the gateway's request pipeline and planner.
 *
 * Conservative by design: anything this does not understand (interfaces, unions, fragments on
 * another type, introspection, directives other than `@skip`/`@include`, interface objects) makes the
 * operation "not single-owner", and it goes through the gateway as before.
 */
import {
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';

/** Where each object type and field of a supergraph can be resolved. */
export interface SupergraphJoins {
  /** Object types: the subgraphs that define it, and per field the subgraphs that resolve it. */
  objects: Map<string, { graphs: ReadonlySet<string>; fields: Map<string, FieldJoin> }>;
}

interface FieldJoin {
  /** The named type the field returns. */
  type: string;
  /** The subgraphs that resolve the field themselves. */
  graphs: ReadonlySet<string>;
}

const ROOT_TYPES: Record<OperationDefinitionNode['operation'], string> = {
  query: 'Query',
  mutation: 'Mutation',
  subscription: 'Subscription',
};
const PLAIN_DIRECTIVES = new Set(['skip', 'include']);

const argument = (directive: ConstDirectiveNode, name: string) =>
  directive.arguments?.find((a) => a.name.value === name)?.value;
const enumArgument = (directive: ConstDirectiveNode, name: string) => {
  const value = argument(directive, name);
  return value?.kind === Kind.ENUM ? value.value : undefined;
};
const isTrue = (directive: ConstDirectiveNode, name: string) => {
  const value = argument(directive, name);
  return value?.kind === Kind.BOOLEAN && value.value;
};
const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

/** The join directives of a supergraph SDL, with `join__Graph` values turned into subgraph names. */
export function supergraphJoins(supergraphSdl: string): SupergraphJoins {
  const document = parse(supergraphSdl, { noLocation: true });
  const names = new Map<string, string>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph')
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        const name = graph && argument(graph, 'name');
        if (name?.kind === Kind.STRING) names.set(value.name.value, name.value);
      }
  const objects: SupergraphJoins['objects'] = new Map();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const typeJoins = definition.directives?.filter((d) => d.name.value === 'join__type') ?? [];
    // An interface object stands for an interface some subgraph owns: the planner's business.
    if (typeJoins.some((d) => isTrue(d, 'isInterfaceObject'))) continue;
    const graphs = new Set(typeJoins.flatMap((d) => names.get(enumArgument(d, 'graph') ?? '') ?? []));
    const fields = new Map<string, FieldJoin>();
    for (const field of definition.fields ?? []) {
      const joins = field.directives?.filter((d) => d.name.value === 'join__field') ?? [];
      // No join__field: every subgraph defining the type resolves the field.
      const resolving =
        joins.length === 0
          ? graphs
          : new Set(
              joins
                .filter((d) => !isTrue(d, 'external') && !isTrue(d, 'usedOverridden') && !argument(d, 'requires'))
                .flatMap((d) => names.get(enumArgument(d, 'graph') ?? '') ?? []),
            );
      fields.set(field.name.value, { type: namedType(field.type), graphs: resolving });
    }
    objects.set(definition.name.value, { graphs, fields });
  }
  return { objects };
}

/**
 * The one subgraph that resolves every field of `document`'s single operation, or undefined when
 * none does alone (or the operation uses anything this analysis does not follow).
 */
export function singleOwner(joins: SupergraphJoins, document: DocumentNode): string | undefined {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || !operation) return undefined;
  const fragments = new Map(
    document.definitions
      .filter((d: DefinitionNode): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const root = joins.objects.get(ROOT_TYPES[operation.operation]);
  if (!root || operation.directives?.length) return undefined;
  let candidates: Set<string> | undefined = new Set(root.graphs);
  /** Narrows `candidates` to the subgraphs resolving every field of `selections` on `typeName`. */
  const walk = (typeName: string, selections: SelectionSetNode, depth: number): boolean => {
    const type = joins.objects.get(typeName);
    if (!type || depth > 64 || !candidates) return false;
    for (const graph of candidates) if (!type.graphs.has(graph)) candidates.delete(graph);
    for (const selection of selections.selections) {
      if (selection.directives?.some((d) => !PLAIN_DIRECTIVES.has(d.name.value))) return false;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const field = type.fields.get(name);
        if (!field) return false; // introspection, or a field of an abstract type
        for (const graph of candidates) if (!field.graphs.has(graph)) candidates.delete(graph);
        if (selection.selectionSet && !walk(field.type, selection.selectionSet, depth + 1)) return false;
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) return false;
      if (fragment.typeCondition && fragment.typeCondition.name.value !== typeName) return false;
      if (!walk(typeName, fragment.selectionSet, depth + 1)) return false;
    }
    return candidates.size > 0;
  };
  if (!walk(ROOT_TYPES[operation.operation], operation.selectionSet, 0)) candidates = undefined;
  // Several subgraphs able to answer (shared value types) is not a single owner: leave it to the planner.
  return candidates?.size === 1 ? [...candidates][0] : undefined;
}
