/**
 * Live pages: a subscription to the organization's event stream that refetches the page's query
 * when something relevant happens (coalesced, so a burst of events costs one refetch).
 */
import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { LatestEventSeqDocument, OrgEventsDocument } from './generated/operations.ts';

export function useRefetchOnEvents(orgId: string, types: string[], refetch: () => unknown, enabled = true): void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(refetch);
  latest.current = refetch;
  useEffect(() => () => clearTimeout(timer.current), []);
  useSubscription(OrgEventsDocument, {
    variables: { orgId, types },
    skip: !enabled,
    onData: () => {
      clearTimeout(timer.current);
      // A refetch that fails (the page is closing, the network dropped) shows in the query's own error
      // state; its rejected promise must not become an unhandled rejection.
      timer.current = setTimeout(() => Promise.resolve(latest.current()).catch(() => undefined), 150);
    },
  });
}

/**
 * Where a page's subscription resumes so that nothing between its query and the subscription's start
 * is missed: the organization's last event sequence number, read (from the server, once) BEFORE the
 * page's query runs — skip the query until it is known. Any change the query did not see has an
 * event after it (the log's per-org sequence is assigned under a lock, in commit order), which the
 * subscription replays with `since`; a change seen twice costs one refetch. Undefined while loading.
 */
export function useResumeCursor(orgId: string): { since: number | undefined; error: unknown } {
  const latest = useQuery(LatestEventSeqDocument, { variables: { orgId }, fetchPolicy: 'network-only' });
  const seq = latest.data?.events.items[0]?.seq;
  return { since: latest.data ? (seq ?? 0) : undefined, error: latest.error };
}
