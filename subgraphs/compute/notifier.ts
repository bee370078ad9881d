/**
 * Wakes node agents' long polls when their assignments change: a message on one bus channel (Redis
 * pub/sub or PostgreSQL LISTEN/NOTIFY, so every compute replica hears it) naming the node. Waiters live
 * in the process that holds the poll; the assignments themselves are always read from PostgreSQL.
 */
import type { MessageBus } from '../../kernel/bus.ts';
import type { Logger } from '../../kernel/logger.ts';

export const ASSIGNMENTS_CHANNEL = 'compute:assignments';

export class AssignmentNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();
  private unsubscribe?: () => Promise<void>;

  private readonly bus: MessageBus;
  private readonly log: Logger;

  constructor(bus: MessageBus, log: Logger) {
    this.bus = bus;
    this.log = log;
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(ASSIGNMENTS_CHANNEL, (nodeId) => this.wake(nodeId));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    for (const nodeId of [...this.waiters.keys()]) this.wake(nodeId);
  }

  /** Announces changed assignments (after the transaction that changed them committed). */
  publish(nodeIds: Iterable<string>): void {
    for (const nodeId of new Set(nodeIds)) {
      this.wake(nodeId); // this process's polls at once, without the bus round trip
      this.bus
        .publish(ASSIGNMENTS_CHANNEL, nodeId)
        .catch((error) => this.log.warn({ err: error }, 'compute: assignment notification failed'));
    }
  }

  /** Resolves when the node's assignments may have changed, or after `ms`. */
  wait(nodeId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(nodeId);
      if (!set) {
        set = new Set();
        this.waiters.set(nodeId, set);
      }
      const done = () => {
        clearTimeout(timer);
        set?.delete(done);
        if (set?.size === 0) this.waiters.delete(nodeId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private wake(nodeId: string): void {
    for (const done of [...(this.waiters.get(nodeId) ?? [])]) done();
  }
}
