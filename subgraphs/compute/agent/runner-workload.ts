/**
 * The built-in runner of a runner pool (docs/compute.md#runner-pools): a loop that claims one job at a
 * time from the pool's queue with `POST /v1/jobs/claim`, runs it, heartbeats it while it runs and
 * completes or fails it. A job's `payload.command` is an argv array (no shell), run in a fresh directory
 * `jobs/<jobId>` under the runner's working directory with the runner's environment plus the job's vault
 * secrets as variables (`secretEnv`: `github.token` → `GITHUB_TOKEN`) plus `TRELLIS_JOB_ID`,
 * killed after the job's `timeoutSeconds`. Exit code 0 → complete with `{ exitCode, stdout, stderr,
 * durationMs }` (each stream's last 16 KB); anything else → fail with the same (retried as the job says);
 * no valid command → fail, not retryable. SIGTERM drains: no new claim, the running job finishes, then exit.
 *
 * Configuration (environment): TRELLIS_URL (the gateway), TRELLIS_RUNNER_QUEUE (`pool.<id>`),
 * TRELLIS_RUNNER_ID (its workerId), TRELLIS_RUNNER_POLL_MS (idle wait, default 1000), PORT (optional: a
 * health endpoint answering the runner's state, for the node agent), and one credential:
 * - TRELLIS_RUNNER_TOKEN: a pool's own runner, launched by its node agent (pool-runners.ts), calls the
 *   `runnerClaimJob` / `runnerHeartbeatJob` / `runnerFinishJob` mutations with its id and token;
 * - TRELLIS_RUNNER_KEY: any other runner, with an API key holding `jobs:work`, calls the job REST routes.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

interface ClaimedJob {
  id: string;
  payload: unknown;
  timeoutSeconds: number;
  /** The vault secrets the job names, name → value (only a claim's answer carries them). */
  secrets?: Record<string, string> | null;
}

interface Answer {
  data?: unknown;
  error?: unknown;
}

export interface RunnerSettings {
  url: string;
  /** An API key with `jobs:work` (REST job routes), or */
  key?: string;
  /** a pool runner's own token (the `runner*Job` mutations, with `workerId` as the runner id). */
  token?: string;
  queue: string;
  workerId: string;
  pollMs: number;
  workDir: string;
}

export interface CommandOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

const OUTPUT_TAIL_BYTES = 16 * 1024;
const MAX_ARGS = 1000;

/** The job's argv, or why it has none. */
export function commandOf(payload: unknown): string[] | string {
  const command = (payload as { command?: unknown } | null)?.command;
  if (!Array.isArray(command) || command.length === 0 || command.length > MAX_ARGS)
    return 'payload.command must be a non-empty array of strings (argv, no shell)';
  if (!command.every((arg) => typeof arg === 'string' && !arg.includes('\0')))
    return 'payload.command must be a non-empty array of strings (argv, no shell)';
  return command as string[];
}

/**
 * A job's secrets as environment variables: the name upper-cased, every character other than A–Z, 0–9 and
 * `_` made `_` (`github.token` → `GITHUB_TOKEN`). Two names that become one variable are refused (which
 * value the command sees would be a guess). The values are never logged: only names appear in a refusal.
 */
export function secretEnv(secrets: Record<string, string> | null | undefined): Record<string, string> | string {
  const env: Record<string, string> = {};
  const from = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets ?? {})) {
    const variable = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    const other = from.get(variable);
    if (other !== undefined) return `secrets "${other}" and "${name}" both become the variable ${variable}`;
    from.set(variable, name);
    env[variable] = value;
  }
  return env;
}

/** Keeps the last `limit` bytes of a stream. */
function tail(limit: number) {
  let kept = Buffer.alloc(0);
  return {
    push(chunk: Buffer) {
      kept = Buffer.concat([kept, chunk]);
      if (kept.length > 2 * limit) kept = kept.subarray(kept.length - limit);
    },
    text: () => kept.subarray(Math.max(0, kept.length - limit)).toString('utf8'),
  };
}

/** Runs argv in `cwd`, killed after `timeoutMs`; output tails captured. */
export function runCommand(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CommandOutcome> {
  const started = Date.now();
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    const stdout = tail(OUTPUT_TAIL_BYTES);
    const stderr = tail(OUTPUT_TAIL_BYTES);
    let timedOut = false;
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (exitCode: number | null, signal: string | null, error?: Error) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: error ? `${stderr.text()}${error.message}` : stderr.text(),
        durationMs: Date.now() - started,
        timedOut,
      });
    };
    child.once('error', (error) => finish(null, null, error));
    child.once('close', (code, signal) => finish(code, signal));
  });
}

export class Runner {
  state: 'idle' | 'running' | 'draining' | 'stopped' = 'idle';
  completed = 0;
  failed = 0;
  private wake: (() => void) | null = null;

  private readonly settings: RunnerSettings;

  constructor(settings: RunnerSettings) {
    this.settings = settings;
  }

  private async call(method: string, route: string, body: unknown): Promise<{ status: number; body: Answer | null }> {
    const response = await fetch(`${this.settings.url}${route}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.settings.key ? { authorization: `Bearer ${this.settings.key}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as Answer | null };
  }

  /** A pool runner's own mutation (its id and token are the credential); throws on an error. */
  private async asRunner(field: string, args: string, variables: Record<string, unknown>) {
    const { status, body } = await this.call('POST', '/graphql', {
      query: `mutation($r: ID!, $t: String!${args ? `, ${args}` : ''}) { ${field} }`,
      variables: { r: this.settings.workerId, t: this.settings.token, ...variables },
    });
    const answer = body as { data?: Record<string, unknown>; errors?: unknown[] } | null;
    if (status !== 200 || answer?.errors?.length || !answer?.data)
      throw new Error(`${field.split('(')[0]} answered ${status}: ${JSON.stringify(answer?.errors ?? answer)}`);
    return answer.data;
  }

  private async claim(): Promise<ClaimedJob | null> {
    if (this.settings.token) {
      const data = await this.asRunner(
        'runnerClaimJob(runnerId: $r, runnerToken: $t) { id payload timeoutSeconds secrets }',
        '',
        {},
      );
      return (data.runnerClaimJob as ClaimedJob | null) ?? null;
    }
    const { status, body } = await this.call('POST', '/v1/jobs/claim', {
      queue: this.settings.queue,
      workerId: this.settings.workerId,
      batchSize: 1,
    });
    if (status !== 200 || !Array.isArray(body?.data))
      throw new Error(`claim answered ${status}: ${JSON.stringify(body?.error ?? body)}`);
    return (body.data as ClaimedJob[])[0] ?? null;
  }

  private heartbeat(job: ClaimedJob): Promise<unknown> {
    if (this.settings.token)
      return this.asRunner('runnerHeartbeatJob(runnerId: $r, runnerToken: $t, jobId: $j) { id }', '$j: ID!', {
        j: job.id,
      }).catch(() => undefined);
    return this.call('POST', '/graphql', {
      query: 'mutation($id: ID!, $w: String) { heartbeatJob(id: $id, workerId: $w) { id } }',
      variables: { id: job.id, w: this.settings.workerId },
    }).catch(() => undefined);
  }

  /** Completes (`succeeded`) or fails the job with `detail` as its result or error. */
  private async finish(job: ClaimedJob, succeeded: boolean, detail: unknown, retryable?: boolean): Promise<void> {
    if (this.settings.token) {
      await this.asRunner(
        'runnerFinishJob(runnerId: $r, runnerToken: $t, jobId: $j, input: $i) { id }',
        '$j: ID!, $i: RunnerFinishJobInput!',
        { j: job.id, i: succeeded ? { succeeded, result: detail } : { succeeded, error: detail, retryable } },
      );
      return;
    }
    if (succeeded) await this.call('POST', `/v1/jobs/${job.id}/complete`, { result: detail });
    else await this.call('POST', `/v1/jobs/${job.id}/fail`, { error: detail, retryable });
  }

  /** Runs one claimed job to its completion or failure. */
  async execute(job: ClaimedJob): Promise<void> {
    const argv = commandOf(job.payload);
    const secrets = secretEnv(job.secrets);
    if (typeof argv === 'string' || typeof secrets === 'string') {
      this.failed++;
      await this.finish(job, false, { message: typeof argv === 'string' ? argv : String(secrets) }, false);
      return;
    }
    const dir = path.join(this.settings.workDir, 'jobs', job.id.replace(/[^A-Za-z0-9_-]/g, '_'));
    await mkdir(dir, { recursive: true });
    const beat = setInterval(() => void this.heartbeat(job), Math.max(1, job.timeoutSeconds / 3) * 1000);
    let outcome: CommandOutcome;
    try {
      const env = { ...process.env, ...secrets, TRELLIS_JOB_ID: job.id };
      outcome = await runCommand(argv, dir, env, job.timeoutSeconds * 1000);
    } finally {
      clearInterval(beat);
      await rm(dir, { recursive: true, force: true });
    }
    if (outcome.exitCode === 0) {
      this.completed++;
      await this.finish(job, true, outcome);
    } else {
      this.failed++;
      const why = outcome.timedOut
        ? `the command ran past the job's timeoutSeconds (${job.timeoutSeconds})`
        : `the command exited with ${outcome.exitCode ?? outcome.signal}`;
      await this.finish(job, false, { message: why, ...outcome });
    }
  }

  /** Claims and runs jobs until `drain()`. */
  async loop(log: (message: string) => void = () => undefined): Promise<void> {
    while (this.state === 'idle') {
      let job: ClaimedJob | null = null;
      try {
        job = await this.claim();
      } catch (error) {
        log(`runner: ${(error as Error).message}`);
      }
      if (job) {
        this.state = 'running';
        await this.execute(job).catch((error) => log(`runner: job ${job?.id}: ${(error as Error).message}`));
        if (this.state === 'running') this.state = 'idle';
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.settings.pollMs);
      });
    }
    this.state = 'stopped';
  }

  /** No new claim; the running job (if any) finishes, then `loop()` returns. */
  drain(): void {
    this.state = this.state === 'running' || this.state === 'idle' ? 'draining' : this.state;
    this.wake?.();
  }
}

function settingsFromEnv(env: NodeJS.ProcessEnv): RunnerSettings {
  const missing = ['TRELLIS_URL', 'TRELLIS_RUNNER_QUEUE'].filter((name) => !env[name]);
  if (!env.TRELLIS_RUNNER_KEY && !(env.TRELLIS_RUNNER_TOKEN && env.TRELLIS_RUNNER_ID))
    missing.push('TRELLIS_RUNNER_KEY (or TRELLIS_RUNNER_TOKEN with TRELLIS_RUNNER_ID)');
  if (missing.length) throw new Error(`runner: ${missing.join(', ')} must be set`);
  return {
    url: String(env.TRELLIS_URL).replace(/\/+$/, ''),
    key: env.TRELLIS_RUNNER_TOKEN ? undefined : env.TRELLIS_RUNNER_KEY,
    token: env.TRELLIS_RUNNER_TOKEN || undefined,
    queue: String(env.TRELLIS_RUNNER_QUEUE),
    workerId: env.TRELLIS_RUNNER_ID || `runner-${process.pid}`,
    pollMs: Number(env.TRELLIS_RUNNER_POLL_MS) || 1000,
    workDir: process.cwd(),
  };
}

if (import.meta.main) {
  const runner = new Runner(settingsFromEnv(process.env));
  const port = Number(process.env.PORT);
  const health = port
    ? createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, state: runner.state, completed: runner.completed, failed: runner.failed }));
      }).listen(port, '127.0.0.1')
    : null;
  process.on('SIGTERM', () => runner.drain());
  process.on('SIGINT', () => runner.drain());
  await runner.loop((message) => process.stderr.write(`${message}\n`));
  health?.close();
  process.exit(0);
}
