/**
 * The run driver: advances runs on any replica, one engine job (run-queue.ts) per advance.
 *
 * An advance is claimed from the queue engine (pg-boss, `SKIP LOCKED`, at most one active per run), so one
 * replica advances a run at a time, and a replica that dies mid-run (SIGKILL) leaves an engine lease that
 * expires: the engine re-delivers the advance to another replica (or the restarted one), which picks the run
 * up where its node rows say it stopped. Decisions (which nodes are ready,
 * whether the run ended) are taken under the run's row lock from the node rows, which are the truth; a node's
 * completion is a conditional update of its (run, node) row, so a node never completes twice. A node's
 * side effect (an http call, a model call) may repeat after a crash between the call and its completion: at least
 * once. While a process works on a run it renews the lease, so a slow node is not taken over meanwhile.
 */
import http from 'node:http';
import https from 'node:https';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../../../kernel/database.ts';
import { InFlight } from '../../../kernel/in-flight.ts';
import type { Logger } from '../../../kernel/logger.ts';
import type { ModelCalls } from '../../../kernel/model-calls.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { outboundTarget } from '../../../kernel/url-guard.ts';
import { WorkerLoop } from '../../../kernel/worker-loop.ts';
import type { JobService } from '../jobs/service.ts';
import { json, one, type Row, rows, strOrNull, withRetry } from '../sql.ts';
import type { PipelineNode } from './definition.ts';
import { parseCondition, renderTemplate, type Scope } from './expressions.ts';
import type { SecretOpener } from './nodes/secrets.ts';
import { ADVANCE_QUEUE, type RunQueue, TIMER_QUEUE } from './run-queue.ts';
import { finishRun, insertRun, runEvent } from './runs.ts';

/** The job service of this process (jobs/service.ts): a job node's job, whose terminal event carries `origin`. */
export type JobsOf = () => Pick<JobService, 'prepare' | 'submitIn'>;

export interface DriverOptions {
  orm: Orm;
  logger: Logger;
  allowPrivateTargets: boolean;
  /** Where advances are claimed from (and sent to: a subworkflow, a parent run, a timer). */
  queue: RunQueue;
  /**
   * The safety poll: advances and timers are looked for when a commit (here, or on another replica through the
   * bus) sent one, and when this process's earliest timer is due; this catches what those miss (a lost bus
   * message, a lease the engine expired, a retry's backoff).
   */
  pollMs: number;
  /** Runs advanced concurrently by one process. */
  concurrency: number;
  jobs: JobsOf;
  /** Opens the vault secrets a node sends (nodes/secrets.ts), at execution only. */
  openSecrets: SecretOpener;
  /** The governed model call of `provider` nodes (kernel/model-calls.ts); undefined where no AI gateway runs. */
  modelCalls: () => ModelCalls | undefined;
}

const MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_APPROVAL_SECONDS = 24 * 3600;

interface Started {
  node: PipelineNode;
}

export class RunDriver {
  readonly loop: WorkerLoop;
  readonly #options: DriverOptions;
  readonly #active = new Set<string>();
  /** Advances claimed and not settled yet: stop() waits for them, so none queries a closed pool. */
  readonly #inFlight = new InFlight();
  #adopted = false;

  constructor(options: DriverOptions) {
    this.#options = options;
    this.loop = new WorkerLoop({
      name: 'compute-runs',
      logger: options.logger,
      pollMs: options.pollMs,
      maxBackoffMs: 5_000,
      pass: () => this.pass(),
    });
  }

  start(): this {
    this.loop.start();
    return this;
  }

  wake(): void {
    this.loop.wake();
  }

  /** Stops claiming, then waits for the advances in flight to settle (their heartbeats stop with them). */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.#inFlight.drained();
  }

  /**
   * Turns fired timers into advances, then claims advances (up to the free concurrency) and runs them in
   * parallel; each engine job is completed when its advance returns (failed, so retried, when it throws).
   */
  async pass(): Promise<{ again?: boolean; waitMs?: number }> {
    const free = this.#options.concurrency - this.#active.size;
    if (free <= 0) return { waitMs: 20 };
    const passStart = Date.now();
    const { queue, logger } = this.#options;
    await queue.prepare();
    if (!this.#adopted) {
      await this.tx((tx) => this.adopt(tx));
      this.#adopted = true;
    }
    const timers = await this.tx((tx) => queue.fireTimers(tx, 100));
    const claimed = await this.tx((tx) => queue.fetchAdvances(tx, free));
    for (const job of claimed) {
      const runId = job.data.runId;
      this.#active.add(job.id);
      // A node may outlast the heartbeat window (a model call, a slow http call): the advance's heartbeat is
      // renewed while this process works on the run, so the engine does not re-deliver it to another replica.
      const heartbeat = setInterval(
        () => void this.tx((tx) => queue.touch(tx, job)).catch(() => undefined),
        queue.heartbeatMs,
      );
      this.#inFlight.track(
        this.advance(runId)
          .then(
            () => this.tx((tx) => queue.complete(tx, job)),
            (error: Error) => {
              logger.warn({ err: error, runId }, 'pipelines: advancing a run failed (the engine retries it)');
              return this.tx((tx) => queue.fail(tx, job, error));
            },
          )
          .catch((error) => logger.warn({ err: error, runId }, 'pipelines: settling a run advance failed'))
          .finally(() => {
            clearInterval(heartbeat);
            this.#active.delete(job.id);
            this.loop.wake();
          }),
      );
    }
    if (claimed.length === free || timers === 100) return { again: true };
    // Asleep until this process's next timer or advance retry is due (the loop's poll bounds it).
    const due = [queue.untilDue(TIMER_QUEUE, passStart), queue.untilDue(ADVANCE_QUEUE, passStart)];
    const known = due.filter((ms) => ms !== null);
    return { waitMs: known.length > 0 ? Math.min(...known) : undefined };
  }

  /**
   * Once per process start: every `running` run gets its advance (or its timer), so a run made due before
   * advances were engine jobs (migration 0011) is not stranded. A run whose advance is queued already is
   * refused by its key; one being advanced elsewhere gets one more (harmless) pass.
   */
  private async adopt(tx: EntityManager): Promise<void> {
    const running = await rows(tx, `select id, wake_at from workflow_runs where status = 'running' limit 10000`);
    for (const run of running) {
      const at = run.wake_at ? new Date(String(run.wake_at)) : null;
      if (at && at.getTime() > Date.now()) await this.#options.queue.dueAt(tx, String(run.id), at);
      else await this.#options.queue.due(tx, String(run.id));
    }
  }

  private tx<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return withRetry(() => this.#options.orm.em.fork().transactional((tx) => fn(tx as unknown as EntityManager)));
  }

  /** Steps a claimed run until it ends, waits or pauses. */
  async advance(runId: string): Promise<void> {
    for (let step = 0; step < 1000; step++) {
      // Shutting down: the nodes started so far are done; the run goes on in its next advance (any replica).
      if (this.loop.stopped) break;
      const started = await this.tx((tx) => this.decide(tx, runId));
      if (started === null) return;
      await Promise.all(started.map((s) => this.execute(runId, s.node)));
    }
    // A run of more than 1000 steps (or one this process stopped stepping) goes on in another advance (other runs
    // get their turn meanwhile).
    await this.tx((tx) => this.#options.queue.due(tx, runId));
  }

  /**
   * Under the run's lock: ends it, parks it (waiting / breakpoint), or marks the ready nodes `running` and
   * returns them for execution. Null: nothing more to do in this pass.
   */
  async decide(tx: EntityManager, runId: string): Promise<Started[] | null> {
    const run = await one(tx, 'select * from workflow_runs where id = ? for update', [runId]);
    if (run?.status !== 'running') return null;
    const orgId = String(run.org_id);
    if (run.workflow_id) {
      const state = await one(tx, 'select status from workflow_states where workflow_id = ?', [run.workflow_id]);
      if (state?.status === 'killed') {
        await finishRun(tx, run, 'failed', {
          reason: 'workflow_killed',
          error: `workflow ${run.workflow_id} was killed`,
          queue: this.#options.queue,
        });
        return null;
      }
    }
    const definition = await one(tx, 'select nodes from workflow_definitions where id = ? and version = ?', [
      run.definition_id,
      run.definition_version,
    ]);
    const nodes = (definition?.nodes ?? []) as PipelineNode[];
    const executions = new Map(
      (await rows(tx, 'select * from workflow_node_executions where run_id = ?', [runId])).map((r) => [
        String(r.node_id),
        r,
      ]),
    );

    const failed = [...executions.values()].find((e) => e.status === 'failed');
    if (failed) {
      await finishRun(tx, run, 'failed', {
        reason: 'node_failed',
        error: `node ${failed.node_id}: ${failed.error ?? 'failed'}`,
        queue: this.#options.queue,
      });
      return null;
    }
    // Timers that are due complete now.
    const now = Date.now();
    for (const e of executions.values())
      if (
        e.status === 'waiting' &&
        e.type === 'wait' &&
        e.wait_until &&
        new Date(String(e.wait_until)).getTime() <= now
      ) {
        await completeNode(tx, run, String(e.node_id), { waited: true });
        e.status = 'succeeded';
      }

    const done = (id: string) => ['succeeded', 'skipped'].includes(String(executions.get(id)?.status));
    const started: Started[] = [];
    // Nodes left `running` by a process that died: execute again (their completion is still unique).
    for (const node of nodes) if (executions.get(node.id)?.status === 'running') started.push({ node });

    const released = new Set((run.released_nodes as string[] | null) ?? []);
    const breakpoints = new Set(
      (
        await rows(
          tx,
          'select step_id from workflow_breakpoints where org_id = ? and (definition_id is null or definition_id = ?)',
          [orgId, run.definition_id],
        )
      ).map((r) => String(r.step_id)),
    );
    let changed = true;
    while (changed) {
      changed = false;
      for (const node of nodes) {
        if (executions.has(node.id) || !node.dependsOn.every(done)) continue;
        const allSkipped =
          node.dependsOn.length > 0 && node.dependsOn.every((d) => executions.get(d)?.status === 'skipped');
        if (allSkipped) {
          executions.set(node.id, await skipNode(tx, run, node));
          changed = true;
          continue;
        }
        if (breakpoints.has(node.id) && !released.has(node.id)) {
          const paused = (await one(
            tx,
            `update workflow_runs set status = 'paused_at_breakpoint', paused_node_id = ?, wake_at = null, updated_at = now()
             where id = ? returning *`,
            [node.id, runId],
          )) as Row;
          recordEvent(tx, {
            orgId,
            type: 'run.paused_at_breakpoint',
            subject: { type: 'workflow_run', id: runId },
            data: runEvent(paused, { nodeId: node.id }),
          });
          return null;
        }
        const inserted = await rows(
          tx,
          `insert into workflow_node_executions (run_id, node_id, org_id, type, status, started_at)
           values (?, ?, ?, ?, 'running', now()) on conflict do nothing returning *`,
          [runId, node.id, orgId, node.type],
        );
        if (inserted[0]) {
          executions.set(node.id, inserted[0]);
          recordEvent(tx, {
            orgId,
            type: 'run.node_started',
            subject: { type: 'workflow_run', id: runId },
            data: runEvent(run, { nodeId: node.id, nodeType: node.type }),
          });
          started.push({ node });
        }
      }
    }
    if (started.length > 0) return started;

    const all = nodes.every((n) => done(n.id));
    if (all) {
      const sinks = nodes.filter((n) => !nodes.some((m) => m.dependsOn.includes(n.id)));
      const output = Object.fromEntries(
        sinks
          .filter((n) => executions.get(n.id)?.status === 'succeeded')
          .map((n) => [n.id, executions.get(n.id)?.output ?? null]),
      );
      await finishRun(tx, run, 'succeeded', { output, queue: this.#options.queue });
      return null;
    }
    // Waiting on approvals, jobs, subworkflows, input or timers.
    const timers = [...executions.values()]
      .filter((e) => e.status === 'waiting' && e.wait_until)
      .map((e) => new Date(String(e.wait_until)).getTime());
    const wakeAt = timers.length > 0 ? new Date(Math.min(...timers)) : null;
    const waitingOn = [...executions.values()].filter((e) => e.status === 'waiting').map((e) => String(e.node_id));
    const updated = (await one(
      tx,
      `update workflow_runs set status = 'waiting', wake_at = ?, updated_at = now() where id = ? returning *`,
      [wakeAt, runId],
    )) as Row;
    recordEvent(tx, {
      orgId,
      type: 'run.waiting',
      subject: { type: 'workflow_run', id: runId },
      data: runEvent(updated, { waitingOn, wakeAt: wakeAt?.toISOString() ?? null }),
    });
    // A timer keeps the run `running` (its node waits on time, not on the outside world) and due at its end.
    if (wakeAt) {
      await tx.execute(`update workflow_runs set status = 'running' where id = ? and wake_at is not null`, [runId]);
      await this.#options.queue.dueAt(tx, runId, wakeAt);
    }
    return null;
  }

  /** Runs one node: synchronous kinds complete here; the others start waiting on the outside world. */
  async execute(runId: string, node: PipelineNode): Promise<void> {
    const em = this.#options.orm.em.fork() as unknown as EntityManager;
    const run = (await one(em, 'select * from workflow_runs where id = ?', [runId])) as Row;
    const scope = await scopeOf(em, run);
    const input = node.input === undefined ? {} : renderTemplate(node.input, scope);
    try {
      switch (node.type) {
        case 'parallel':
          return await this.complete(runId, node.id, input);
        case 'join': {
          const joined = Object.fromEntries(node.dependsOn.map((d) => [d, (scope.nodes as Scope)[d] ?? null]));
          return await this.complete(runId, node.id, joined);
        }
        case 'condition': {
          const result = parseCondition(node.expr as string).evaluate(scope);
          const skipped = result ? (node.onFalse ?? []) : (node.onTrue ?? []);
          return await this.complete(runId, node.id, { result }, skipped);
        }
        case 'http': {
          const secrets = await this.#options.openSecrets({ id: runId, orgId: String(run.org_id) }, node);
          const output = await this.callHttp(node, { ...scope, secrets }, input);
          return await this.complete(runId, node.id, output, [], node.costMicros ?? 0);
        }
        case 'wait': {
          const until = node.forInput ? null : new Date(Date.now() + (node.seconds ?? 0) * 1000);
          return await this.park(runId, node.id, { waitUntil: until });
        }
        case 'approval':
          return await this.tx(async (tx) => {
            const parked = await parkNode(tx, runId, node.id, {});
            if (!parked) return;
            recordEvent(tx, {
              orgId: String(run.org_id),
              type: 'run.approval_requested',
              subject: { type: 'workflow_run', id: runId },
              data: runEvent(run, {
                nodeId: node.id,
                message: node.message ? String(renderTemplate(node.message, scope)) : null,
                input,
                timeoutSeconds: node.timeoutSeconds ?? DEFAULT_APPROVAL_SECONDS,
              }),
            });
          });
        case 'subworkflow':
          return await this.tx(async (tx) => {
            const parked = await parkNode(tx, runId, node.id, {});
            if (!parked) return;
            const child = await one(
              tx,
              'select * from workflow_definitions where id = ? and org_id = ? order by version desc limit 1',
              [node.definitionId, run.org_id],
            );
            if (!child) throw new Error(`subworkflow definition ${node.definitionId} no longer exists`);
            const childInput =
              input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
            const created = await insertRun(tx, {
              orgId: String(run.org_id),
              definition: child,
              input: childInput,
              workflowId: strOrNull(run.workflow_id),
              sessionId: null,
              key: null,
              hash: null,
              start: true,
              origin: { parentRunId: runId, parentNodeId: node.id },
              createdBy: `run:${runId}`,
              queue: this.#options.queue,
            });
            await tx.execute('update workflow_node_executions set job_id = ? where run_id = ? and node_id = ?', [
              created.id,
              runId,
              node.id,
            ]);
            recordEvent(tx, {
              orgId: String(run.org_id),
              type: 'run.started',
              subject: { type: 'workflow_run', id: String(created.id) },
              data: runEvent(created, { parentRunId: runId, parentNodeId: node.id }),
            });
          });
        case 'job': {
          const jobs = this.#options.jobs();
          const prepared = await jobs.prepare(String(run.org_id), {
            queue: node.queue ?? 'default',
            type: node.jobType as string,
            payload: input,
            maxAttempts: node.maxAttempts,
            timeoutSeconds: node.timeoutSeconds,
            workflowId: strOrNull(run.workflow_id),
            // A driver that died after submitting submits again with the same key: one job.
            idempotencyKey: `run:${runId}:${node.id}`,
            origin: { runId, nodeId: node.id },
          });
          return await this.tx(async (tx) => {
            const locked = await one(
              tx,
              'select status from workflow_node_executions where run_id = ? and node_id = ? for update',
              [runId, node.id],
            );
            if (locked?.status !== 'running') return;
            const { job } = await jobs.submitIn(tx, String(run.org_id), prepared, {});
            await tx.execute(
              `update workflow_node_executions set status = 'waiting', job_id = ? where run_id = ? and node_id = ? and status = 'running'`,
              [job.id, runId, node.id],
            );
          });
        }
        case 'provider': {
          const output = await this.callModel(run, node, scope);
          // The call tracked its cost against the workflow itself (governance `track`): the run counts it, once.
          return await this.complete(runId, node.id, output, [], output.costMicros, { tracked: true });
        }
      }
    } catch (error) {
      await this.fail(runId, node.id, (error as Error).message);
    }
  }

  private complete(
    runId: string,
    nodeId: string,
    output: unknown,
    skip: string[] = [],
    costMicros = 0,
    cost: { tracked: boolean } = { tracked: false },
  ): Promise<void> {
    return this.tx(async (tx) => {
      const run = (await one(tx, 'select * from workflow_runs where id = ?', [runId])) as Row;
      if (!(await completeNode(tx, run, nodeId, output, costMicros, cost))) return;
      for (const id of skip) await skipNode(tx, run, { id, type: 'skipped' } as never);
    });
  }

  private park(runId: string, nodeId: string, options: { waitUntil: Date | null }): Promise<void> {
    return this.tx(async (tx) => {
      await parkNode(tx, runId, nodeId, options);
    });
  }

  private fail(runId: string, nodeId: string, message: string): Promise<void> {
    return this.tx(async (tx) => {
      const failed = await rows(
        tx,
        `update workflow_node_executions set status = 'failed', error = ?, finished_at = now()
         where run_id = ? and node_id = ? and status in ('running', 'waiting') returning *`,
        [message.slice(0, 1000), runId, nodeId],
      );
      if (!failed[0]) return;
      const run = (await one(tx, 'select * from workflow_runs where id = ?', [runId])) as Row;
      recordEvent(tx, {
        orgId: String(run.org_id),
        type: 'run.node_failed',
        subject: { type: 'workflow_run', id: runId },
        data: runEvent(run, { nodeId, error: message.slice(0, 1000) }),
      });
    });
  }

  /**
   * A provider node's model call, through the AI gateway's governed path (the same as `/v1/providers/execute`):
   * a governance refusal (killed or paused workflow, DENY policy, exhausted budget) or a missing upstream
   * rejects before any upstream request, and the node fails with that reason.
   */
  private async callModel(run: Row, node: PipelineNode, scope: Scope) {
    const calls = this.#options.modelCalls();
    if (!calls)
      throw new Error(
        'provider nodes need the AI gateway in the same process as compute (the all-in-one platform); this process has none',
      );
    const rendered = (value: unknown) => (value === undefined ? undefined : renderTemplate(value, scope));
    const prompt = rendered(node.prompt);
    const result = await calls({
      orgId: String(run.org_id),
      workflowId: strOrNull(run.workflow_id),
      model: node.model as string,
      provider: node.provider,
      messages: rendered(node.messages),
      prompt: prompt === undefined ? undefined : typeof prompt === 'string' ? prompt : JSON.stringify(prompt),
      maxTokens: node.maxTokens,
      origin: `pipeline:${run.id}/${node.id}`,
    }).catch((error: Error & { code?: string; extensions?: { details?: { reason?: string } } }) => {
      const reason = error.extensions?.details?.reason;
      throw new Error(`${error.code ?? 'failed'}${reason ? ` (${reason})` : ''}: ${error.message}`);
    });
    return {
      output: result.output,
      usage: result.usage,
      costMicros: result.costMicros,
      provider: result.provider,
      model: result.model,
      executionId: result.executionId,
    };
  }

  /** An http node's call, through the outbound URL guard (the webhook rules): no private targets, no redirects. */
  private callHttp(node: PipelineNode, scope: Scope, input: unknown): Promise<Record<string, unknown>> {
    const url = String(renderTemplate(node.url, scope));
    const guarded = outboundTarget(url, this.#options.allowPrivateTargets);
    if ('problem' in guarded) return Promise.reject(new Error(`blocked: ${guarded.problem}`));
    const method = node.method ?? 'POST';
    const headers = (renderTemplate(node.headers ?? {}, scope) ?? {}) as Record<string, string>;
    const bodyValue =
      node.body !== undefined
        ? renderTemplate(node.body, scope)
        : method === 'GET' || method === 'DELETE'
          ? undefined
          : input;
    const body =
      bodyValue === undefined ? undefined : typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue);
    const timeoutMs = (node.timeoutSeconds ?? 30) * 1000;
    const transport = guarded.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(guarded.url, {
        method,
        agent: false,
        lookup: guarded.lookup as never,
        headers: {
          ...headers,
          ...(body !== undefined
            ? {
                'content-type': headers['content-type'] ?? 'application/json',
                'content-length': String(Buffer.byteLength(body)),
              }
            : {}),
          'user-agent': 'Trellis-Pipelines/1',
        },
      });
      const timer = setTimeout(() => request.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8').replaceAll('\u0000', '');
          let parsed: unknown = text;
          if (String(response.headers['content-type'] ?? '').includes('json'))
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          if (status < 200 || status >= 300) reject(new Error(`HTTP ${status} from ${guarded.url.host}`));
          else resolve({ status, body: parsed, truncated: size > MAX_RESPONSE_BYTES });
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(error.code === 'EBLOCKED' ? new Error(`blocked: ${error.message}`) : error);
      });
      request.end(body);
    });
  }
}

/** What templates and conditions read: the run's input, its nodes' outputs, the run itself. */
async function scopeOf(em: EntityManager, run: Row): Promise<Scope> {
  const nodes = await rows(em, 'select node_id, status, output from workflow_node_executions where run_id = ?', [
    run.id,
  ]);
  return {
    input: run.input ?? {},
    nodes: Object.fromEntries(nodes.map((n) => [String(n.node_id), { status: n.status, output: n.output ?? null }])),
    run: { id: run.id, definitionId: run.definition_id, workflowId: run.workflow_id ?? null },
  };
}

/**
 * Completes a node once: false when it was already complete (another driver, or a replay). Its cost is added to
 * the run's spend once, with the completion, and carried by `run.node_completed`. Who tracks it against the
 * run's workflow: governance's `governance.run-spend`, for an http node's declared `costMicros`; the call itself
 * for a provider node (`tracked`: its governed model call ran `track`), which the event says (`costTracked`) so
 * the consumer does not count it twice.
 */
export async function completeNode(
  tx: EntityManager,
  run: Row,
  nodeId: string,
  output: unknown,
  costMicros = 0,
  cost: { tracked: boolean } = { tracked: false },
): Promise<boolean> {
  const done = await rows(
    tx,
    `update workflow_node_executions set status = 'succeeded', output = ?::jsonb, cost_micros = ?, finished_at = now()
     where run_id = ? and node_id = ? and status in ('running', 'waiting') returning node_id`,
    [json(output ?? null), costMicros, run.id, nodeId],
  );
  if (!done[0]) return false;
  if (costMicros > 0)
    await tx.execute('update workflow_runs set spend_micros = spend_micros + ? where id = ?', [costMicros, run.id]);
  recordEvent(tx, {
    orgId: String(run.org_id),
    type: 'run.node_completed',
    subject: { type: 'workflow_run', id: String(run.id) },
    data: runEvent(run, {
      nodeId,
      output: output ?? null,
      ...(costMicros > 0 ? { costMicros, ...(cost.tracked ? { costTracked: true } : {}) } : {}),
    }),
  });
  return true;
}

async function skipNode(tx: EntityManager, run: Row, node: Pick<PipelineNode, 'id' | 'type'>): Promise<Row> {
  const inserted = await rows(
    tx,
    `insert into workflow_node_executions (run_id, node_id, org_id, type, status, started_at, finished_at)
     values (?, ?, ?, ?, 'skipped', now(), now()) on conflict do nothing returning *`,
    [run.id, node.id, run.org_id, node.type],
  );
  if (inserted[0])
    recordEvent(tx, {
      orgId: String(run.org_id),
      type: 'run.node_skipped',
      subject: { type: 'workflow_run', id: String(run.id) },
      data: runEvent(run, { nodeId: node.id }),
    });
  return inserted[0] ?? { node_id: node.id, status: 'skipped' };
}

/** Moves a running node to `waiting` (false when it is not running any more). */
async function parkNode(
  tx: EntityManager,
  runId: string,
  nodeId: string,
  options: { waitUntil?: Date | null },
): Promise<boolean> {
  const parked = await rows(
    tx,
    `update workflow_node_executions set status = 'waiting', wait_until = ?
     where run_id = ? and node_id = ? and status = 'running' returning node_id`,
    [options.waitUntil ?? null, runId, nodeId],
  );
  return parked.length > 0;
}

/**
 * Completes (or fails) a waiting node from outside (an approval decision, a finished job) and makes its run
 * due. Runs in the caller's transaction; false when the node was not waiting (a redelivery).
 */
export async function settleWaitingNode(
  tx: EntityManager,
  queue: RunQueue,
  runId: string,
  nodeId: string,
  outcome: { ok: true; output: unknown } | { ok: false; error: string; output?: unknown },
): Promise<boolean> {
  const run = await one(tx, 'select * from workflow_runs where id = ? for update', [runId]);
  if (!run) return false;
  const settled = outcome.ok
    ? await completeNode(tx, run, nodeId, outcome.output)
    : (
        await rows(
          tx,
          `update workflow_node_executions set status = 'failed', error = ?, output = ?::jsonb, finished_at = now()
           where run_id = ? and node_id = ? and status = 'waiting' returning node_id`,
          [outcome.error, json(outcome.output ?? null), runId, nodeId],
        )
      ).length > 0;
  if (!settled) return false;
  if (!outcome.ok)
    recordEvent(tx, {
      orgId: String(run.org_id),
      type: 'run.node_failed',
      subject: { type: 'workflow_run', id: runId },
      data: runEvent(run, { nodeId, error: outcome.error }),
    });
  const due = await rows(
    tx,
    `update workflow_runs set status = 'running', wake_at = now(), updated_at = now() where id = ? and status in ('waiting', 'running') returning id`,
    [runId],
  );
  if (due[0]) await queue.due(tx, runId);
  return true;
}
