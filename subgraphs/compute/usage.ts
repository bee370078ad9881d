/**
 * Usage metering (docs/events.md, `usage.recorded`): while a VM or replica runs, each interval's
 * GPU-seconds are announced for billing to debit. Intervals are contiguous: `metered_until` is the last
 * metered instant of the workload, moved forward in the same transaction that records the event, so
 * intervals never overlap nor leave gaps, and a crash between the two is impossible. Intervals are whole
 * seconds; the sub-second remainder carries to the next one, and the one left at the stop is not billed.
 *
 *   amountMicros = round_half_up(gpuSeconds × priceCentsPerGpuHour × 10_000 / 3_600)
 *
 * in integer arithmetic (BigInt), 1 cent = 10,000 micro-dollars.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../kernel/ids.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { date, num, type Row } from './sql.ts';

export function amountMicros(gpuSeconds: number, centsPerGpuHour: number): number {
  const numerator = BigInt(gpuSeconds) * BigInt(centsPerGpuHour) * 10_000n;
  return Number((numerator + 1_800n) / 3_600n);
}

/** Records the usage of `vm` (a `vms` row, running until now) up to `until`, and moves its meter. */
export async function meterUntil(tx: EntityManager, vm: Row, until: Date): Promise<void> {
  if (vm.metered_until == null) return;
  const from = date(vm.metered_until);
  const seconds = Math.floor((until.getTime() - from.getTime()) / 1000);
  if (seconds <= 0) return;
  const end = new Date(from.getTime() + seconds * 1000);
  const gpuCount = num(vm.gpu_count);
  const perGpuCents = gpuCount > 0 ? Math.round(num(vm.price_cents_per_hour) / gpuCount) : 0;
  const gpuSeconds = seconds * gpuCount;
  const isReplica = vm.cluster_id != null;
  const resourceType = isReplica ? 'cluster' : 'vm';
  const resourceId = String(isReplica ? vm.cluster_id : vm.id);
  recordEvent(tx, {
    orgId: String(vm.org_id),
    type: 'usage.recorded',
    subject: { type: resourceType, id: resourceId },
    data: {
      usageId: newId('use'),
      source: isReplica ? 'replica' : 'vm',
      resourceType,
      resourceId,
      quantity: gpuSeconds,
      unit: 'gpu_second',
      amountMicros: amountMicros(gpuSeconds, perGpuCents),
      currency: 'usd',
      gpuModelId: String(vm.gpu_model_id),
      tier: String(vm.tier),
      gpuCount,
      nodeId: vm.node_id == null ? undefined : String(vm.node_id),
      periodStart: from.toISOString(),
      periodEnd: end.toISOString(),
    },
  });
  await tx.execute('update vms set metered_until = ? where id = ?', [end, vm.id]);
  vm.metered_until = end;
}
