import { describe, expect, it } from 'vitest';
import { createHttpService } from './http-service.ts';
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
    expect(down.body.checks).toContainEqual({ name: 'postgres', status: 'down', error: 'connection refused' });
    expect((await get('/healthz')).status).toBe(200);
    await app.close();
  });
});
