/**
 * The REST adapter's route table: each documented `/v1` path is one entry
 * mapping an HTTP method and path onto one GraphQL operation. Entries are
 * data — the adapter, the OpenAPI generator and codegen all read them.
 *
 * Variables are filled, by name, from path parameters, then query
 * parameters (GET, DELETE) or body fields (POST, PUT, PATCH) — or the whole
 * body, when `body` names a variable — and checked against the variables'
 * GraphQL types before anything executes (`request-shape.ts` decides the
 * shape; the adapter and the OpenAPI generator both read it).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SubgraphName } from '../kernel/config.ts';
import type { Platform } from '../kernel/platform.ts';
import type { Principal } from '../kernel/principal.ts';
import type { RequestMeta } from '../kernel/request-meta.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type FillRule = 'path' | 'callerOrg';

export interface RouteInput {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  principal: Principal;
}

interface RouteBase {
  method: HttpMethod;
  /** OpenAPI-style template: `/v1/orgs/{orgId}/workflows/{workflowId}`. */
  path: string;
  /** The subgraph that owns the route (routes.tsv). */
  owner: SubgraphName | 'platform';
  summary: string;
  /** Callable without credentials (the operation itself must be `@public`). */
  public?: boolean;
  /** Also accepted: SDK calls may be HMAC-signed (documented in OpenAPI). */
  signed?: boolean;
  /**
   * Served beyond the route contract (`schema/routes.tsv`, the spec's rows): why this route exists.
   * Every route outside the contract must say so (test/route-contract.test.ts); it is documented in
   * OpenAPI like any other.
   */
  beyondContract?: string;
}

/**
 * A route served by one GraphQL operation through the gateway: give exactly
 * one of `query` or `mutation` (compact: a root field path, the document is
 * built from the schema and the shared fragments — `route-operation.ts`), or
 * `operation` (a hand-written document, for the rare route that needs its own
 * selection).
 */
export interface OperationRoute extends RouteBase {
  kind?: 'operation';
  /**
   * A root Query field path: `workflow(id: $workflowId)`, `organization(id: $orgId).balance`;
   * `(...)` among a field's arguments passes its other arguments as variables of the same name.
   */
  query?: string;
  /** A root Mutation field path, as `query`: `gate(input: $input)`. */
  mutation?: string;
  /**
   * With `query`/`mutation`: the last field's selection instead of its type's
   * fragment, for a route that shows more (`'...TeamFields members { ...TeamMemberFields }'`).
   */
  select?: string;
  /** A GraphQL document with exactly one named operation (selection written by hand). */
  operation?: string;
  /** The variable that receives the whole JSON body (e.g. `input`). */
  body?: string;
  /**
   * Input fields the adapter fills rather than the client, at every level of
   * the body where the input type has them (and top-level variables):
   * `path` — the path parameter of the same name (the body may not send it);
   * `callerOrg` — optional, defaulting to the calling API key's organization.
   */
  fill?: Record<string, FillRule>;
  /**
   * Other spellings accepted for an input field, at every level of the body: `{ fullName: 'name' }`.
   * Not needed for snake_case: `expires_at` is always accepted for `expiresAt`.
   */
  aliases?: Record<string, string>;
  /** Body fields accepted and dropped (documented seed extras the operation does not read). */
  ignoreFields?: string[];
  /** A bare JSON array body is accepted as this body field (`events`: a seed sends `[…]` for `{ "events": […] }`). */
  arrayBody?: string;
  /**
   * Honour `Idempotency-Key` (a retry replays the first response). Default:
   * every POST route with a caller; public routes have no caller to scope a key to.
   */
  idempotent?: boolean;
  /**
   * What goes in the envelope's `data`: a dotted path into the GraphQL
   * result, or a function. Defaults to the compact form's field path
   * (`organization.balance`), or an operation's first root field.
   */
  result?: string | ((data: Record<string, unknown>) => unknown);
  /** Success status; defaults to 200 (201 for POST that creates, set explicitly). */
  status?: number;
  /** 202 Accepted instead, when this says so of the result (a synchronous call that did not finish in time). */
  acceptedWhen?: (value: unknown) => boolean;
  /**
   * The success status chosen from the GraphQL result instead (`status` stays the documented one): a
   * submission that returns an earlier resource for the same idempotency key answers 200, not 201.
   */
  statusOf?: (data: Record<string, unknown>) => number;
  /** `data` is a page: `{ items, nextCursor }`; `limit` and `cursor` are query parameters. */
  paginated?: boolean;
}

/** Context a custom route handler receives. */
export interface HandlerContext {
  principal: Principal;
  meta: RequestMeta;
  /** The process's platform (bus for live streams, config, logger). */
  platform: Platform;
  /** Runs a GraphQL operation as the caller, through the gateway. */
  execute(operation: string, variables?: Record<string, unknown>): Promise<{ data?: unknown; errors?: unknown[] }>;
  /**
   * Runs an operation whose every field `subgraph` owns straight on that subgraph, as the caller,
   * skipping the gateway's pipeline and planning (the gateway's `SubgraphOperation`, which still
   * applies admission control: an admitting mutation such as `execute` is refused while paused);
   * through the gateway when this process has no subgraph transport (the standalone adapter).
   */
  executeOn(
    subgraph: SubgraphName,
    operation: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: unknown; errors?: readonly unknown[] }>;
  /**
   * Registers a long-lived response (SSE) with the process's live-stream registry
   * (gateway/live-streams.ts): when identity changes the caller's credential or membership,
   * `revoked()` (it no longer authenticates) or `reauthorize(execute)` (with `execute` bound to
   * the caller as they are now) is called; on shutdown, `shutdown()`. Returns the unregister function.
   */
  watch(stream: LiveResponse): () => void;
}

export interface LiveResponse {
  reauthorize(execute: HandlerContext['execute']): Promise<void>;
  revoked(): void;
  shutdown(): void;
}

/** A route that needs raw HTTP (SSE streams, WebSocket upgrades, binary downloads). */
export interface HandlerRoute extends RouteBase {
  kind: 'handler';
  handler(req: FastifyRequest, reply: FastifyReply, context: HandlerContext): Promise<unknown>;
  /** Response media type for OpenAPI (default `application/json`). */
  produces?: string;
  /** A JSON request body for OpenAPI: a valid example (the handler checks bodies itself). */
  requestExample?: Record<string, unknown>;
  /** Errors in OpenAI's shape `{error: {message, type, param, code}}` instead of the envelope (the OpenAI surface). */
  openaiErrors?: boolean;
  /**
   * The body is not parsed: the handler streams `req.raw` itself (uploads), whatever its media type.
   * The value documents the accepted media type in OpenAPI (`application/octet-stream`).
   */
  streamedBody?: string;
  /** Success status for OpenAPI (default 200). */
  status?: number;
}

export type Route = OperationRoute | HandlerRoute;

/** Identity function that types a list of routes (and keeps route files declarative). */
export const defineRoutes = (routes: Route[]): Route[] => routes;
