/**
 * JSON bodies parsed by us rather than Fastify, so the exact bytes stay
 * available for HMAC signature checks (`request.rawBody`).
 */
import type { FastifyInstance } from 'fastify';
import { TrellisError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

export function keepRawJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json$/, { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    req.rawBody = text;
    if (text.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new TrellisError('invalid_json', 'The request body is not valid JSON'), undefined);
    }
  });
}
