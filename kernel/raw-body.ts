/**
 * JSON bodies from outside (gateway `/graphql` and the REST adapter's `/v1`),
 * parsed by us rather than Fastify: the exact bytes stay available for HMAC
 * signature checks (`request.rawBody`), and the value is bounded and checked
 * (kernel/json-limits.ts) before any GraphQL work sees it.
 */
import type { FastifyInstance } from 'fastify';
import { TrellisError } from './errors.ts';
import { type JsonLimits, parseJsonWithin } from './json-limits.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** `application/json` and `application/*+json`, with or without parameters (`; charset=utf-8`). */
const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;

/** JSON is UTF-8 (RFC 8259): a body declared in another charset is refused, not misread. */
function assertUtf8(contentType: string | undefined): void {
  const match = contentType ? CHARSET.exec(contentType) : null;
  const charset = (match?.[1] ?? match?.[2])?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new TrellisError('unsupported_media_type', `JSON bodies must be UTF-8, not ${charset}`);
}

export function keepRawJsonBody(app: FastifyInstance, limits: JsonLimits): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    req.rawBody = text;
    try {
      assertUtf8(req.headers['content-type']);
      done(null, text.length === 0 ? undefined : parseJsonWithin(text, limits));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
