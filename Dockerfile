# syntax=docker/dockerfile:1
# One image for every Trellis process (docker-compose.yml picks the command). Node 24 runs the
# TypeScript sources directly (type stripping): the only build step is the dashboard's static files
# (a separate stage), and devDependencies (tsc, vitest, biome, codegen, vite) are not in the image.

FROM node:24-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The dashboard's static build (Vite needs the devDependencies; only dashboard/dist is kept).
FROM node:24-slim AS dashboard
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY dashboard ./dashboard
COPY scripts/build-dashboard.ts ./scripts/
RUN node scripts/build-dashboard.ts --force

FROM node:24-slim
ENV NODE_ENV=production \
    TRELLIS_HOST=0.0.0.0
WORKDIR /app
# Code and dependencies stay owned by root: the service user can read them, not change them.
COPY --from=deps /app/node_modules ./node_modules
COPY . .
COPY --from=dashboard /app/dashboard/dist ./dashboard/dist
# The only writable paths: the embedded PostgreSQL's data when `start` runs without DATABASE_URL, and
# Node's compile cache (a restart neither compiles the modules again nor loads the TypeScript stripper:
# ~17 MiB less RSS per process, docs/operators.md).
RUN mkdir -p /app/.data /app/.compile-cache && chown node:node /app/.data /app/.compile-cache
ENV NODE_COMPILE_CACHE=/app/.compile-cache
USER node
EXPOSE 4000 4001 4002 4003 4004 4005 4010
# The CLI closes in order on SIGTERM (stop accepting, finish in-flight requests, close pools).
STOPSIGNAL SIGTERM
# The default command's gateway; docker-compose.yml sets one per service.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.TRELLIS_PORT || 4000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8 sizes the young generation from the machine's memory (up to 2 × 64 MiB resident on a large host);
# 16 MiB semi-spaces cost little throughput and keep ~90 MiB out of every process's RSS (docs/operators.md).
ENV NODE_OPTIONS=--max-semi-space-size=16
# All-in-one by default (DATABASE_URL selects a server; without it an embedded PostgreSQL runs).
# V8's memory reducer is off (NODE_OPTIONS refuses the flag): the process releases memory when idle itself
# (kernel/boot-memory.ts, docs/operators.md).
CMD ["node", "--no-memory-reducer", "bin/trellis.ts", "start"]
