/**
 * `Idempotency-Key`, as Stripe honours it: the first request with a key runs
 * and its response (status, headers, body) is kept; a retry with the same key
 * and the same body gets that response again (`Idempotent-Replayed: true`),
 * the same key with another body is a 409 `idempotency_conflict`. A retry that
 * arrives while the first is still running waits for it (up to a few seconds,
 * then a 409 `idempotency_in_progress` with `Retry-After`), so concurrent
 * duplicates create one resource.
 *
 * Keys are scoped to the caller (API key or user), the method and the path,
 * and kept for TRELLIS_IDEMPOTENCY_TTL_HOURS in the edge's PostgreSQL schema:
 * shared by every replica, and independent of Redis. The claim is one
 * `insert … on conflict` statement; a claim whose process died is taken over
 * once its lease ends. Responses that say "try again" (429, 5xx) are not kept,
 * so the retry runs again.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Orm } from '../kernel/database.ts';
import { TrellisError } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import type { RestResponse } from './envelope.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** 1–255 printable ASCII characters. */
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;

export interface IdempotentRequest {
  /** Caller + method + path. */
  scope: string;
  key: string;
  /** Hash of what the request asks for (its body); a retry must match it. */
  fingerprint: string;
}

export interface IdempotencyOptions {
  ttlHours: number;
  /** How long a claim holds before another replica may take it over (a crashed first request). */
  leaseSeconds?: number;
  /** How long a concurrent retry waits for the first request before answering 409. */
  waitMs?: number;
  sweepIntervalMs?: number;
}

/** The header's value, validated; undefined when the request has none. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers[IDEMPOTENCY_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !VALID_KEY.test(value))
    throw new TrellisError('invalid_request', 'Idempotency-Key must be 1 to 255 printable ASCII characters', {
      field: 'Idempotency-Key',
    });
  return value;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export const fingerprintOf = (body: unknown): string =>
  createHash('sha256')
    .update(body === undefined ? '' : canonicalJson(body))
    .digest('hex');

/** Responses a retry should re-run rather than replay: rate limits and server-side failures. */
const worthKeeping = (status: number) => status < 500 && status !== 429;

interface Row {
  fingerprint: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_headers: Record<string, string> | string | null;
  response_body: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class IdempotencyStore {
  private readonly orm: Orm | undefined;
  private readonly logger: Logger;
  private readonly ttlHours: number;
  private readonly leaseSeconds: number;
  private readonly waitMs: number;
  private readonly sweeper: NodeJS.Timeout | undefined;

  /** Without a database (a gateway started without DATABASE_URL) keys are refused with 503. */
  constructor(orm: Orm | undefined, logger: Logger, options: IdempotencyOptions) {
    this.orm = orm;
    this.logger = logger;
    this.ttlHours = options.ttlHours;
    this.leaseSeconds = options.leaseSeconds ?? 60;
    this.waitMs = options.waitMs ?? 10_000;
    if (orm) {
      this.sweeper = setInterval(() => void this.sweep(), options.sweepIntervalMs ?? 10 * 60_000);
      this.sweeper.unref();
    }
  }

  /** Runs `execute` once per key; retries get its response replayed. */
  async run(request: IdempotentRequest, execute: () => Promise<RestResponse>): Promise<RestResponse> {
    const deadline = Date.now() + this.waitMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      const owner = await this.claim(request);
      if (owner) return this.runClaimed(request, owner, execute);
      const row = await this.read(request);
      if (!row) continue; // expired and swept in between: claim again
      if (row.fingerprint !== request.fingerprint)
        throw new TrellisError(
          'idempotency_conflict',
          'This Idempotency-Key was used with another request body; use a new key for a new request',
          { field: 'Idempotency-Key' },
        );
      if (row.state === 'done') return replayOf(row);
      if (Date.now() + delay > deadline)
        throw new TrellisError(
          'idempotency_in_progress',
          'A request with this Idempotency-Key is still in progress; retry shortly',
          { field: 'Idempotency-Key', retryAfter: 1 },
        );
      await sleep(delay);
    }
  }

  private async runClaimed(request: IdempotentRequest, owner: string, execute: () => Promise<RestResponse>) {
    let response: RestResponse;
    try {
      response = await execute();
    } catch (error) {
      await this.release(request, owner);
      throw error;
    }
    if (worthKeeping(response.status)) await this.complete(request, owner, response);
    else await this.release(request, owner);
    return response;
  }

  private async query<T>(text: string, params: unknown[]): Promise<T[]> {
    if (!this.orm) throw new TrellisError('service_unavailable', 'Idempotency keys are not available on this server');
    try {
      return (await this.orm.em.getConnection().execute(text, params)) as T[];
    } catch (error) {
      this.logger.warn({ err: error }, 'idempotency store unavailable');
      throw new TrellisError('service_unavailable', 'Idempotency keys are unavailable; retry shortly', {
        retryAfter: 1,
        cause: error,
      });
    }
  }

  /**
   * Claims the key: a new key, an expired record, or a claim whose lease ran
   * out (same request only). Returns the owner token, or undefined when another
   * request holds or finished it.
   */
  private async claim({ scope, key, fingerprint }: IdempotentRequest): Promise<string | undefined> {
    const owner = randomUUID();
    const rows = await this.query<{ owner: string }>(
      `insert into idempotency_keys as k (scope, key, fingerprint, state, owner, lease_until, created_at, expires_at)
       values (?, ?, ?, 'in_flight', ?, now() + make_interval(secs => ?), now(), now() + make_interval(hours => ?))
       on conflict (scope, key) do update set
         fingerprint = excluded.fingerprint, state = 'in_flight', owner = excluded.owner,
         lease_until = excluded.lease_until, response_status = null, response_headers = null,
         response_body = null, created_at = excluded.created_at, expires_at = excluded.expires_at
       where k.expires_at <= now()
          or (k.state = 'in_flight' and k.lease_until <= now() and k.fingerprint = excluded.fingerprint)
       returning k.owner`,
      [scope, key, fingerprint, owner, this.leaseSeconds, this.ttlHours],
    );
    return rows[0]?.owner === owner ? owner : undefined;
  }

  private async read({ scope, key }: IdempotentRequest): Promise<Row | undefined> {
    const rows = await this.query<Row>(
      `select fingerprint, state, response_status, response_headers, response_body
       from idempotency_keys where scope = ? and key = ? and expires_at > now()`,
      [scope, key],
    );
    return rows[0];
  }

  private async complete({ scope, key }: IdempotentRequest, owner: string, response: RestResponse) {
    await this.query(
      `update idempotency_keys set state = 'done', lease_until = null, response_status = ?,
         response_headers = ?::jsonb, response_body = ?
       where scope = ? and key = ? and owner = ?`,
      [response.status, JSON.stringify(response.headers), response.body ?? null, scope, key, owner],
    ).catch((error: unknown) => {
      // The response itself is fine; the retry will run again once the lease ends.
      this.logger.warn({ err: error }, 'could not keep an idempotent response');
    });
  }

  private async release({ scope, key }: IdempotentRequest, owner: string) {
    await this.query('delete from idempotency_keys where scope = ? and key = ? and owner = ?', [
      scope,
      key,
      owner,
    ]).catch((error: unknown) => this.logger.warn({ err: error }, 'could not release an idempotency key'));
  }

  /** Deletes expired records (each replica sweeps; the statement is idempotent). */
  async sweep(): Promise<number> {
    try {
      const rows = await this.query<{ n: number }>(
        'with gone as (delete from idempotency_keys where expires_at <= now() returning 1) select count(*)::int as n from gone',
        [],
      );
      return rows[0]?.n ?? 0;
    } catch {
      return 0; // logged by query(); the next sweep tries again
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

function replayOf(row: Row): RestResponse {
  const headers =
    typeof row.response_headers === 'string'
      ? (JSON.parse(row.response_headers) as Record<string, string>)
      : (row.response_headers ?? {});
  return {
    status: row.response_status ?? 200,
    headers: { ...headers, [REPLAYED_HEADER]: 'true' },
    ...(row.response_body !== null ? { body: row.response_body } : {}),
  };
}
