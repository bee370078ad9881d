import net from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHttpService, type ObservabilityAccess, observabilityAccess } from './http-service.ts';
import { createLogger } from './logger.ts';
import { ServiceMetrics } from './metrics.ts';

describe('health endpoints', () => {
  it('report starting until marked started, and not ready while a required dependency is down', async () => {
    let databaseUp = true;
    let redisUp = true;
    const { app, markStarted } = createHttpService({
      name: 'probe',
      logger: createLogger('silent'),
      metrics: new ServiceMetrics('probe'),
      bodyLimit: 1024,
      dependencies: [
        {
          name: 'postgres',
          required: true,
          check: async () => {
            if (!databaseUp) throw new Error('connection refused');
          },
        },
        {
          name: 'redis',
          check: async () => {
            if (!redisUp) throw new Error('connection refused');
          },
        },
      ],
    });
    const get = async (url: string) => {
      const response = await app.inject({ method: 'GET', url });
      return { status: response.statusCode, body: response.json() };
    };
    expect((await get('/health/startup')).status).toBe(503);
    expect((await get('/health/ready')).status).toBe(503);
    expect((await get('/health/live')).status).toBe(200);
    markStarted();
    expect((await get('/health/startup')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    // A dependency this process can serve without is reported as degraded; readiness stays 200.
    redisUp = false;
    const degraded = await get('/health/ready');
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'ok', degraded: [{ name: 'redis', status: 'down' }] });
    databaseUp = false;
    const down = await get('/health/ready');
    expect(down.status).toBe(503);
    // Publicly (no token configured on this port): which dependency is down, not why.
    expect(down.body.checks).toContainEqual({ name: 'postgres', status: 'down' });
    expect(JSON.stringify(down.body)).not.toContain('connection refused');
    expect((await get('/healthz')).status).toBe(200);
    await app.close();
  });
});

describe('metrics and readiness details', () => {
  const TOKEN = 'a-metrics-token-of-some-length';
  function service(access: ObservabilityAccess) {
    const { app, markStarted } = createHttpService({
      name: 'probe',
      logger: createLogger('silent'),
      metrics: new ServiceMetrics('probe'),
      bodyLimit: 1024,
      access,
      dependencies: [
        {
          name: 'postgres',
          required: true,
          check: async () => {
            throw new Error('password authentication failed for user "trellis" at db.internal:5432');
          },
        },
      ],
    });
    markStarted();
    const get = async (url: string, token?: string) => {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return { status: response.statusCode, body: response.body };
    };
    return { app, get };
  }

  it('with TRELLIS_METRICS_TOKEN: /metrics and dependency errors need it, on public and internal ports', async () => {
    for (const exposure of ['public', 'internal'] as const) {
      const { app, get } = service(observabilityAccess({ production: true, metricsToken: TOKEN }, exposure));
      expect((await get('/metrics')).status).toBe(401);
      expect((await get('/metrics', 'wrong-token-wrong-token')).status).toBe(401);
      const scraped = await get('/metrics', TOKEN);
      expect(scraped.status).toBe(200);
      expect(scraped.body).toContain('process_cpu_user_seconds_total');
      const open = await get('/health/ready');
      expect(open.status).toBe(503);
      expect(JSON.parse(open.body).checks).toEqual([{ name: 'postgres', status: 'down' }]);
      expect(open.body).not.toContain('password');
      const detailed = JSON.parse((await get('/health/ready', TOKEN)).body);
      expect(detailed.checks[0].error).toContain('password authentication failed');
      await app.close();
    }
  });

  it('without a token: the public port serves /metrics outside production only and never shows errors', async () => {
    const production = service(observabilityAccess({ production: true }, 'public'));
    expect((await production.get('/metrics')).status).toBe(404);
    expect((await production.get('/health/ready')).body).not.toContain('password');
    await production.app.close();
    const development = service(observabilityAccess({ production: false }, 'public'));
    expect((await development.get('/metrics')).status).toBe(200);
    expect((await development.get('/health/ready')).body).not.toContain('password');
    await development.app.close();
    // Internal (subgraph) ports keep both for operators on the private network.
    const internal = service(observabilityAccess({ production: true }, 'internal'));
    expect((await internal.get('/metrics')).status).toBe(200);
    expect((await internal.get('/health/ready')).body).toContain('password authentication failed');
    await internal.app.close();
  });
});

describe('a body refused while it is still arriving', () => {
  /** Raw HTTP/1.1 on one socket: what arrived so far, and whether the server closed it. */
  async function rawConnection(port: number) {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const state = { received: '', closed: false };
    socket.on('data', (chunk) => {
      state.received += chunk;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      state.closed = true;
    });
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    return { socket, state, until };
  }

  async function service(bodyLimit = 1024) {
    const { app, markStarted } = createHttpService({
      name: 'probe',
      logger: createLogger('silent'),
      metrics: new ServiceMetrics('probe'),
      dependencies: [],
      bodyLimit,
    });
    app.post('/echo', async (req) => req.body);
    // A scope with its own error handler (as the REST adapter's /v1) and a route that reads its body
    // itself and stops when it gives up on it (as an asset upload whose storage failed).
    await app.register(
      async (scope) => {
        scope.setErrorHandler((error, _req, reply) =>
          reply.code((error as { statusCode?: number }).statusCode ?? 500).send({ own: true }),
        );
        scope.post('/echo', async (req) => req.body);
        scope.register(async (uploads) => {
          uploads.removeAllContentTypeParsers();
          uploads.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
          uploads.post('/upload', async (req, reply) => {
            const sink = new PassThrough();
            req.raw.pipe(sink);
            await new Promise((resolve) => sink.once('data', resolve));
            req.raw.unpipe(sink);
            return reply.code(507).send({ stored: false });
          });
        });
      },
      { prefix: '/scoped' },
    );
    markStarted();
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, port: (app.server.address() as net.AddressInfo).port };
  }

  it('answers 413 and keeps the connection, reading the rest of the upload off the wire', async () => {
    expect(await answeredWhileSending('/echo', 413)).toContain('payload_too_large');
  });

  /** Headers and the first 512 bytes of a `declared`-byte body; the answer arrives; then the rest and a second request. Returns all received. */
  async function answeredWhileSending(path: string, expectedStatus: number, bodyLimit = 1024) {
    const { app, port } = await service(bodyLimit);
    const { socket, state, until } = await rawConnection(port);
    const declared = 4 * bodyLimit;
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${declared}\r\n\r\n`,
    );
    socket.write('x'.repeat(512));
    await until(() => state.received.includes('\r\n\r\n{'));
    expect(state.received).toMatch(new RegExp(`^HTTP/1\\.1 ${expectedStatus}`));
    expect(state.received.toLowerCase()).not.toContain('connection: close');
    socket.write('x'.repeat(declared - 512));
    socket.write('GET /health/live HTTP/1.1\r\nhost: x\r\n\r\n');
    await until(() => state.received.includes('HTTP/1.1 200') || state.closed);
    expect(state.closed).toBe(false);
    expect(state.received).toContain('HTTP/1.1 200');
    socket.destroy();
    await app.close();
    return state.received;
  }

  it('keeps the connection when a scope with its own error handler answers the 413', async () => {
    await answeredWhileSending('/scoped/echo', 413);
  });

  it('keeps the connection when a handler answers having stopped reading its body', async () => {
    // Larger than a request stream's buffer: left paused, the rest would never be read.
    await answeredWhileSending('/scoped/upload', 507, 64 * 1024);
  });

  it('closes after an early answer to a chunked body, which has no bound', async () => {
    const { app, port } = await service();
    const { socket, state, until } = await rawConnection(port);
    socket.write('POST /nowhere HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n');
    socket.write(`200\r\n${'x'.repeat(512)}\r\n`);
    await until(() => state.closed);
    expect(state.received).toMatch(/^HTTP\/1\.1 404/);
    expect(state.received.toLowerCase()).toContain('connection: close');
    expect(state.closed).toBe(true);
    socket.destroy();
    await app.close();
  });

  it('still closes at once for a body declared far over the limit', async () => {
    const { app, port } = await service();
    const { socket, state, until } = await rawConnection(port);
    socket.write(
      `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${1024 ** 3}\r\n\r\n`,
    );
    await until(() => state.closed);
    expect(state.received).toMatch(/^HTTP\/1\.1 413/);
    expect(state.received.toLowerCase()).toContain('connection: close');
    expect(state.closed).toBe(true);
    socket.destroy();
    await app.close();
  });
});
