/**
 * Builds the dashboard (`dashboard/`: React + Apollo Client, and the GraphiQL page) with Vite into
 * `dashboard/dist/`, which the gateway serves at `/` and `GET /graphql` (gateway/dashboard.ts).
 *
 *   node scripts/build-dashboard.ts            build when the sources changed since the last build
 *   node scripts/build-dashboard.ts --force    build anyway
 *
 * The build output is never committed: `npm start` and `npm test` run this first (package.json
 * `prestart`/`pretest`), and it returns in a few milliseconds when `dist/` is fresh: the digest of
 * every source file (and of the installed versions of what is bundled) is stored beside the output
 * and compared. Every text file is also written pre-compressed (`.br`, `.gz`), so the gateway
 * serves compressed bytes without compressing on the request path.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DASHBOARD_DIR = path.join(ROOT, 'dashboard');
export const DIST_DIR = path.join(DASHBOARD_DIR, 'dist');
const STAMP_FILE = path.join(DIST_DIR, '.source-digest');
/** Installed packages whose version changes the bundle. */
const BUNDLED = ['react', 'react-dom', '@apollo/client', 'graphql-ws', 'graphql', 'graphiql', 'rxjs', 'vite'];
const COMPRESSIBLE = /\.(js|css|html|svg|json|map|ttf|txt)$/;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'dist' ? [] : listFiles(full);
      return [full];
    }),
  );
  return nested.flat().sort();
}

/** A digest of everything the build reads: dashboard sources, this script, bundled package versions. */
export async function sourceDigest(): Promise<string> {
  const hash = createHash('sha256');
  const files = [...(await listFiles(DASHBOARD_DIR)), fileURLToPath(import.meta.url)];
  for (const file of files) {
    hash.update(path.relative(ROOT, file));
    hash.update(await readFile(file));
  }
  for (const name of BUNDLED) {
    const manifest = await readFile(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8').catch(() => '');
    hash.update(`${name}@${(JSON.parse(manifest || '{}') as { version?: string }).version ?? 'missing'}`);
  }
  return hash.digest('hex');
}

export async function isDashboardFresh(): Promise<boolean> {
  const [stamp, digest] = await Promise.all([readFile(STAMP_FILE, 'utf8').catch(() => ''), sourceDigest()]);
  return stamp === digest;
}

async function compressOutput(): Promise<void> {
  const files = (await listFiles(DIST_DIR)).filter((file) => COMPRESSIBLE.test(file));
  await Promise.all(
    files.map(async (file) => {
      const data = await readFile(file);
      if (data.length < 512) return;
      const [br, gz] = await Promise.all([
        promisify(brotliCompress)(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        promisify(gzip)(data, { level: 9 }),
      ]);
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
    }),
  );
}

/** Runs Vite: two pages (the app and GraphiQL), hashed assets under `assets/`, no source maps shipped. */
export async function buildDashboard(): Promise<void> {
  const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
  await rm(DIST_DIR, { recursive: true, force: true });
  // Vite follows NODE_ENV: run from a test (NODE_ENV=test) it would bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await viteBuild(build, react);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  await compressOutput();
  await writeFile(STAMP_FILE, await sourceDigest());
}

async function viteBuild(build: typeof import('vite').build, react: typeof import('@vitejs/plugin-react').default) {
  await build({
    mode: 'production',
    root: DASHBOARD_DIR,
    base: '/',
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    // graphql 16 ships CJS and ESM builds: one copy for everyone, as in vitest.config.ts.
    resolve: { dedupe: ['graphql', 'react', 'react-dom'] },
    build: {
      outDir: DIST_DIR,
      emptyOutDir: true,
      assetsDir: 'assets',
      sourcemap: false,
      target: 'es2022',
      reportCompressedSize: false,
      // GraphiQL's editor (Monaco) is large; it is only loaded by GET /graphql, never by the app.
      chunkSizeWarningLimit: 6000,
      rolldownOptions: {
        // GraphiQL's packages mark modules "use no memo" (a React Compiler hint): harmless once bundled.
        onLog(level, log, handler) {
          if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
          handler(level, log);
        },
        input: {
          app: path.join(DASHBOARD_DIR, 'index.html'),
          graphiql: path.join(DASHBOARD_DIR, 'graphiql.html'),
        },
      },
    },
  });
}

/** Builds unless `dist/` matches the sources; returns whether it built. */
export async function ensureDashboardBuilt(force = false): Promise<boolean> {
  if (!force && (await isDashboardFresh())) return false;
  await buildDashboard();
  return true;
}

/** Vite is a devDependency: an install without them (`npm ci --omit=dev`) serves what was built, or the API alone. */
async function viteInstalled(): Promise<boolean> {
  return import('vite').then(
    () => true,
    () => false,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const force = process.argv.includes('--force');
  if (!force && !(await isDashboardFresh()) && !(await viteInstalled())) {
    console.warn(
      'dashboard: sources changed but Vite is not installed (devDependencies): serving the last build, if any',
    );
    process.exit(0);
  }
  const built = await ensureDashboardBuilt(force);
  const index = await stat(path.join(DIST_DIR, 'index.html'));
  console.log(
    built
      ? `dashboard built in ${Math.round(performance.now() - started)} ms (dashboard/dist, index ${index.size} B)`
      : 'dashboard is up to date',
  );
}
