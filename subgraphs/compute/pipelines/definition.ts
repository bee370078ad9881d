/**
 * A workflow definition's nodes (seed 001 "NodeDefinition", docs/pipelines.md §Nodes): checked and normalised
 * once, when a version is created. Refused with 422 `validation_failed` naming the node (`nodes[2].dependsOn`):
 * unknown types, unknown references, cycles, bad expressions, private http targets.
 */
import { invalidField } from '../../../kernel/errors.ts';
import { parseTargetUrl } from '../../../kernel/url-guard.ts';
import { ExpressionError, parseCondition, parsePath, templatePaths } from './expressions.ts';
import { SECRETS_ROOT, secretFields, secretNameOf } from './nodes/secrets.ts';

export const NODE_TYPES = [
  'job',
  'provider',
  'http',
  'approval',
  'condition',
  'wait',
  'parallel',
  'join',
  'subworkflow',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface PipelineNode {
  id: string;
  type: NodeType;
  name?: string;
  /** Nodes that must finish first (a `condition`'s `onTrue`/`onFalse` nodes depend on it implicitly). */
  dependsOn: string[];
  /** Templated JSON handed to the node (`{{ input.x }}`, `{{ nodes.a.output.y }}`). */
  input?: unknown;
  // job
  queue?: string;
  jobType?: string;
  maxAttempts?: number;
  timeoutSeconds?: number;
  // http
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** What one call costs, in micro-dollars: tracked against the run's governance workflow (default 0). */
  costMicros?: number;
  // approval
  message?: string;
  // condition
  expr?: string;
  onTrue?: string[];
  onFalse?: string[];
  // wait
  seconds?: number;
  forInput?: boolean;
  // subworkflow
  definitionId?: string;
  // provider (a governed model call: docs/pipelines.md §Provider nodes)
  model?: string;
  /** The AI gateway provider to call (default: the model's first). */
  provider?: string;
  /** OpenAI-style chat messages (templated), or `prompt` (one user message). */
  messages?: unknown;
  prompt?: string;
  maxTokens?: number;
}

export interface TriggerSpec {
  id: string;
  /** `manual`: fired by `POST /v1/triggers/{id}/fire`; `webhook`: also by a signed POST (triggers-webhook.ts). */
  type: 'manual' | 'webhook';
  description?: string;
}

const NODE_ID = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const MAX_NODES = 100;
const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_WAIT_SECONDS = 30 * 24 * 3600;
/** $1,000,000 per call: a bound, not a price. */
const MAX_NODE_COST_MICROS = 1_000_000_000_000;
const KNOWN_KEYS = new Set([
  'id',
  'type',
  'name',
  'dependsOn',
  'input',
  'queue',
  'jobType',
  'maxAttempts',
  'timeoutSeconds',
  'url',
  'method',
  'headers',
  'body',
  'costMicros',
  'message',
  'expr',
  'onTrue',
  'onFalse',
  'seconds',
  'forInput',
  'definitionId',
  'model',
  'provider',
  'messages',
  'prompt',
  'maxTokens',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw invalidField(field, `${field} must be a list of node ids`);
  return [...new Set(value as string[])];
}

function intBetween(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    throw invalidField(field, `${field} must be an integer between ${min} and ${max}`);
  return value as number;
}

function text(value: unknown, field: string, max: number, required = false): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalidField(field, `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw invalidField(field, `${field} must be a non-empty string of at most ${max} characters`);
  return value;
}

/** Checks one node's own fields (references are checked over the whole graph afterwards). */
function normaliseNode(raw: unknown, index: number, allowPrivateTargets: boolean): PipelineNode {
  const at = `nodes[${index}]`;
  if (!isObject(raw)) throw invalidField(at, `${at} must be an object`);
  const id = raw.id;
  if (typeof id !== 'string' || !NODE_ID.test(id))
    throw invalidField(`${at}.id`, `${at}.id must start with a letter and use letters, digits, _ or - (at most 63)`);
  const where = `nodes[${index}] (${id})`;
  for (const key of Object.keys(raw))
    if (!KNOWN_KEYS.has(key)) throw invalidField(`${at}.${key}`, `${where}: unknown field "${key}"`);
  const type = raw.type;
  if (typeof type !== 'string' || !(NODE_TYPES as readonly string[]).includes(type))
    throw invalidField(`${at}.type`, `${where}: type must be one of ${NODE_TYPES.join(', ')}`);
  const node: PipelineNode = { id, type: type as NodeType, dependsOn: stringList(raw.dependsOn, `${at}.dependsOn`) };
  if (raw.name !== undefined) node.name = text(raw.name, `${at}.name`, 200);
  if (raw.input !== undefined) node.input = raw.input;
  switch (type) {
    case 'job':
      node.jobType = text(raw.jobType, `${at}.jobType`, 100, true);
      node.queue = text(raw.queue, `${at}.queue`, 100);
      node.maxAttempts = intBetween(raw.maxAttempts, `${at}.maxAttempts`, 1, 100);
      node.timeoutSeconds = intBetween(raw.timeoutSeconds, `${at}.timeoutSeconds`, 1, 7 * 24 * 3600);
      break;
    case 'http': {
      const url = text(raw.url, `${at}.url`, 2048, true) as string;
      // A templated URL is checked again, rendered, at execution; a literal one is checked now.
      if (!url.includes('{{')) {
        const parsed = parseTargetUrl(url, { allowPrivate: allowPrivateTargets });
        if (typeof parsed === 'string') throw invalidField(`${at}.url`, `${where}: ${parsed}`);
      }
      node.url = url;
      const method = (text(raw.method, `${at}.method`, 10) ?? 'POST').toUpperCase();
      if (!HTTP_METHODS.has(method))
        throw invalidField(`${at}.method`, `${where}: method must be one of GET, POST, PUT, PATCH, DELETE`);
      node.method = method;
      if (raw.headers !== undefined) {
        if (!isObject(raw.headers) || Object.values(raw.headers).some((v) => typeof v !== 'string'))
          throw invalidField(`${at}.headers`, `${where}: headers must be an object of strings`);
        node.headers = raw.headers as Record<string, string>;
      }
      if (raw.body !== undefined) node.body = raw.body;
      node.timeoutSeconds = intBetween(raw.timeoutSeconds, `${at}.timeoutSeconds`, 1, 120);
      node.costMicros = intBetween(raw.costMicros, `${at}.costMicros`, 0, MAX_NODE_COST_MICROS);
      break;
    }
    case 'approval':
      node.message = text(raw.message, `${at}.message`, 2000);
      node.timeoutSeconds = intBetween(raw.timeoutSeconds, `${at}.timeoutSeconds`, 1, MAX_WAIT_SECONDS);
      break;
    case 'condition': {
      const expr = text(raw.expr, `${at}.expr`, 1000, true) as string;
      try {
        parseCondition(expr);
      } catch (error) {
        if (error instanceof ExpressionError) throw invalidField(`${at}.expr`, `${where}: ${error.message}`);
        throw error;
      }
      node.expr = expr;
      node.onTrue = stringList(raw.onTrue, `${at}.onTrue`);
      node.onFalse = stringList(raw.onFalse, `${at}.onFalse`);
      break;
    }
    case 'wait':
      node.seconds = intBetween(raw.seconds, `${at}.seconds`, 0, MAX_WAIT_SECONDS);
      if (raw.forInput !== undefined && typeof raw.forInput !== 'boolean')
        throw invalidField(`${at}.forInput`, `${where}: forInput must be a boolean`);
      node.forInput = raw.forInput === true;
      if (node.seconds === undefined && !node.forInput)
        throw invalidField(`${at}.seconds`, `${where}: a wait node needs seconds or forInput: true`);
      break;
    case 'subworkflow':
      node.definitionId = text(raw.definitionId, `${at}.definitionId`, 100, true);
      break;
    case 'provider':
      normaliseProviderNode(raw, node, at, where);
      break;
  }
  return node;
}

const MAX_MESSAGES = 100;
const MAX_PROMPT_CHARS = 100_000;
const MAX_OUTPUT_TOKENS = 1_000_000;

/**
 * A provider node's call: `model` (required), `provider`, `maxTokens`, and exactly one of `prompt` (a templated
 * string) or `messages` (a list of `{ role, content }` objects, templated). What the model accepts is checked
 * again, rendered, by the AI gateway at execution (its `/v1/providers/execute` rules).
 */
function normaliseProviderNode(raw: Record<string, unknown>, node: PipelineNode, at: string, where: string): void {
  node.model = text(raw.model, `${at}.model`, 200, true);
  node.provider = text(raw.provider, `${at}.provider`, 100);
  node.maxTokens = intBetween(raw.maxTokens, `${at}.maxTokens`, 1, MAX_OUTPUT_TOKENS);
  if ((raw.messages === undefined) === (raw.prompt === undefined))
    throw invalidField(`${at}.messages`, `${where}: a provider node needs exactly one of messages or prompt`);
  if (raw.prompt !== undefined) node.prompt = text(raw.prompt, `${at}.prompt`, MAX_PROMPT_CHARS);
  else {
    const messages = raw.messages;
    if (
      !Array.isArray(messages) ||
      messages.length === 0 ||
      messages.length > MAX_MESSAGES ||
      messages.some((m) => !isObject(m) || typeof m.role !== 'string')
    )
      throw invalidField(
        `${at}.messages`,
        `${where}: messages must be a list of 1 to ${MAX_MESSAGES} objects with a role and content`,
      );
    node.messages = messages;
  }
}

/** Paths a node's templates and condition read, checked against the graph: `nodes.<id>` must be an ancestor. */
function referencedNodes(node: PipelineNode, at: string): string[] {
  const paths = templatePaths([node.input, node.url, node.message, node.prompt, node.messages]);
  if (node.expr) paths.push(...parseCondition(node.expr).paths);
  // Secrets are read only where they are sent (an http node's headers and body): nowhere they would be stored.
  const sent = templatePaths(secretFields(node));
  const ids: string[] = [];
  for (const [i, path] of [...paths, ...sent].entries()) {
    let segments: (string | number)[];
    try {
      segments = parsePath(path);
      if (segments[0] === SECRETS_ROOT && i >= paths.length) {
        secretNameOf(path);
        continue;
      }
    } catch (error) {
      throw invalidField(at, `${at} (${node.id}): ${(error as Error).message}`);
    }
    const root = segments[0];
    if (root === SECRETS_ROOT)
      throw invalidField(
        at,
        `${at} (${node.id}): "${path}" may be used only in an http node's headers or body (secrets are sent, never stored)`,
      );
    if (root !== 'input' && root !== 'nodes' && root !== 'run')
      throw invalidField(at, `${at} (${node.id}): "${path}" must start with input., nodes., run. or secrets.`);
    if (root === 'nodes') {
      if (typeof segments[1] !== 'string') throw invalidField(at, `${at} (${node.id}): "${path}" names no node`);
      ids.push(segments[1]);
    }
  }
  return ids;
}

/** The definition's nodes, checked: ids unique, references known, no cycle, expressions valid. */
export function validateNodes(raw: unknown, options: { allowPrivateTargets: boolean }): PipelineNode[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalidField('nodes', 'nodes must be a non-empty list');
  if (raw.length > MAX_NODES) throw invalidField('nodes', `a definition has at most ${MAX_NODES} nodes`);
  const nodes = raw.map((node, index) => normaliseNode(node, index, options.allowPrivateTargets));
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (index.has(node.id)) throw invalidField(`nodes[${i}].id`, `nodes[${i}]: the id "${node.id}" is used twice`);
    index.set(node.id, i);
  });
  const known = (id: string, field: string, i: number) => {
    if (!index.has(id)) throw invalidField(field, `nodes[${i}] (${nodes[i]?.id}): unknown node "${id}"`);
  };
  // A condition's branches depend on it.
  nodes.forEach((node, i) => {
    for (const target of [...(node.onTrue ?? []), ...(node.onFalse ?? [])]) {
      known(target, `nodes[${i}].onTrue`, i);
      const branch = nodes[index.get(target) as number] as PipelineNode;
      if (branch.id === node.id)
        throw invalidField(`nodes[${i}].onTrue`, `nodes[${i}] (${node.id}): a condition cannot branch to itself`);
      if (!branch.dependsOn.includes(node.id)) branch.dependsOn.push(node.id);
    }
  });
  nodes.forEach((node, i) => {
    for (const dep of node.dependsOn) {
      known(dep, `nodes[${i}].dependsOn`, i);
      if (dep === node.id)
        throw invalidField(`nodes[${i}].dependsOn`, `nodes[${i}] (${node.id}): a node cannot depend on itself`);
    }
  });
  const order = topologicalOrder(nodes);
  // Template references must be to ancestors: their output exists by then.
  const ancestors = ancestorSets(nodes, order);
  nodes.forEach((node, i) => {
    for (const ref of referencedNodes(node, `nodes[${i}]`)) {
      known(ref, `nodes[${i}].input`, i);
      if (!ancestors.get(node.id)?.has(ref))
        throw invalidField(
          `nodes[${i}].input`,
          `nodes[${i}] (${node.id}): reads nodes.${ref}, which is not one of its (transitive) dependencies`,
        );
    }
  });
  return nodes;
}

/** Kahn's algorithm; a cycle is a 422 naming one node on it. */
function topologicalOrder(nodes: PipelineNode[]): string[] {
  const indegree = new Map(nodes.map((n) => [n.id, n.dependsOn.length]));
  const dependents = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const node of nodes) for (const dep of node.dependsOn) dependents.get(dep)?.push(node.id);
  const ready = nodes.filter((n) => n.dependsOn.length === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const next of dependents.get(id) ?? []) {
      const left = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < nodes.length) {
    const stuck = nodes.findIndex((n) => !order.includes(n.id));
    throw invalidField(
      `nodes[${stuck}].dependsOn`,
      `nodes[${stuck}] (${nodes[stuck]?.id}): the dependencies form a cycle through this node`,
    );
  }
  return order;
}

function ancestorSets(nodes: PipelineNode[], order: string[]): Map<string, Set<string>> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const result = new Map<string, Set<string>>();
  for (const id of order) {
    const set = new Set<string>();
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      set.add(dep);
      for (const a of result.get(dep) ?? []) set.add(a);
    }
    result.set(id, set);
  }
  return result;
}

export function validateTriggers(raw: unknown): TriggerSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 20) throw invalidField('triggers', 'triggers must be a list of at most 20');
  const seen = new Set<string>();
  return raw.map((t, i) => {
    if (!isObject(t)) throw invalidField(`triggers[${i}]`, `triggers[${i}] must be an object`);
    const id = t.id;
    if (typeof id !== 'string' || !NODE_ID.test(id))
      throw invalidField(`triggers[${i}].id`, `triggers[${i}].id must start with a letter (letters, digits, _ or -)`);
    if (seen.has(id)) throw invalidField(`triggers[${i}].id`, `triggers[${i}]: the id "${id}" is used twice`);
    seen.add(id);
    const type = t.type ?? 'manual';
    if (type !== 'manual' && type !== 'webhook')
      throw invalidField(
        `triggers[${i}].type`,
        `triggers[${i}] (${id}): type must be manual or webhook (schedules are /v1/schedules)`,
      );
    const description = text(t.description, `triggers[${i}].description`, 500);
    return { id, type: type as TriggerSpec['type'], ...(description ? { description } : {}) };
  });
}

/** Nodes of a definition that are approval gates (seed 002 "describe: steps, triggers, approval gates"). */
export const approvalGates = (nodes: PipelineNode[]) => nodes.filter((n) => n.type === 'approval').map((n) => n.id);
