/**
 * The Trellis node agent (`trellis agent --url … --token …`): registers the node with a provisioning token
 * and its inventory, heartbeats, long-polls its assignments (woken by the control plane when they change,
 * and re-read every poll anyway: the reconciling fallback), starts and stops workloads through its runtime,
 * health-checks them and reports every transition. Snapshot archives travel through the control plane:
 * the agent uploads what it archived and downloads (and checks) a fork's archive before restoring it.
 * Its ingress serves each VM's `endpointUrl`
 * (`http://<address>/<vmId>/…`): public VMs to anyone, others only to a credential of the VM's organization
 * (checked by asking the control plane for the VM with the caller's own credential).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import type { Logger } from '../../../kernel/logger.ts';
import type { RunningWorkload, Runtime, WorkloadSpec } from './runtime.ts';

export interface AgentOptions {
  /** The control plane (gateway) base URL: `http://127.0.0.1:4000`. */
  url: string;
  token: string;
  name: string;
  region: string;
  gpuModelId: string;
  gpuCount: number;
  /** CPU cores reported (default: this host's); the node offers one runner slot per core to runner pools. */
  cpuCores?: number;
  runtime: Runtime;
  /** Interface the ingress binds to and advertises. */
  host: string;
  ingressPort?: number;
  log: Logger;
  /** Called once when the control plane refuses the node (token revoked, node removed). */
  onDisconnected?: (reason: string) => void;
  /**
   * Runs the agent's own operations (no caller credential) in the control plane's process: the embedded
   * node's transport (local-node.ts), without an HTTP round trip per heartbeat and poll. Unset: HTTP.
   */
  execute?: AgentExecute;
}

/** A GraphQL result as the control plane answers it. */
export interface AgentOperationResult {
  data?: unknown;
  errors?: readonly { message: string; extensions?: { code?: unknown } }[];
}

export type AgentExecute = (query: string, variables: Record<string, unknown>) => Promise<AgentOperationResult>;

interface Assignment extends WorkloadSpec {
  /** vm | replica | runner */
  kind: string;
  clusterId: string | null;
  desiredState: 'running' | 'stopped' | 'terminated';
  healthCheckPath: string;
  public: boolean;
}

interface LocalWorkload {
  generation: number;
  running?: RunningWorkload;
  state: 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';
  public: boolean;
  clusterId: string | null;
  /** A pool's runner: its stop may wait for its current job, so nobody awaits it. */
  runner?: boolean;
}

interface SnapshotTask {
  id: string;
  vmId: string;
  action: 'create' | 'delete';
}

class Disconnected extends Error {}

/** The REST envelope's error message of a refused archive transfer (or the HTTP status). */
async function failureOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

const HEALTH_TIMEOUT_MS = 60_000;
/** How much longer than a heartbeat interval a poll may take before the agent heartbeats on its own. */
const POLL_GRACE_MS = 1_000;
/** The built-in runner program a pool's runner runs (its job commands are killed at their own timeouts). */
const RUNNER_PROGRAM = new URL('./runner-workload.ts', import.meta.url).pathname;
/** A stopping runner finishes its current job: at most the longest job timeout (24 h) before SIGKILL. */
const RUNNER_DRAIN_MS = 86_400_000;

export class NodeAgent {
  nodeId = '';
  private secret = '';
  private version: string | null = null;
  private readonly workloads = new Map<string, LocalWorkload>();
  private readonly authCache = new Map<string, number>();
  private ingress?: Server;
  private address = '';
  private stopped = false;
  /** Aborts in-flight control-plane calls on stop: a long poll must not hold a shutdown for its full wait. */
  private readonly stopping = new AbortController();
  private heartbeatTimer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private readonly options: AgentOptions;
  private reconciling: Promise<void> = Promise.resolve();
  private roundRobin = 0;
  private readonly snapshotsInFlight = new Set<string>();
  /** Restores of one snapshot run one at a time: each downloads the archive to the same file and removes it. */
  private readonly restoresInFlight = new Map<string, Promise<unknown>>();

  constructor(options: AgentOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    await this.startIngress();
    const registration = await this.call<{
      agentRegister: { nodeId: string; nodeSecret: string; heartbeatSeconds: number };
    }>(
      `mutation AgentRegister($token: String!, $inventory: NodeInventoryInput!) {
        agentRegister(token: $token, inventory: $inventory) { nodeId nodeSecret heartbeatSeconds }
      }`,
      {
        token: this.options.token,
        inventory: {
          name: this.options.name,
          region: this.options.region,
          gpuModelId: this.options.gpuModelId,
          gpuCount: this.options.gpuCount,
          cpuCores: this.options.cpuCores ?? availableParallelism(),
          runtime: this.options.runtime.name,
          address: this.address,
        },
      },
    );
    this.nodeId = registration.agentRegister.nodeId;
    this.secret = registration.agentRegister.nodeSecret;
    // A watchdog, not a clock: each assignment poll counts as a heartbeat and restarts it (pollLoop), so a
    // heartbeat is sent only when the loop has not polled for an interval (a long reconcile, a failing poll).
    // The grace covers a poll that waited the full interval (the control plane caps its wait at it).
    const every = registration.agentRegister.heartbeatSeconds * 1000 + POLL_GRACE_MS;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), every);
    this.heartbeatTimer.unref();
    this.loop = this.pollLoop();
    this.options.log.info({ nodeId: this.nodeId, address: this.address }, 'node agent registered');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    clearInterval(this.heartbeatTimer);
    await this.reconciling.catch(() => undefined);
    await Promise.allSettled([...this.workloads.values()].map((w) => w.running?.stop()));
    this.workloads.clear();
    await new Promise<void>((resolve) => (this.ingress ? this.ingress.close(() => resolve()) : resolve()));
    this.ingress?.closeAllConnections();
    await this.loop?.catch(() => undefined);
  }

  // ---- control-plane calls -------------------------------------------------------------------

  private async call<T>(query: string, variables: Record<string, unknown>, authorization?: string): Promise<T> {
    const { execute } = this.options;
    const body =
      execute && !authorization
        ? await this.unlessStopped(execute(query, variables))
        : await this.overHttp(query, variables, authorization);
    const error = body.errors?.[0];
    if (error?.extensions?.code === 'unauthenticated' && !authorization) throw new Disconnected(error.message);
    if (error || !body.data) throw new Error(error?.message ?? 'the control plane answered without data');
    return body.data as T;
  }

  private async overHttp(
    query: string,
    variables: Record<string, unknown>,
    authorization?: string,
  ): Promise<AgentOperationResult> {
    const response = await fetch(`${this.options.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.any([AbortSignal.timeout(20_000), this.stopping.signal]),
    });
    const body = (await response.json().catch(() => null)) as AgentOperationResult | null;
    if (!body) throw new Error(`control plane answered ${response.status}`);
    return body;
  }

  /**
   * An in-process operation, given up on stop (as an HTTP call is aborted): a long poll parked in the
   * control plane is then left to end on its own (local-node.ts wakes it) rather than holding the stop.
   */
  private unlessStopped<R>(operation: Promise<R>): Promise<R> {
    const { signal } = this.stopping;
    return new Promise<R>((resolve, reject) => {
      const onStop = () => reject(signal.reason);
      if (signal.aborted) return onStop();
      signal.addEventListener('abort', onStop, { once: true });
      operation.then(resolve, reject).finally(() => signal.removeEventListener('abort', onStop));
    });
  }

  private disconnect(reason: string): void {
    if (this.stopped) return;
    this.options.log.warn({ nodeId: this.nodeId, reason }, 'node agent disconnected by the control plane');
    void this.stop().then(() => this.options.onDisconnected?.(reason));
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.call('mutation AgentHeartbeat($n: ID!, $s: String!) { agentHeartbeat(nodeId: $n, nodeSecret: $s) }', {
        n: this.nodeId,
        s: this.secret,
      });
    } catch (error) {
      if (error instanceof Disconnected) this.disconnect(error.message);
      else this.options.log.warn({ err: error }, 'heartbeat failed');
    }
  }

  private async report(
    id: string,
    generation: number,
    state: string,
    extra: { reason?: string; address?: string } = {},
  ) {
    try {
      await this.call(
        'mutation AgentReport($n: ID!, $s: String!, $i: AgentReportInput!) { agentReport(nodeId: $n, nodeSecret: $s, input: $i) }',
        { n: this.nodeId, s: this.secret, i: { workloadId: id, generation, state, ...extra } },
      );
    } catch (error) {
      if (error instanceof Disconnected) this.disconnect(error.message);
      else this.options.log.warn({ err: error, workloadId: id, state }, 'report failed');
    }
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        this.heartbeatTimer?.refresh();
        const data = await this.call<{
          agentAssignments: { version: string; workloads: Assignment[]; snapshots: SnapshotTask[] };
        }>(
          `query AgentAssignments($n: ID!, $s: String!, $v: String, $w: Int) {
            agentAssignments(nodeId: $n, nodeSecret: $s, version: $v, waitSeconds: $w) {
              version
              workloads { id kind clusterId generation desiredState name imageUrl containerPort containerCommand envVars diskSizeGb
                healthCheckPath healthCheckPort public restoreSnapshotId restoreSnapshotSha256 registryAuth }
              snapshots { id vmId action }
            }
          }`,
          { n: this.nodeId, s: this.secret, v: this.version, w: 8 },
        );
        this.version = data.agentAssignments.version;
        this.reconciling = this.reconcile(data.agentAssignments.workloads);
        await this.reconciling;
        for (const task of data.agentAssignments.snapshots) this.snapshotTask(task);
      } catch (error) {
        if (error instanceof Disconnected) return this.disconnect(error.message);
        if (!this.stopped) {
          this.options.log.warn({ err: error }, 'assignment poll failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    }
  }

  // ---- snapshots ----------------------------------------------------------------------------------

  /** Archives a stopped VM's files or removes a deleted archive, once per task, and reports the outcome. */
  private snapshotTask(task: SnapshotTask): void {
    if (this.snapshotsInFlight.has(task.id)) return;
    this.snapshotsInFlight.add(task.id);
    const work = async () => {
      if (task.action === 'delete') {
        await this.options.runtime.deleteSnapshot(task.id);
        return this.reportSnapshot({ snapshotId: task.id, state: 'purged' });
      }
      try {
        await this.options.runtime.snapshot(task.vmId, task.id);
        // Stored by the control plane, the snapshot is available; the local copy is no longer needed.
        await this.uploadArchive(task.id);
      } catch (error) {
        await this.reportSnapshot({ snapshotId: task.id, state: 'failed', reason: (error as Error).message });
      } finally {
        await this.options.runtime.deleteSnapshot(task.id);
      }
    };
    work()
      .catch((error) => this.options.log.warn({ err: error, snapshotId: task.id }, 'snapshot task failed'))
      .finally(() => this.snapshotsInFlight.delete(task.id));
  }

  private archiveUrl(snapshotId: string): string {
    return `${this.options.url}/v1/agent/snapshots/${encodeURIComponent(snapshotId)}/archive`;
  }

  private nodeHeaders(): Record<string, string> {
    return { 'x-trellis-node-id': this.nodeId, 'x-trellis-node-secret': this.secret };
  }

  /** Streams the archive to the control plane; it answers once stored (the snapshot is then available). */
  private async uploadArchive(snapshotId: string): Promise<void> {
    const file = this.options.runtime.snapshots.archiveOf(snapshotId);
    const { size } = await stat(file);
    const response = await fetch(this.archiveUrl(snapshotId), {
      method: 'PUT',
      headers: { ...this.nodeHeaders(), 'content-type': 'application/gzip', 'content-length': String(size) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
      signal: this.stopping.signal,
    } as RequestInit);
    if (!response.ok) throw new Error(`the control plane did not store the archive: ${await failureOf(response)}`);
    await response.body?.cancel();
  }

  /**
   * A fork's archive, downloaded into the runtime's snapshot store and kept only if its SHA-256 is the one
   * the control plane recorded (the runtime then restores it).
   */
  private async downloadArchive(snapshotId: string, sha256: string | null | undefined): Promise<void> {
    if (!sha256) throw new Error(`snapshot ${snapshotId} has no stored archive`);
    const response = await fetch(this.archiveUrl(snapshotId), {
      headers: this.nodeHeaders(),
      signal: this.stopping.signal,
    });
    if (!response.ok || !response.body)
      throw new Error(`could not download snapshot ${snapshotId}: ${await failureOf(response)}`);
    await this.options.runtime.snapshots.receive(
      snapshotId,
      Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]),
      sha256,
    );
  }

  private async oneRestoreAt<T>(snapshotId: string, restore: () => Promise<T>): Promise<T> {
    const previous = this.restoresInFlight.get(snapshotId) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(restore);
    this.restoresInFlight.set(snapshotId, current);
    try {
      return await current;
    } finally {
      if (this.restoresInFlight.get(snapshotId) === current) this.restoresInFlight.delete(snapshotId);
    }
  }

  private async reportSnapshot(input: { snapshotId: string; state: string; sizeBytes?: number; reason?: string }) {
    await this.call(
      'mutation AgentSnapshotReport($n: ID!, $s: String!, $i: AgentSnapshotReportInput!) { agentSnapshotReport(nodeId: $n, nodeSecret: $s, input: $i) }',
      { n: this.nodeId, s: this.secret, i: input },
    );
  }

  // ---- reconciling desired and actual state ---------------------------------------------------

  private async reconcile(assignments: Assignment[]): Promise<void> {
    const wanted = new Set(assignments.map((a) => a.id));
    for (const [id, local] of this.workloads)
      if (!wanted.has(id)) {
        this.workloads.delete(id);
        if (local.runner) void local.running?.stop();
        else await local.running?.stop();
      }
    await Promise.all(assignments.map((a) => this.apply(a)));
  }

  private async apply(a: Assignment): Promise<void> {
    const local = this.workloads.get(a.id);
    if (a.kind === 'runner' && a.desiredState === 'terminated') return this.drainRunner(a, local);
    if (a.desiredState === 'running') {
      if (local && local.generation === a.generation && local.state !== 'stopped') return;
      await local?.running?.stop();
      await this.run({ ...a, gpuModelId: this.options.gpuModelId, ...(a.kind === 'runner' ? this.runnerSpec(a) : {}) });
      return;
    }
    await local?.running?.stop();
    if (local) local.running = undefined;
    if (a.desiredState === 'terminated') {
      this.workloads.delete(a.id);
      await this.options.runtime.remove(a.id);
      await this.report(a.id, a.generation, 'terminated');
    } else {
      this.workloads.set(a.id, {
        generation: a.generation,
        state: 'stopped',
        public: a.public,
        clusterId: a.clusterId,
      });
      await this.report(a.id, a.generation, 'stopped');
    }
  }

  /** A pool's runner: the agent's own runner program, told where the control plane is. */
  private runnerSpec(a: Assignment): Partial<WorkloadSpec> {
    return {
      containerCommand: [process.execPath, RUNNER_PROGRAM],
      envVars: { ...a.envVars, TRELLIS_URL: this.options.url },
      stopGraceMs: RUNNER_DRAIN_MS,
    };
  }

  /**
   * Stops a runner without holding up the reconcile: SIGTERM lets it finish its current job (which may
   * take long), then its directory is removed and `terminated` reported. Repeated assignments while it
   * drains change nothing.
   */
  private async drainRunner(a: Assignment, local: LocalWorkload | undefined): Promise<void> {
    if (local?.state === 'stopping') return;
    const drained = async () => {
      await local?.running?.stop();
      if (this.workloads.get(a.id) === local) this.workloads.delete(a.id);
      await this.options.runtime.remove(a.id);
      await this.report(a.id, a.generation, 'terminated');
    };
    if (local) local.state = 'stopping';
    void drained().catch((error) => this.options.log.warn({ err: error, workloadId: a.id }, 'runner drain failed'));
  }

  private async run(a: Assignment): Promise<void> {
    const local: LocalWorkload = {
      generation: a.generation,
      state: 'starting',
      public: a.public,
      clusterId: a.clusterId,
      runner: a.kind === 'runner',
    };
    this.workloads.set(a.id, local);
    const { runtime } = this.options;
    const restoring = a.restoreSnapshotId != null && (await runtime.needsRestore(a.id));
    try {
      local.running = restoring
        ? await this.oneRestoreAt(a.restoreSnapshotId as string, async () => {
            try {
              await this.downloadArchive(a.restoreSnapshotId as string, a.restoreSnapshotSha256);
              return await runtime.start(a);
            } finally {
              // The downloaded archive served this restore only (the control plane keeps the archive).
              await runtime.deleteSnapshot(a.restoreSnapshotId as string);
            }
          })
        : await runtime.start(a);
    } catch (error) {
      local.state = 'failed';
      return this.report(a.id, a.generation, 'failed', { reason: `could not start: ${(error as Error).message}` });
    }
    const running = local.running;
    running.onExit((reason) => {
      if (this.workloads.get(a.id) !== local) return;
      local.state = 'failed';
      void this.report(a.id, a.generation, 'failed', { reason });
    });
    const healthy = await this.waitHealthy(running.port, a.healthCheckPath);
    if (this.workloads.get(a.id) !== local || local.state === 'failed') return;
    if (!healthy) {
      local.state = 'failed';
      await running.stop();
      return this.report(a.id, a.generation, 'failed', {
        reason: `health check ${a.healthCheckPath} did not answer within ${HEALTH_TIMEOUT_MS / 1000} s`,
      });
    }
    local.state = 'running';
    await this.report(a.id, a.generation, 'running', { address: this.address });
  }

  private async waitHealthy(port: number, healthPath: string): Promise<boolean> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    while (Date.now() < deadline && !this.stopped) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${healthPath}`, { signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        if (response.status < 500) return true;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  // ---- ingress: endpointUrl → the workload ------------------------------------------------------

  private async startIngress(): Promise<void> {
    this.ingress = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) =>
      this.ingress?.listen(this.options.ingressPort ?? 0, this.options.host, resolve),
    );
    const address = this.ingress.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    this.address = `${this.options.host}:${port}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/([A-Za-z0-9_-]{1,100})(\/.*)?$/.exec((req.url ?? '/').split('?')[0] as string);
    const id = match?.[1];
    if (!id) return this.refuse(res, 404, 'no such endpoint');
    const rest = (req.url ?? '/').slice(id.length + 1) || '/';
    const path = rest.startsWith('/') ? rest : `/${rest}`;
    const local = this.workloads.get(id);
    if (!local && id.startsWith('cl_')) return this.balance(id, path, req, res);
    if (local?.state !== 'running' || !local.running) return this.refuse(res, 404, 'no such endpoint');
    const allowed =
      local.public ||
      (local.clusterId
        ? await this.mayReach('cluster', local.clusterId, req.headers.authorization)
        : await this.mayReach('vm', id, req.headers.authorization));
    if (!allowed) return this.refuse(res, 401, 'this endpoint needs an API key of its organization');
    this.proxy('127.0.0.1', local.running.port, path, req, res);
  }

  /** A cluster's endpoint: round-robin over its healthy replicas (each on its node's ingress). */
  private async balance(clusterId: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(await this.mayReach('cluster', clusterId, req.headers.authorization)))
      return this.refuse(res, 401, 'this endpoint needs an API key of its organization');
    let targets: string[] = [];
    try {
      targets = (
        await this.call<{ agentClusterEndpoints: string[] }>(
          'query AgentClusterEndpoints($n: ID!, $s: String!, $c: ID!) { agentClusterEndpoints(nodeId: $n, nodeSecret: $s, clusterId: $c) }',
          { n: this.nodeId, s: this.secret, c: clusterId },
        )
      ).agentClusterEndpoints;
    } catch {
      // answered below as unavailable
    }
    if (targets.length === 0) return this.refuse(res, 503, 'no healthy replica');
    this.roundRobin = (this.roundRobin + 1) % targets.length;
    const target = targets[this.roundRobin] as string;
    const slash = target.indexOf('/');
    const [host, port] = target.slice(0, slash).split(':');
    this.proxy(host as string, Number(port), `${target.slice(slash)}${path}`, req, res);
  }

  private proxy(host: string, port: number, path: string, req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      { host, port, path, method: req.method, headers: { ...req.headers, host: `${host}:${port}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => this.refuse(res, 502, 'the workload did not answer'));
    req.pipe(upstream);
  }

  private refuse(res: ServerResponse, status: number, message: string): void {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: message }));
  }

  /** The caller's credential reads the VM or cluster through the control plane (its org's): cached 30 s. */
  private async mayReach(kind: 'vm' | 'cluster', id: string, authorization: string | undefined): Promise<boolean> {
    if (!authorization || authorization.length > 4096) return false;
    const key = createHash('sha256').update(`${id}\0${authorization}`).digest('hex');
    if ((this.authCache.get(key) ?? 0) > Date.now()) return true;
    try {
      const data = await this.call<Record<string, { id: string } | null>>(
        `query EndpointAccess($id: ID!) { ${kind}(id: $id) { id } }`,
        { id },
        authorization,
      );
      if (data[kind]?.id !== id) return false;
      if (this.authCache.size > 10_000) this.authCache.clear();
      this.authCache.set(key, Date.now() + 30_000);
      return true;
    } catch {
      return false;
    }
  }
}
