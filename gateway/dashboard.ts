/**
 * Serves the dashboard's static build (`dashboard/dist`, written by scripts/build-dashboard.ts) at
 * `/`, and GraphiQL to browsers that open `GET /graphql` (when introspection is on; otherwise the
 * endpoint's plain help page stays).
 *
 * - Hashed files under `/assets/` never change: cached for a year, `immutable`.
 * - The HTML pages are `no-cache` (revalidated with their ETag), so a deploy is picked up at once.
 * - Every page carries a strict Content-Security-Policy: scripts, styles, fonts and connections
 *   from this origin only (GraphiQL's editor also needs inline styles), no framing, no plugins.
 *   When Stripe is configured (a publishable key), the app's policy also admits Stripe.js: Stripe
 *   requires it to be loaded from js.stripe.com (never bundled), it frames its card fields and
 *   talks to api.stripe.com. Without Stripe nothing third-party is allowed.
 * - The build wrote `.br` / `.gz` beside every text file: the best one the browser accepts is sent
 *   as is. Files are read on first request and kept in memory (the app's first load is ~150 KB).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../kernel/config.ts';
import type { Logger } from '../kernel/logger.ts';

export const DASHBOARD_DIST = fileURLToPath(new URL('../dashboard/dist/', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';

const BASE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];
/** The app's own CSS is a file; nothing it renders needs inline styles. */
export const APP_CSP = [...BASE_CSP, "style-src 'self'"].join('; ');
/**
 * The app with Stripe Elements (Stripe's documented CSP): Stripe.js from js.stripe.com, its card
 * fields and 3-D Secure challenges in frames from js.stripe.com and hooks.stripe.com, its API calls.
 */
export const APP_CSP_WITH_STRIPE = [
  ...BASE_CSP.map((directive) =>
    directive === "script-src 'self'"
      ? "script-src 'self' https://js.stripe.com"
      : directive === "connect-src 'self'"
        ? "connect-src 'self' https://api.stripe.com"
        : directive,
  ),
  "frame-src 'self' https://js.stripe.com https://hooks.stripe.com",
  "style-src 'self'",
].join('; ');
/** GraphiQL's editor (Monaco) adds <style> elements at run time. */
export const GRAPHIQL_CSP = [...BASE_CSP, "style-src 'self' 'unsafe-inline'"].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

type Encoding = 'br' | 'gzip' | 'identity';
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz', identity: '' };

interface StaticFile {
  contentType: string;
  /** Which encodings exist on disk beside the file. */
  encodings: Set<Encoding>;
  /** Loaded on first request. */
  bodies: Partial<Record<Encoding, Buffer>>;
  etag?: string;
}

async function listDist(dir: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const names = new Set(
    entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))),
  );
  for (const name of names) {
    if (name.endsWith('.br') || name.endsWith('.gz') || name.startsWith('.')) continue;
    const encodings = new Set<Encoding>(['identity']);
    if (names.has(`${name}.br`)) encodings.add('br');
    if (names.has(`${name}.gz`)) encodings.add('gzip');
    const contentType = TYPES[path.extname(name)] ?? 'application/octet-stream';
    files.set(`/${name.split(path.sep).join('/')}`, { contentType, encodings, bodies: {} });
  }
  return files;
}

function pickEncoding(req: FastifyRequest, file: StaticFile): Encoding {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (file.encodings.has('br') && /\bbr\b/.test(accepted)) return 'br';
  if (file.encodings.has('gzip') && /\bgzip\b/.test(accepted)) return 'gzip';
  return 'identity';
}

async function bodyOf(file: StaticFile, urlPath: string, encoding: Encoding): Promise<Buffer> {
  const cached = file.bodies[encoding];
  if (cached) return cached;
  const body = await readFile(path.join(DASHBOARD_DIST, `${urlPath}${SUFFIX[encoding]}`));
  file.bodies[encoding] = body;
  if (encoding === 'identity') file.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return body;
}

async function sendFile(
  req: FastifyRequest,
  reply: FastifyReply,
  files: Map<string, StaticFile>,
  urlPath: string,
  headers: Record<string, string>,
) {
  const file = files.get(urlPath);
  if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  const encoding = pickEncoding(req, file);
  const identity = await bodyOf(file, urlPath, 'identity');
  const body = encoding === 'identity' ? identity : await bodyOf(file, urlPath, encoding);
  reply.headers({
    ...headers,
    'content-type': file.contentType,
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
    etag: file.etag as string,
  });
  if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(body);
}

function htmlHeaders(csp: string): Record<string, string> {
  return {
    'cache-control': 'no-cache',
    'content-security-policy': csp,
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

/** A browser opening the GraphQL URL (no query in it): GraphiQL instead of a GraphQL error. */
function isBrowserVisitOfGraphQL(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const [pathname, search = ''] = req.url.split('?', 2);
  if (pathname !== '/graphql' && pathname !== '/graphql/') return false;
  if (new URLSearchParams(search).has('query')) return false;
  return /\btext\/html\b/.test(String(req.headers.accept ?? ''));
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trellis</title></head>
<body><h1>The dashboard is not built</h1>
<p>Run <code>npm run build:dashboard</code> (<code>npm start</code> does it when needed) and reload.
The API is up: GraphQL at <code>/graphql</code>, REST under <code>/v1</code>.</p></body></html>
`;

/**
 * Mounts `/`, `/assets/*` and GraphiQL on `GET /graphql` (browsers). Returns whether a build was
 * found; without one, `/` says how to build it and the API is unaffected.
 */
export async function registerDashboard(app: FastifyInstance, config: Config, logger: Logger): Promise<boolean> {
  const files = await listDist(DASHBOARD_DIST).catch(() => new Map<string, StaticFile>());
  const built = files.has('/index.html');
  const appCsp = config.billing?.stripe?.publishableKey ? APP_CSP_WITH_STRIPE : APP_CSP;
  if (!built) logger.warn('dashboard/dist is missing: run `npm run build:dashboard` to serve the dashboard at /');

  app.get('/', async (req, reply) => {
    if (!built)
      return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    return sendFile(req, reply, files, '/index.html', htmlHeaders(appCsp));
  });
  app.get('/assets/*', async (req, reply) => {
    const urlPath = req.url.split('?', 1)[0] as string;
    // Looked up as sent: only names the build wrote exist, so `..` or odd encodings are a 404.
    return sendFile(req, reply, files, urlPath, {
      'cache-control': IMMUTABLE,
      'cross-origin-resource-policy': 'same-origin',
    });
  });
  if (built && config.graphql.introspection && files.has('/graphiql.html')) {
    // Runs before the GraphQL route's handler, which would answer a browser with its help page.
    app.addHook('onRequest', async (req, reply) => {
      if (!isBrowserVisitOfGraphQL(req)) return;
      return sendFile(req, reply, files, '/graphiql.html', htmlHeaders(GRAPHIQL_CSP));
    });
  }
  return built;
}
