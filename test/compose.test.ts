/**
 * No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked statically:
 * every command is one the CLI has, every environment variable one the configuration reads
 * (and the values pass its validation), dependencies exist and wait on a condition, every
 * service has a health check on its own port, published ports do not clash, and no secret is
 * written into the file. The checks are a function returning problems, so the tests below also
 * show they catch each kind of mistake.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS, SERVICES } from '../bin/trellis.ts';
import { CONFIG_VARIABLES, type Config, loadConfig, SERVICE_NAMES } from '../kernel/config.ts';

const ROOT = new URL('../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, ROOT), 'utf8');

/** Variables the third-party images read (documented by each image), by image name without tag. */
const THIRD_PARTY_ENV: Record<string, readonly string[]> = {
  postgres: ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'POSTGRES_INITDB_ARGS', 'PGDATA'],
  redis: [],
};
/** Must come from `.env` / the shell as required interpolations (`${NAME:?message}`), never literals. */
const SECRETS = ['TRELLIS_INTERNAL_SECRET', 'TRELLIS_ENCRYPTION_KEY', 'POSTGRES_PASSWORD', 'TRELLIS_SMTP_URL'];
/** Stand-ins for the interpolated values when the configuration is validated. */
const FAKE_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: 'compose-test-password',
  TRELLIS_INTERNAL_SECRET: 'x'.repeat(48),
  TRELLIS_ENCRYPTION_KEY: 'ab'.repeat(32),
  TRELLIS_SMTP_URL: 'smtp://mailer:secret@smtp.example.com:587',
};
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is walked dynamically; the checks validate its shape
type Yaml = Record<string, any>;

const parseCompose = (text: string): Yaml => parse(text, { merge: true }) as Yaml;

/** Compose variable interpolation: `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?err}`, `$$`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (match === '$$') return '$';
      const set = name !== undefined && name in vars;
      const val = set ? (vars[name as string] as string) : undefined;
      const empty = val === undefined || (op?.startsWith(':') && val === '');
      if (op === ':-' || op === '-') return (op === ':-' ? empty : !set) ? (arg ?? '') : (val ?? '');
      if ((op === ':?' || op === '?') && (op === ':?' ? empty : !set)) throw new Error(`${name}: ${arg}`);
      return val ?? '';
    },
  );
}

const interpolatedNames = (text: string): string[] =>
  [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);

function environmentOf(service: Yaml): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((entry: string) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const commandOf = (service: Yaml): string[] =>
  Array.isArray(service.command) ? service.command.map(String) : String(service.command ?? '').split(/\s+/);

/** The host port of each published port (`"4000:4000"`, `"127.0.0.1:4000:4000/tcp"`, long syntax). */
function publishedPorts(service: Yaml): string[] {
  return (service.ports ?? []).map((p: unknown) => {
    if (typeof p === 'object' && p !== null) {
      const long = p as { host_ip?: string; published?: string | number };
      return `${long.host_ip ?? '0.0.0.0'}:${long.published}`;
    }
    const parts = String(p)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    if (parts.length === 1) return `0.0.0.0:${parts[0]} (ephemeral)`;
    const host = parts.length === 3 ? parts[0] : '0.0.0.0';
    return `${host}:${parts[parts.length - 2]}`;
  });
}

function healthcheckPort(service: Yaml): number | undefined {
  const test = service.healthcheck?.test;
  const text = Array.isArray(test) ? test.join(' ') : String(test ?? '');
  const match = /http:\/\/(?:127\.0\.0\.1|localhost):(\d+)\/health\/ready\b/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The port a Trellis process will listen on, from its validated configuration. */
function listeningPort(command: string[], config: Config): number | undefined {
  if (command[2] !== 'serve') return undefined;
  const service = command[3];
  if (service === 'gateway') return config.gatewayPort;
  if (service === 'rest-adapter') return config.rest.port;
  return config.subgraphs[service as (typeof SERVICE_NAMES)[number]]?.port;
}

/** Every problem found in a compose document (empty when it is consistent). */
function checkCompose(doc: Yaml, rawText: string): string[] {
  const problems: string[] = [];
  const services: Record<string, Yaml> = doc.services ?? {};
  const names = Object.keys(services);
  const isApp = (s: Yaml) => s.build !== undefined;
  const apps = names.filter((n) => isApp(services[n] as Yaml));
  const served = new Map<string, string>();
  const configs = new Map<string, Config>();
  const published = new Map<string, string>();
  const listening = new Map<number, string>();

  for (const name of interpolatedNames(rawText))
    if (!CONFIG_VARIABLES.includes(name) && !Object.values(THIRD_PARTY_ENV).some((vars) => vars.includes(name)))
      problems.push(`interpolated variable \${${name}} is neither a Trellis setting nor a documented image variable`);

  for (const name of names) {
    const service = services[name] as Yaml;
    const env = environmentOf(service);
    const app = isApp(service);

    // Environment: only variables the process actually reads.
    const image = String(service.image ?? '').split(':')[0] as string;
    for (const key of Object.keys(env)) {
      const known = app ? CONFIG_VARIABLES.includes(key) : (THIRD_PARTY_ENV[image] ?? []).includes(key);
      if (!known) problems.push(`${name}: environment variable ${key} is not read by ${app ? 'Trellis' : image}`);
    }
    for (const secret of SECRETS)
      if (secret in env && !/^\$\{[A-Z_]+:\?[^}]+\}$/.test(env[secret] as string))
        problems.push(`${name}: ${secret} must be a required interpolation (\${${secret}:?…}), not a literal`);
    if (env.DATABASE_URL !== undefined && /:\/\/[^:/@]+:(?!\$\{)[^@]+@/.test(env.DATABASE_URL))
      problems.push(`${name}: DATABASE_URL embeds a literal password`);

    // Dependencies: exist, wait on a condition the target can meet.
    const dependsOn = service.depends_on ?? {};
    if (Array.isArray(dependsOn)) problems.push(`${name}: depends_on must use the long form with a condition`);
    else
      for (const [target, spec] of Object.entries(dependsOn as Record<string, Yaml | null>)) {
        const dependency = services[target];
        const condition = spec?.condition;
        if (!dependency) problems.push(`${name}: depends on unknown service ${target}`);
        if (!CONDITIONS.includes(condition)) problems.push(`${name}: depends_on ${target} has no valid condition`);
        if (!dependency) continue;
        if (condition === 'service_healthy' && (!dependency.healthcheck || dependency.healthcheck.disable))
          problems.push(`${name}: waits for ${target} to be healthy but ${target} has no healthcheck`);
        if (condition === 'service_completed_successfully' && dependency.restart !== 'no')
          problems.push(`${name}: waits for ${target} to complete but ${target} restarts (set restart: "no")`);
        if (dependency.profiles?.length && !service.profiles?.length)
          problems.push(`${name}: depends on ${target}, which only runs under a profile`);
      }

    for (const port of publishedPorts(service)) {
      const host = port.replace(/^(0\.0\.0\.0|127\.0\.0\.1|\[::\]|::):/, '*:');
      if (published.has(host)) problems.push(`${name}: host port ${port} is also published by ${published.get(host)}`);
      published.set(host, name);
    }

    if (!app) {
      if (!service.healthcheck?.test) problems.push(`${name}: no healthcheck`);
      continue;
    }

    // Trellis processes: a real CLI command and service.
    if (service.build.dockerfile !== undefined && service.build.dockerfile !== 'Dockerfile')
      problems.push(`${name}: built from ${service.build.dockerfile}, not the one Dockerfile`);
    const command = commandOf(service);
    if (command[0] !== 'node' || command[1] !== 'bin/trellis.ts')
      problems.push(`${name}: command must run "node bin/trellis.ts …" (got ${command.join(' ')})`);
    const [verb, ...args] = command.slice(2);
    if (!COMMANDS.includes(verb as (typeof COMMANDS)[number])) problems.push(`${name}: unknown CLI command "${verb}"`);
    if (verb === 'serve') {
      if (args.length !== 1 || !SERVICES.includes(args[0] as (typeof SERVICES)[number]))
        problems.push(`${name}: "serve ${args.join(' ')}" is not one of ${SERVICES.join(', ')}`);
      else {
        if (served.has(args[0] as string))
          problems.push(`${name}: ${args[0]} is already served by ${served.get(args[0] as string)}`);
        served.set(args[0] as string, name);
        if (args[0] !== name)
          problems.push(`${name}: serves ${args[0]}; name the compose service after it (it is its hostname)`);
      }
    }
    if (verb === 'migrate')
      for (const arg of args)
        if (!SERVICE_NAMES.includes(arg as (typeof SERVICE_NAMES)[number]))
          problems.push(`${name}: "migrate ${arg}": unknown subgraph`);

    // The values pass the same validation the process runs at start-up.
    let config: Config | undefined;
    try {
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, FAKE_ENV)]));
      config = loadConfig(resolved, { allInOne: verb !== 'serve' });
      configs.set(name, config);
    } catch (error) {
      problems.push(`${name}: configuration rejected: ${(error as Error).message}`);
    }

    // Long-running processes: a health check on their own port, reachable from other containers.
    if (verb === 'migrate') {
      if (service.restart !== 'no') problems.push(`${name}: a one-shot job needs restart: "no"`);
      continue;
    }
    const port = config ? listeningPort(command, config) : undefined;
    const checked = healthcheckPort(service);
    if (checked === undefined) problems.push(`${name}: no healthcheck on /health/ready`);
    else if (port !== undefined && checked !== port)
      problems.push(`${name}: healthcheck probes port ${checked} but the service listens on ${port}`);
    if (port !== undefined) {
      if (listening.has(port)) problems.push(`${name}: listens on ${port}, like ${listening.get(port)}`);
      listening.set(port, name);
      const expose = (service.expose ?? []).map(Number);
      const targets = (service.ports ?? []).map((p: unknown) =>
        typeof p === 'object' && p !== null
          ? Number((p as { target: number }).target)
          : Number(String(p).split(':').pop()?.split('/')[0]),
      );
      if (expose.length + targets.length === 0)
        problems.push(`${name}: neither exposes nor publishes its port ${port}`);
      for (const p of [...expose, ...targets])
        if (p !== port) problems.push(`${name}: exposes port ${p} but listens on ${port}`);
    }
    if (config && config.host !== '0.0.0.0') problems.push(`${name}: TRELLIS_HOST must be 0.0.0.0 in a container`);
    if (config && !config.production) problems.push(`${name}: NODE_ENV must be production`);
    if (config && !config.redisUrl) problems.push(`${name}: REDIS_URL is not set (replicas share pub/sub through it)`);
  }

  // Topology: every CLI service runs, subgraphs after the migration job, the gateway finds them.
  for (const service of SERVICES) if (!served.has(service)) problems.push(`no compose service runs "serve ${service}"`);
  const migrator = apps.find((n) => commandOf(services[n] as Yaml)[2] === 'migrate');
  if (!migrator) problems.push('no one-shot migrate service');
  for (const subgraph of SERVICE_NAMES) {
    const name = served.get(subgraph);
    if (!name) continue;
    const service = services[name] as Yaml;
    if (migrator && service.depends_on?.[migrator]?.condition !== 'service_completed_successfully')
      problems.push(`${name}: must wait for ${migrator} (condition: service_completed_successfully)`);
    if (!environmentOf(service).DATABASE_URL) problems.push(`${name}: no DATABASE_URL`);
  }
  for (const client of ['gateway', 'rest-adapter']) {
    const name = served.get(client);
    const config = name ? configs.get(name) : undefined;
    if (!name || !config) continue;
    const upstreams: [string, string][] =
      client === 'gateway'
        ? SERVICE_NAMES.map((s) => [s, config.subgraphs[s].url])
        : [
            ['gateway', config.rest.gatewayUrl ?? ''],
            ['identity', config.subgraphs.identity.url],
          ];
    for (const [upstream, address] of upstreams) {
      const target = served.get(upstream);
      const targetConfig = target ? configs.get(target) : undefined;
      const url = new URL(address || 'http://unset');
      const port = targetConfig
        ? listeningPort(commandOf(services[target as string] as Yaml), targetConfig)
        : undefined;
      if (url.hostname !== target || Number(url.port) !== port)
        problems.push(`${name}: reaches ${upstream} at ${address}, but it runs as ${target}:${port}`);
      if (services[name]?.depends_on?.[target as string]?.condition !== 'service_healthy')
        problems.push(`${name}: must wait for ${target} to be healthy`);
    }
  }
  if (served.get('rest-adapter') && configs.get(served.get('rest-adapter') as string)?.rest.mode !== 'standalone')
    problems.push('rest-adapter: TRELLIS_REST_MODE must be standalone');

  // No cycles in depends_on.
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (n: string, trail: string[]): void => {
    if (done.has(n)) return;
    if (visiting.has(n)) {
      problems.push(`depends_on cycle: ${[...trail, n].join(' -> ')}`);
      return;
    }
    visiting.add(n);
    const deps = services[n]?.depends_on;
    if (deps && !Array.isArray(deps)) for (const d of Object.keys(deps)) visit(d, [...trail, n]);
    visiting.delete(n);
    done.add(n);
  };
  for (const n of names) visit(n, []);
  return problems;
}

const composeText = read('docker-compose.yml');
const fresh = () => parseCompose(composeText);

describe('docker-compose.yml', () => {
  it('is consistent with the CLI and the configuration', () => {
    expect(checkCompose(fresh(), composeText)).toEqual([]);
  });

  it('runs PostgreSQL 17 and Redis 7 with health checks, and every Trellis process from the Dockerfile', () => {
    const { services } = fresh();
    expect(services.postgres.image).toBe('postgres:17');
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(services.redis.image).toBe('redis:7');
    expect(services.redis.healthcheck.test.join(' ')).toContain('redis-cli ping');
    const apps = Object.keys(services).filter((n) => services[n].build);
    expect(apps.sort()).toEqual(['migrate', ...SERVICES].sort());
    expect(services['rest-adapter'].profiles).toEqual(['rest-adapter']);
    expect(services.migrate.command).toEqual(['node', 'bin/trellis.ts', 'migrate']);
  });

  it('requires every secret from the environment instead of writing it down', () => {
    for (const secret of SECRETS) {
      const withoutSecret = { ...FAKE_ENV };
      delete withoutSecret[secret];
      const env = environmentOf(fresh().services.identity);
      expect(() => Object.values(env).map((v) => interpolate(v, withoutSecret))).toThrow(secret);
    }
  });

  it('reports an unknown environment variable', () => {
    const doc = fresh();
    doc.services.identity.environment.TRELLIS_NOT_A_SETTING = '1';
    expect(checkCompose(doc, composeText)).toContain(
      'identity: environment variable TRELLIS_NOT_A_SETTING is not read by Trellis',
    );
    const postgres = fresh();
    postgres.services.postgres.environment.POSTGRES_FAVOURITE_COLOUR = 'blue';
    expect(checkCompose(postgres, composeText).join('\n')).toContain('POSTGRES_FAVOURITE_COLOUR');
    expect(checkCompose(fresh(), `${composeText}\n# \${TRELLIS_TYPO}`).join('\n')).toContain('TRELLIS_TYPO');
  });

  it('reports an invalid value, a hard-coded secret and a mismatched port', () => {
    const invalid = fresh();
    invalid.services.billing.environment.TRELLIS_LOG_LEVEL = 'loud';
    expect(checkCompose(invalid, composeText).join('\n')).toContain('billing: configuration rejected');
    const literal = fresh();
    literal.services.events.environment.TRELLIS_INTERNAL_SECRET = 'y'.repeat(40);
    expect(checkCompose(literal, composeText).join('\n')).toContain('events: TRELLIS_INTERNAL_SECRET must be');
    const port = fresh();
    port.services.compute.environment.TRELLIS_COMPUTE_PORT = '4999';
    const problems = checkCompose(port, composeText).join('\n');
    expect(problems).toContain('compute: healthcheck probes port 4003 but the service listens on 4999');
    expect(problems).toContain('gateway: reaches compute at http://compute:4003/graphql');
  });

  it('reports an unknown command or service', () => {
    const command = fresh();
    command.services.governance.command = ['node', 'bin/trellis.ts', 'run', 'governance'];
    expect(checkCompose(command, composeText)).toContain('governance: unknown CLI command "run"');
    const service = fresh();
    service.services.governance.command = ['node', 'bin/trellis.ts', 'serve', 'policies'];
    expect(checkCompose(service, composeText).join('\n')).toContain('governance: "serve policies" is not one of');
  });

  it('reports dependencies that do not exist or have no condition, and clashing ports', () => {
    const missing = fresh();
    missing.services.gateway.depends_on.ledger = { condition: 'service_healthy' };
    expect(checkCompose(missing, composeText)).toContain('gateway: depends on unknown service ledger');
    const short = fresh();
    short.services.gateway.depends_on = ['identity'];
    expect(checkCompose(short, composeText)).toContain('gateway: depends_on must use the long form with a condition');
    const noCondition = fresh();
    noCondition.services.identity.depends_on.migrate = {};
    expect(checkCompose(noCondition, composeText)).toContain('identity: depends_on migrate has no valid condition');
    const clash = fresh();
    clash.services['rest-adapter'].ports = ['4000:4010'];
    expect(checkCompose(clash, composeText).join('\n')).toContain('host port 0.0.0.0:4000 is also published');
    const noHealth = fresh();
    delete noHealth.services.billing.healthcheck;
    expect(checkCompose(noHealth, composeText).join('\n')).toContain('billing: no healthcheck on /health/ready');
  });
});

describe('Dockerfile', () => {
  const dockerfile = existsSync(new URL('Dockerfile', ROOT)) ? read('Dockerfile') : '';
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const of = (keyword: string) => instructions.filter((l) => l.toUpperCase().startsWith(`${keyword} `));

  it('builds on Node 24, the version package.json requires', () => {
    expect(dockerfile).not.toBe('');
    const froms = of('FROM');
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^FROM node:24(-slim)?(\s|$)/);
    const engines = JSON.parse(read('package.json')).engines.node as string;
    expect(engines).toMatch(/>=\s*24\b/);
  });

  it('installs production dependencies only, runs as a non-root user, and declares health and stop signal', () => {
    expect(of('RUN').join('\n')).toMatch(/npm ci\b[^\n]*--omit=dev/);
    const lastFrom = instructions.findLastIndex((l) => l.toUpperCase().startsWith('FROM '));
    const user = instructions.slice(lastFrom).find((l) => l.toUpperCase().startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i);
    expect(of('HEALTHCHECK').join('\n')).toContain('/health/ready');
    expect(of('STOPSIGNAL')).toEqual(['STOPSIGNAL SIGTERM']);
    const cmd = JSON.parse(of('CMD').at(-1)?.slice(4) ?? '[]') as string[];
    // Node's own flags go before the script: those NODE_OPTIONS refuses (docs/operators.md).
    const script = cmd.indexOf('bin/trellis.ts');
    expect(cmd[0]).toBe('node');
    expect(cmd.slice(1, script)).toEqual(['--no-memory-reducer']);
    expect(COMMANDS).toContain(cmd[script + 1]);
  });

  it('keeps secrets, local data and installed modules out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.git', 'node_modules', '.data', '.env']) expect(ignored).toContain(entry);
  });
});
