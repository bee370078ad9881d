/**
 * Live pages: a subscription to the organization's event stream that refetches the page's query
 * when something relevant happens (coalesced, so a burst of events costs one refetch).
 */
import { useSubscription } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { OrgEventsDocument } from './generated/operations.ts';

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
      timer.current = setTimeout(() => void latest.current(), 150);
    },
  });
}
