/**
 * Platform routes under `/v1`: the public health check (seed 004) and operator admission control
 * (seed 002's gateway pause / resume / reload; gateway/admission.ts), platform administrators only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { admissionFor } from '../../gateway/admission.ts';
import { PACKAGE_VERSION } from '../../gateway/version.ts';
import { requirePlatformAdmin } from '../../kernel/authz.ts';
import { type Config, ConfigError, reloadConfig } from '../../kernel/config.ts';
import { TrellisError } from '../../kernel/errors.ts';
import { envelope } from '../envelope.ts';
import { defineRoutes, type HandlerContext } from '../route-table.ts';

function reply(res: FastifyReply, ctx: HandlerContext, data: unknown) {
  return res
    .code(200)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(envelope({ meta: ctx.meta, status: 200, principal: ctx.principal, data })));
}

/** `{ "reason": "…" }`, optional; anything else in the body is a 422 naming it. */
function reasonOf(req: FastifyRequest): string | null {
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new TrellisError('invalid_request', 'The body must be a JSON object');
  for (const [key, value] of Object.entries(body)) {
    if (key !== 'reason') throw new TrellisError('validation_failed', `${key} is not a known field`, { field: key });
    if (value !== null && typeof value !== 'string')
      throw new TrellisError('validation_failed', 'reason must be a string', { field: 'reason' });
  }
  return ((body as { reason?: string | null }).reason ?? '').trim() || null;
}

/** 422 `configuration_invalid` listing every problem (variable names and rules; values are never echoed). */
function checkConfiguration(config: Config): void {
  try {
    reloadConfig(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new TrellisError('configuration_invalid', undefined, { details: { problems: error.problems } });
  }
}

export const platformRoutes = defineRoutes([
  {
    kind: 'handler',
    method: 'GET',
    path: '/v1/public/health',
    owner: 'platform',
    summary: 'Public API health check (same as /health/live): status, version, uptime',
    public: true,
    handler: async (_req, res, ctx) =>
      reply(res, ctx, { status: 'ok', version: PACKAGE_VERSION, uptime: Math.floor(process.uptime()) }),
  },
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/gateway/pause',
    owner: 'platform',
    summary:
      'Stop admitting new runs and SDK executions (gate, execute: 503 admission_paused); reads and in-flight work continue (platform admin)',
    handler: async (req, res, ctx) => {
      requirePlatformAdmin(ctx.principal);
      const reason = reasonOf(req);
      return reply(res, ctx, await (await admissionFor(ctx.platform)).setPaused(true, ctx.principal, reason));
    },
  },
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/gateway/resume',
    owner: 'platform',
    summary: 'Resume admitting new runs and SDK executions (platform admin)',
    handler: async (req, res, ctx) => {
      requirePlatformAdmin(ctx.principal);
      const reason = reasonOf(req);
      return reply(res, ctx, await (await admissionFor(ctx.platform)).setPaused(false, ctx.principal, reason));
    },
  },
  {
    kind: 'handler',
    method: 'POST',
    path: '/v1/gateway/reload',
    owner: 'platform',
    summary:
      'Re-read the supergraph and the configuration (TRELLIS_ENV_FILE) on every gateway without dropping connections; returns the schema hash now served and which changed variables applied in place or need a restart; an invalid configuration is 422 configuration_invalid and the running one stays (platform admin)',
    handler: async (req, res, ctx) => {
      requirePlatformAdmin(ctx.principal);
      reasonOf(req);
      // Checked before anything reloads: an invalid file leaves this process (and the replicas) as they are.
      checkConfiguration(ctx.platform.config);
      const admission = await admissionFor(ctx.platform);
      const result = await admission.reload(ctx.principal);
      return reply(res, ctx, { ...result, admission: await admission.state() });
    },
  },
]);
