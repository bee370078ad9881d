/**
 * Jobs and worker queues (seeds 001 and 004; docs/jobs.md). `orgId` defaults to the API key's organization.
 * Seed 004's spellings are accepted (`queue_name`, `task_type`, `worker_id`, `batch_size`). A submission
 * with a known `Idempotency-Key` header is replayed by the edge; one with a known `idempotency_key` body
 * field returns the same job with 200 (201 when it created one). `/v1/jobs/{id}/events` is the events
 * subgraph's (routes/events.ts), `/v1/jobs/{id}/usage` billing's.
 */
import { defineRoutes } from '../route-table.ts';

const owner = 'compute';
const SEED_004 = { queueName: 'queue', taskType: 'type' };

const replayedOrCreated = (data: Record<string, unknown>) =>
  (data.submitJob as { replayed?: boolean } | undefined)?.replayed ? 200 : 201;

// biome-ignore format: a table, one route a line or two
export const jobRoutes = defineRoutes([
  { method: 'POST', path: '/v1/jobs', owner, status: 201, statusOf: replayedOrCreated, body: 'input', fill: { orgId: 'callerOrg' }, aliases: SEED_004,
    mutation: 'submitJob(input: $input)', result: 'submitJob.job',
    summary: 'Submit a job (idempotent with Idempotency-Key or idempotency_key; cost estimate from the catalog)' },
  { method: 'GET', path: '/v1/jobs', owner, paginated: true, fill: { orgId: 'callerOrg' }, query: 'jobs(...)',
    summary: 'List jobs, newest first (filters: queue, status, type, workflowId)' },
  { method: 'POST', path: '/v1/jobs/claim', owner, body: 'input', fill: { orgId: 'callerOrg' }, aliases: SEED_004,
    mutation: 'claimJobs(input: $input)',
    summary: 'Claim the next job(s) of a queue for a worker (SKIP LOCKED, priority order; a lease of timeoutSeconds each)' },
  { method: 'GET', path: '/v1/jobs/stats', owner, fill: { orgId: 'callerOrg' }, query: 'jobStats(...)',
    summary: 'Job queue statistics: counts by status, throughput, wait p50/p95, per queue' },
  { method: 'GET', path: '/v1/jobs/{id}', owner, query: 'job(id: $id)',
    summary: 'Get a job by id' },
  { method: 'POST', path: '/v1/jobs/{id}/complete', owner, body: 'input', mutation: 'completeJob(id: $id, input: $input)',
    summary: 'Report a claimed job done (worker; result payload)' },
  { method: 'POST', path: '/v1/jobs/{id}/fail', owner, body: 'input', mutation: 'failJob(id: $id, input: $input)',
    summary: 'Report a claimed job failed (retried with backoff until maxAttempts, then failed for good)' },
]);
