/** Shared by the fault tests: a second gateway replica, captured logs, small HTTP helpers. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { mountGatewayExtensions } from '../../gateway/extensions.ts';
import { type Gateway, startGateway } from '../../gateway/gateway.ts';
import type { Config, SubgraphName } from '../../kernel/config.ts';
import type { Logger } from '../../kernel/logger.ts';
import { createPlatform, type Platform } from '../../kernel/platform.ts';
import type { Json, TestPlatform } from '../harness.ts';

export interface CapturedLog {
  logger: Logger;
  // biome-ignore lint/suspicious/noExplicitAny: log lines are asserted field by field
  lines: any[];
  /** Lines at `level` (pino numbers: 40 warn, 50 error) whose message matches. */
  count(level: number, msg?: string): number;
}

/** A pino logger that keeps every line (level info and above) in memory. */
export function captureLog(): CapturedLog {
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const lines: any[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, sink),
    lines,
    count: (level, msg) => lines.filter((l) => l.level === level && (msg === undefined || l.msg === msg)).length,
  };
}

export interface Replica {
  gateway: Gateway;
  platform: Platform;
  log: CapturedLog;
  close(): Promise<void>;
}

/**
 * A second gateway process's worth of state — its own platform (bus and Redis connections),
 * credential cache and subscriptions — against the test platform's subgraphs over HTTP.
 */
export async function startReplica(
  primary: TestPlatform,
  options: { subgraphUrls?: Partial<Record<SubgraphName, string>>; config?: (config: Config) => Config } = {},
): Promise<Replica> {
  const log = captureLog();
  const base = primary.app.platform.config;
  const config = options.config ? options.config(base) : base;
  // The bus goes where the primary's does (DATABASE_URL may be a fault proxy).
  const platform = await createPlatform(config, log.logger, config.database.url ?? primary.databaseUrl);
  const subgraphUrls = {
    ...Object.fromEntries(primary.app.subgraphs.map((s) => [s.name, s.url])),
    ...options.subgraphUrls,
  } as Record<SubgraphName, string>;
  const gateway = await startGateway(platform, {
    port: 0,
    host: '127.0.0.1',
    subgraphUrls,
    extend: (parts) => mountGatewayExtensions(platform, parts),
  });
  return {
    gateway,
    platform,
    log,
    async close() {
      await gateway.close();
      await platform.close();
    },
  };
}

export interface Answer {
  status: number;
  ms: number;
  headers: Headers;
  body: Json;
}

/** One HTTP call, timed, with a bearer token (and a JSON body when given). */
export async function call(
  url: string,
  token?: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, ms: Date.now() - started, headers: response.headers, body };
}

/** A GraphQL call to `baseUrl`'s `/graphql`. */
export const graphql = (baseUrl: string, token: string, query: string, variables: Record<string, unknown> = {}) =>
  call(`${baseUrl}/graphql`, token, { body: { query, variables } });
