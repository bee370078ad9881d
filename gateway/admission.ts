/**
 * Operator admission control (seed 002's `POST /gateway/pause|resume|reload`, served as
 * `/v1/gateway/*` to platform administrators).
 *
 * - **Paused**: the gateway refuses operations that admit new work — the root mutations in
 *   `ADMITTING_FIELDS` (SDK `gate` and `execute`, and starting workflow runs) — with 503
 *   `admission_paused`; everything else, reads included, is served, and work already admitted
 *   (a `track` settling an execution, a run in flight) continues.
 * - The state lives in PostgreSQL (`edge.admission_state`, one row), so every gateway replica and
 *   standalone REST adapter sees the same one. Each process caches it for at most
 *   `STATE_CACHE_MS`; a change is also announced on the bus so other replicas drop their copy at once.
 * - **Reload**: every gateway re-reads the supergraph file and swaps its query planner in place
 *   (Apollo's `supergraphSdl` update hook), and every process re-reads its configuration
 *   (`Platform.reloadConfiguration`: TRELLIS_ENV_FILE re-validated, the reloadable variables applied
 *   in place, the others reported as needing a restart): connections, subscriptions and requests in
 *   flight are untouched. Announced on the bus to every replica; this process reloads before answering.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionNode,
} from 'graphql';
import type { Orm } from '../kernel/database.ts';
import { TrellisError } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import type { ConfigChanges, Platform } from '../kernel/platform.ts';
import type { Principal } from '../kernel/principal.ts';

/** Root mutation fields that admit new work: refused while paused. */
export const ADMITTING_FIELDS: ReadonlySet<string> = new Set([
  // SDK executions (governance)
  'gate',
  'execute',
  // new workflow runs (compute, seed 002; docs/pipelines.md)
  'createWorkflowRun',
  'startWorkflowRun',
  'startWorkflowDefinition',
  'runWorkflowDefinition',
  'fireWorkflowTrigger',
  'resumeWorkflowSession',
  'receiveWorkflowWebhook',
  // new jobs and agent tasks (compute, seeds 001 and 004)
  'submitJob',
  'createAgentTask',
]);

export const ADMISSION_CHANNEL = 'trellis:gateway:admission';
/** How stale a process's view of the paused flag may be when a bus message was lost. */
export const STATE_CACHE_MS = 1_000;

export interface AdmissionState {
  paused: boolean;
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
}

interface BusMessage {
  kind: 'changed' | 'reload';
  origin: string;
}

export interface ReloadResult {
  /** What was re-read, by each part that reloaded in this process. */
  reloaded: string[];
  /** sha256 of the supergraph now served. */
  schemaHash?: string;
  /** Configuration variables that changed: applied in place, or waiting for a restart. */
  configuration?: ConfigChanges;
}

type ReloadHandler = () => Promise<ReloadResult>;

export class AdmissionControl {
  readonly #orm: Orm | undefined;
  readonly #platform: Platform;
  readonly #logger: Logger;
  readonly #origin = randomUUID();
  readonly #reloaders = new Set<ReloadHandler>();
  #cached: { state: AdmissionState; at: number } | undefined;
  /** The read in flight, joined by every request that finds the cache stale meanwhile. */
  #reading: { generation: number; state: Promise<AdmissionState> } | undefined;
  /** Moves on at every change: a read started before one may answer what it replaced. */
  #generation = 0;
  #unsubscribe: (() => Promise<void>) | undefined;

  private constructor(platform: Platform, orm: Orm | undefined, logger: Logger) {
    this.#platform = platform;
    this.#orm = orm;
    this.#logger = logger;
  }

  static async open(platform: Platform): Promise<AdmissionControl> {
    const logger = platform.logger.child({ component: 'admission' });
    // Imported only with a database: a gateway without one never loads the ORM and its migrations.
    const orm = platform.databaseUrl
      ? await (await import('./edge-database.ts')).openEdgeDatabase(platform.databaseUrl, logger)
      : undefined;
    const control = new AdmissionControl(platform, orm, logger);
    control.#unsubscribe = await platform.bus
      .subscribe(ADMISSION_CHANNEL, (message) => control.#onMessage(message))
      .catch((err: unknown) => {
        logger.warn({ err }, 'admission: bus unavailable; replicas see changes within the cache window');
        return undefined;
      });
    // One configuration reloader per process (platform), whatever serves the reload route there.
    control.onReload(async () => ({ reloaded: ['configuration'], configuration: platform.reloadConfiguration() }));
    return control;
  }

  /**
   * The shared state (cached for at most STATE_CACHE_MS). Without a database: never paused. When the
   * cache goes stale under a burst, the requests share one read (they each ran their own: ~150 reads
   * for a burst of 500 executes, every one holding a pooled connection the executes were waiting for).
   */
  state(): Promise<AdmissionState> {
    if (!this.#orm) return Promise.resolve({ paused: false, changedAt: null, changedBy: null, reason: null });
    if (this.#cached && Date.now() - this.#cached.at < STATE_CACHE_MS) return Promise.resolve(this.#cached.state);
    const generation = this.#generation;
    if (this.#reading?.generation === generation) return this.#reading.state;
    const reading = { generation, state: this.#read(this.#orm, generation) };
    this.#reading = reading;
    const done = () => {
      if (this.#reading === reading) this.#reading = undefined;
    };
    reading.state.then(done, done);
    return reading.state;
  }

  async #read(orm: Orm, generation: number): Promise<AdmissionState> {
    const rows: { paused: boolean; changed_at: Date | string; changed_by: string | null; reason: string | null }[] =
      await orm.em
        .getConnection()
        .execute('select paused, changed_at, changed_by, reason from admission_state where id = 1');
    const row = rows[0];
    const state: AdmissionState = row
      ? {
          paused: row.paused,
          changedAt: new Date(row.changed_at).toISOString(),
          changedBy: row.changed_by,
          reason: row.reason,
        }
      : { paused: false, changedAt: null, changedBy: null, reason: null };
    // A change since this read began withdrew what it may have read: answer it, do not keep it.
    if (generation === this.#generation) this.#cached = { state, at: Date.now() };
    return state;
  }

  /** Drops the cached state and any read in flight: the next request reads afresh. */
  #invalidate(): void {
    this.#generation++;
    this.#cached = undefined;
    this.#reading = undefined;
  }

  /** Refuses an operation naming an admitting root field while paused. */
  async assertAdmits(rootFields: Iterable<string>): Promise<void> {
    const admitting = [...rootFields].filter((field) => ADMITTING_FIELDS.has(field));
    if (admitting.length === 0) return;
    const state = await this.state();
    if (state.paused)
      throw new TrellisError(
        'admission_paused',
        'The platform operator paused admission of new runs and executions; reads are served. Retry after it resumes.',
        { details: { fields: admitting, pausedAt: state.changedAt, reason: state.reason }, retryAfter: 30 },
      );
  }

  async setPaused(paused: boolean, principal: Principal, reason: string | null): Promise<AdmissionState> {
    if (!this.#orm)
      throw new TrellisError('service_unavailable', 'Admission control needs the platform database (DATABASE_URL)');
    if (reason && reason.length > 500)
      throw new TrellisError('validation_failed', 'reason must be at most 500 characters', { field: 'reason' });
    await this.#orm.em.getConnection().execute(
      `insert into admission_state (id, paused, changed_at, changed_by, reason) values (1, ?, now(), ?, ?)
         on conflict (id) do update set paused = excluded.paused, changed_at = excluded.changed_at,
           changed_by = excluded.changed_by, reason = excluded.reason`,
      [paused, principal.userId ?? principal.id, reason],
    );
    this.#invalidate();
    this.#logger.info({ paused, by: principal.id }, paused ? 'admission paused' : 'admission resumed');
    await this.#announce('changed');
    return this.state();
  }

  /** Registers a part of this process that reloads (the gateway's supergraph); returns the unregister function. */
  onReload(handler: ReloadHandler): () => void {
    this.#reloaders.add(handler);
    return () => this.#reloaders.delete(handler);
  }

  /** Reloads this process's parts, then tells every other replica to do the same. */
  async reload(principal: Principal): Promise<ReloadResult> {
    const result = await this.#reloadHere();
    this.#logger.info({ by: principal.id, ...result }, 'reload requested');
    await this.#announce('reload');
    return result;
  }

  async close(): Promise<void> {
    await this.#unsubscribe?.().catch(() => undefined);
    await this.#orm?.close();
  }

  async #reloadHere(): Promise<ReloadResult> {
    const results = await Promise.all([...this.#reloaders].map((reload) => reload()));
    return {
      reloaded: results.flatMap((r) => r.reloaded),
      ...(results.find((r) => r.configuration)
        ? { configuration: results.find((r) => r.configuration)?.configuration }
        : {}),
      ...(results.find((r) => r.schemaHash) ? { schemaHash: results.find((r) => r.schemaHash)?.schemaHash } : {}),
    };
  }

  async #announce(kind: BusMessage['kind']): Promise<void> {
    const message: BusMessage = { kind, origin: this.#origin };
    await this.#platform.bus.publish(ADMISSION_CHANNEL, JSON.stringify(message)).catch((err: unknown) => {
      this.#logger.warn({ err, kind }, 'admission: could not announce on the bus; replicas catch up from the database');
    });
  }

  #onMessage(raw: string): void {
    let message: BusMessage;
    try {
      message = JSON.parse(raw) as BusMessage;
    } catch {
      return;
    }
    if (message.origin === this.#origin) return;
    if (message.kind === 'changed') this.#invalidate();
    if (message.kind === 'reload')
      void this.#reloadHere().catch((err: unknown) => this.#logger.error({ err }, 'reload failed'));
  }
}

const controls = new WeakMap<Platform, Promise<AdmissionControl>>();

/**
 * This process's admission control (one per platform: the gateway and an embedded REST adapter share
 * it). Closed by `closeAdmission` when the process stops.
 */
export function admissionFor(platform: Platform): Promise<AdmissionControl> {
  let control = controls.get(platform);
  if (!control) {
    control = AdmissionControl.open(platform);
    controls.set(platform, control);
    control.catch(() => controls.delete(platform));
  }
  return control;
}

export async function closeAdmission(platform: Platform): Promise<void> {
  const control = controls.get(platform);
  controls.delete(platform);
  await (await control?.catch(() => undefined))?.close();
}

/** Root field names an operation selects (through inline fragments and fragment spreads). */
function rootFieldsOf(operation: OperationDefinitionNode, document: DocumentNode): string[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet.selections);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet.selections);
      }
    }
  };
  walk(operation.selectionSet.selections);
  return names;
}

/** Per operation text (the gateway's own internal operations: a few constants), the mutation root fields it selects. */
const mutationFieldsByText = new Map<string, readonly string[]>();

/**
 * The root fields of `text`'s mutation (none for a query): what `assertAdmits` checks for an
 * operation run without the gateway's pipeline (`SubgraphOperation`).
 */
export function mutationRootFields(text: string): readonly string[] {
  let fields = mutationFieldsByText.get(text);
  if (!fields) {
    const document = parse(text);
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation',
    );
    fields = operations.flatMap((operation) => rootFieldsOf(operation, document));
    if (mutationFieldsByText.size > 1_000) mutationFieldsByText.clear();
    mutationFieldsByText.set(text, fields);
  }
  return fields;
}

/** Refuses mutations that admit new work while the operator has paused admission. */
export function admissionPlugin(control: AdmissionControl): ApolloServerPlugin<{ principal: Principal }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document }) {
          if (operation?.operation !== 'mutation') return;
          await control.assertAdmits(rootFieldsOf(operation, document));
        },
      };
    },
  };
}
