/**
 * One selection per output type, shared by every REST route: the fragment
 * `<Type>Fields`. By default it is derived from the API schema, bounded so
 * that a route can never ask for an expensive graph:
 *
 * - every scalar and enum field (and lists of them) without a required argument;
 * - value objects (types without an `id: ID!`) nested through their own
 *   fragment, when the field takes no argument at all;
 * - from an entity (a type with `id: ID!`): another entity as `{ id }`, no
 *   lists of entities (those are paged routes of their own), and lists of
 *   value objects only when these are plain records of scalars;
 * - from a value object or wrapper (a page, a payload): entities in full —
 *   `WorkflowPage.items`, `CreatedApiKey.apiKey`.
 *
 * A type a seed documents with another shape gets an override below: its
 * selection, written as GraphQL (it may spread other fragments).
 */
import {
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isRequiredArgument,
  isScalarType,
  Kind,
  parse,
  visit,
} from 'graphql';

/** Selections a seed documents, or that would otherwise reach across subgraphs for every read. */
export const FRAGMENT_OVERRIDES: Record<string, string> = {
  // Identity's own fields only: balance, VMs, workflows, webhooks and the event log are other subgraphs' reads.
  Organization: 'id name slug billingEmail createdAt updatedAt viewerRole',
  // Seed 001 `GET /v1/me`: the profile and every membership with its organization (lists have routes of their own).
  Me: 'principalId kind organizationId workflowId scopes user { ...UserFields } memberships { ...MembershipSummaryFields }',
  // Identity's answers about organizations show them (name, slug), not only their id.
  MembershipSummary: 'organizationId role organization { ...OrganizationFields }',
  InvitationAcceptance: 'invitationId role organization { ...OrganizationFields } session { ...SessionFields }',
  OnboardingResult: 'created user { ...UserFields } organization { ...OrganizationFields }',
  // A pool's answer shows its runners (workloads on nodes) with their nodes and states, as seed 003's `get` does.
  RunnerPool:
    'id orgId name poolRamGb size diskSizeGb status queue pricePerMinuteMicros activeJobs queuedJobs runners { ...PoolRunnerFields } createdAt updatedAt',
};

/**
 * Entities referenced as `{ id }` even from a wrapper: every object lives in
 * an organization, which the path already names (and whose fields would be
 * another subgraph's round trip).
 */
const REFERENCE_ONLY: ReadonlySet<string> = new Set(['Organization']);

/** Types with an `id` that describe something rather than being it (selected whole). */
const DESCRIPTIONS: ReadonlySet<string> = new Set(['EventActor', 'EventSubject']);

export const fragmentName = (typeName: string): string => `${typeName}Fields`;
/** `WorkflowFields` → `Workflow`. */
export const typeOfFragment = (name: string): string => name.replace(/Fields$/, '');

/** An entity has an identity of its own (`id: ID!`); anything else is a value object or a wrapper. */
export function isEntity(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || DESCRIPTIONS.has(type.name)) return false;
  const id = type.getFields().id;
  return !!id && isNonNullType(id.type) && getNamedType(id.type).name === 'ID';
}

const isList = (field: GraphQLField<unknown, unknown>): boolean => {
  const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(inner);
};

const isPlainRecord = (type: GraphQLObjectType): boolean =>
  Object.values(type.getFields()).every((f) => {
    const named = getNamedType(f.type);
    return isScalarType(named) || isEnumType(named);
  });

interface Fragment {
  definition: string;
  /** Fragments this one spreads (names). */
  spreads: string[];
}

type FragmentTable = Map<string, Fragment>;

const tables = new WeakMap<GraphQLSchema, FragmentTable>();

function spreadsOf(selection: string, typeName: string): string[] {
  const names: string[] = [];
  visit(parse(`fragment X on ${typeName} { ${selection} }`), {
    FragmentSpread: (node) => {
      names.push(node.name.value);
    },
  });
  return names;
}

/** The derived selection of an object type (see the file comment for the rules). */
function deriveSelection(type: GraphQLObjectType, onStack: ReadonlySet<string>): string[] {
  const entity = isEntity(type);
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some(isRequiredArgument)) continue;
    const named = getNamedType(field.type);
    if (isScalarType(named) || isEnumType(named)) {
      parts.push(field.name);
      continue;
    }
    if (!isObjectType(named) || field.args.length > 0) continue;
    if (isEntity(named)) {
      if (entity || REFERENCE_ONLY.has(named.name)) {
        if (!isList(field)) parts.push(`${field.name} { id }`);
      } else
        parts.push(
          onStack.has(named.name) ? `${field.name} { id }` : `${field.name} { ...${fragmentName(named.name)} }`,
        );
    } else if (onStack.has(named.name)) continue;
    // From an entity, a list of value objects only when they are plain records (no references to follow per item).
    else if (!entity || !isList(field) || isPlainRecord(named))
      parts.push(`${field.name} { ...${fragmentName(named.name)} }`);
  }
  // A type whose every field is out of bounds still answers something valid.
  return parts.length ? parts : ['__typename'];
}

function build(schema: GraphQLSchema, typeName: string, table: FragmentTable, stack: Set<string>): void {
  if (table.has(typeName)) return;
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`no fragment for ${typeName}: not an object type`);
  stack.add(typeName);
  const selection = FRAGMENT_OVERRIDES[typeName] ?? deriveSelection(type, stack).join(' ');
  const spreads = spreadsOf(selection, typeName);
  for (const spread of spreads) {
    const target = typeOfFragment(spread);
    if (!stack.has(target)) build(schema, target, table, stack);
  }
  stack.delete(typeName);
  table.set(typeName, {
    definition: `fragment ${fragmentName(typeName)} on ${typeName} { ${selection} }`,
    spreads,
  });
}

function tableOf(schema: GraphQLSchema): FragmentTable {
  let table = tables.get(schema);
  if (!table) {
    table = new Map();
    tables.set(schema, table);
  }
  return table;
}

/** The fragment of a type and every fragment it spreads, transitively (definitions, each once). */
export function fragmentsFor(schema: GraphQLSchema, typeNames: Iterable<string>): string[] {
  const table = tableOf(schema);
  const out = new Map<string, string>();
  const visitType = (name: string) => {
    if (out.has(name)) return;
    build(schema, name, table, new Set());
    const fragment = table.get(name) as Fragment;
    out.set(name, fragment.definition);
    for (const spread of fragment.spreads) visitType(typeOfFragment(spread));
  };
  for (const name of typeNames) visitType(name);
  return [...out.values()];
}

/** Every fragment definition in a parsed document, by name (for walkers that follow spreads). */
export function fragmentDefinitionsOf(document: {
  definitions: readonly { kind: string }[];
}): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}
