/**
 * Placement: where a VM or cluster replica runs. Behind a driver interface so a Kubernetes driver
 * (Pods on an operator's own cluster) can sit beside the node-agent driver without touching the API.
 *
 * The node-agent driver places in one SQL statement: it locks one online node of the requested GPU model
 * and tier with enough free GPUs (`FOR UPDATE SKIP LOCKED`, so concurrent creates on several compute
 * replicas never wait on each other nor double-book), preferring the requested regions and the
 * tightest fit, and adds the GPUs to `gpu_used` — which a check constraint bounds by `gpu_total`. No
 * state lives in memory. A request that finds every candidate locked or full stays `pending` and the
 * compute worker tries it again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one, textArray } from './sql.ts';

export interface PlacementRequest {
  gpuModelId: string;
  gpuCount: number;
  tier: string;
  preferredRegions: string[];
  allowFallback: boolean;
}

export interface Placement {
  driver: string;
  nodeId: string;
  region: string;
  runtime: string;
}

export interface PlacementDriver {
  readonly name: string;
  /** Reserves capacity for the request inside `tx`, or returns null when none is free right now. */
  place(tx: EntityManager, request: PlacementRequest): Promise<Placement | null>;
  /** Gives the capacity of a workload back (it stopped, ended or failed), inside `tx`. */
  release(tx: EntityManager, nodeId: string, gpuCount: number): Promise<void>;
  /** Tells the node its assignments changed (its agent re-reads them), inside `tx`. */
  touch(tx: EntityManager, nodeId: string): Promise<void>;
  /** Reserves one runner slot for a pool's runner (0 GPUs) inside `tx`, or null when none is free. */
  placeRunner(tx: EntityManager): Promise<Placement | null>;
  /** Gives a runner's slot back, inside `tx`. */
  releaseRunner(tx: EntityManager, nodeId: string): Promise<void>;
  /**
   * An SQL condition on a pending `vms` row aliased `v`: true when some capacity might take it now (a
   * superset of what `place` accepts). The worker locks and retries only these, so a workload nothing can
   * take costs one read per pass instead of a row lock, a placement statement and a commit.
   */
  readonly mayPlaceSql: string;
}

export const agentNodeDriver: PlacementDriver = {
  name: 'agent',
  async place(tx, request) {
    const regions = textArray(request.preferredRegions);
    const anyRegion = request.preferredRegions.length === 0 || request.allowFallback;
    const row = await one(
      tx,
      `update nodes n set gpu_used = n.gpu_used + ?, assignment_version = n.assignment_version + 1, updated_at = now()
       from (
         select id from nodes
         where status = 'online' and gpu_model_id = ? and tier = ? and gpu_total - gpu_used >= ?
           and (? or region = any(?::text[]))
         order by (region = any(?::text[])) desc, gpu_total - gpu_used, id
         limit 1
         for update skip locked
       ) c
       where n.id = c.id
       returning n.id, n.region, n.runtime`,
      [request.gpuCount, request.gpuModelId, request.tier, request.gpuCount, anyRegion, regions, regions],
    );
    return row
      ? { driver: 'agent', nodeId: String(row.id), region: String(row.region), runtime: String(row.runtime) }
      : null;
  },
  async release(tx, nodeId, gpuCount) {
    await tx.execute(
      `update nodes set gpu_used = greatest(0, gpu_used - ?), assignment_version = assignment_version + 1,
         updated_at = now() where id = ?`,
      [gpuCount, nodeId],
    );
  },
  async touch(tx, nodeId) {
    await tx.execute('update nodes set assignment_version = assignment_version + 1 where id = ?', [nodeId]);
  },
  /**
   * A runner needs no GPU: one of the node's runner slots (one per CPU core it reported, bounded by the
   * check constraint `nodes_runner_slots`), on a `process` node (the runner is the agent's own program; the
   * docker runtime would need an image of it). The node with the most free slots first, spreading runners.
   */
  async placeRunner(tx) {
    const row = await one(
      tx,
      `update nodes n set runner_slots_used = n.runner_slots_used + 1, assignment_version = n.assignment_version + 1,
         updated_at = now()
       from (
         select id from nodes
         where status = 'online' and runtime = 'process' and cpu_cores - runner_slots_used >= 1
         order by cpu_cores - runner_slots_used desc, id
         limit 1
         for update skip locked
       ) c
       where n.id = c.id
       returning n.id, n.region, n.runtime`,
      [],
    );
    return row
      ? { driver: 'agent', nodeId: String(row.id), region: String(row.region), runtime: String(row.runtime) }
      : null;
  },
  async releaseRunner(tx, nodeId) {
    await tx.execute(
      `update nodes set runner_slots_used = greatest(0, runner_slots_used - 1),
         assignment_version = assignment_version + 1, updated_at = now() where id = ?`,
      [nodeId],
    );
  },
  mayPlaceSql: `exists (select 1 from nodes n where n.status = 'online' and n.gpu_model_id = v.gpu_model_id
      and n.tier = v.tier and n.gpu_total - n.gpu_used >= v.gpu_count
      and (v.allow_fallback or cardinality(v.preferred_regions) = 0 or n.region = any(v.preferred_regions)))`,
};

export const NO_RUNNER_SLOT_REASON =
  'waiting for a runner slot: no online process-runtime node has a free runner slot (one per CPU core)';

/** Why a request waits, in the caller's terms (statusReason of a pending VM). */
export function noCapacityReason(request: PlacementRequest): string {
  const where =
    request.preferredRegions.length && !request.allowFallback ? ` in ${request.preferredRegions.join(', ')}` : '';
  return `waiting for capacity: no online ${request.tier} node has ${request.gpuCount} free ${request.gpuModelId} GPU(s)${where}`;
}
