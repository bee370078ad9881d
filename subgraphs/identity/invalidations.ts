/**
 * The revocation log (`identity.auth_invalidations`): the durable copy of
 * every auth invalidation identity broadcasts. Each row gets the next `seq`
 * under a transaction-level advisory lock, so rows become visible in `seq`
 * order: a reader that has seen `seq` N has seen every committed row below N,
 * and reading "after my last seq" never skips one. Gateways catch up on it
 * after reconnecting to the bus and every TRELLIS_AUTH_REVOCATION_POLL_MS.
 * Only the newest rows are kept; a reader further behind is told to reset.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthInvalidation, AuthInvalidationLog } from '../../kernel/auth-invalidation.ts';

/** Rows kept (older ones are pruned as new ones are written). */
const RETAINED = 10_000;
/** At most this many rows per read; a reader further behind resets its cache instead. */
const PAGE = 1_000;
const LOCK = "hashtext('trellis:auth_invalidations')";

/** Appends an invalidation; returns its sequence number. */
export async function recordInvalidation(em: EntityManager, event: AuthInvalidation): Promise<number> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(${LOCK})`);
    // Lists travel as JSON: the query builder would expand an array parameter into `?, ?, …`.
    const list = (ids: string[] | undefined) => JSON.stringify(ids ?? []);
    const [row] = await tx.execute<{ seq: string }[]>(
      `insert into auth_invalidations (key_ids, user_ids, session_ids)
       select array(select jsonb_array_elements_text(?::jsonb)), array(select jsonb_array_elements_text(?::jsonb)),
              array(select jsonb_array_elements_text(?::jsonb))
       returning seq`,
      [list(event.keyIds), list(event.userIds), list(event.sessionIds)],
    );
    const seq = Number(row?.seq);
    if (seq % 100 === 0) await tx.execute('delete from auth_invalidations where seq <= ?', [seq - RETAINED]);
    return seq;
  });
}

/**
 * The invalidations after `afterSeq` (oldest first) and the head. Without `afterSeq` only the head
 * (a gateway starting up has nothing cached). `reset` when rows after `afterSeq` were pruned or
 * there are more than one page: the reader drops everything it caches.
 */
export async function invalidationsAfter(em: EntityManager, afterSeq: number | null): Promise<AuthInvalidationLog> {
  const [bounds] = await em.execute<{ head: string | null; oldest: string | null }[]>(
    'select max(seq) as head, min(seq) as oldest from auth_invalidations',
  );
  const head = Number(bounds?.head ?? 0);
  if (afterSeq === null || afterSeq >= head) return { head, events: [], reset: false };
  const oldest = Number(bounds?.oldest ?? 0);
  const rows = await em.execute<{ seq: string; key_ids: string[]; user_ids: string[]; session_ids: string[] }[]>(
    'select seq, key_ids, user_ids, session_ids from auth_invalidations where seq > ? order by seq limit ?',
    [afterSeq, PAGE + 1],
  );
  if (afterSeq < oldest - 1 || rows.length > PAGE) return { head, events: [], reset: true };
  return {
    head,
    reset: false,
    events: rows.map((r) => ({
      seq: Number(r.seq),
      keyIds: r.key_ids,
      userIds: r.user_ids,
      sessionIds: r.session_ids,
    })),
  };
}
