/** The signed-in person's inbox in this organization: unread first, mark read; new ones arrive live. */
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { when } from '../format.ts';
import {
  MarkAllNotificationsReadDocument,
  MarkNotificationReadDocument,
  NotificationReceivedDocument,
  NotificationsDocument,
} from '../generated/operations.ts';
import { useOrg } from '../org.tsx';

function useNotifications(orgId: string, userId: string | null, unreadOnly: boolean) {
  const result = useQuery(NotificationsDocument, { variables: { orgId, read: unreadOnly ? false : null } });
  useSubscription(NotificationReceivedDocument, {
    variables: { orgId, userId: userId ?? '' },
    skip: !userId,
    onData: () => void result.refetch().catch(() => undefined),
  });
  return result;
}

export function NotificationsPage() {
  const { orgId, userId } = useOrg();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const { data, error, loading } = useNotifications(orgId, userId, unreadOnly);
  const [markRead, marked] = useMutation(MarkNotificationReadDocument, { refetchQueries: [NotificationsDocument] });
  const [markAll, markedAll] = useMutation(MarkAllNotificationsReadDocument, {
    refetchQueries: [NotificationsDocument],
  });
  if (!data) return loading ? <Loading what="notifications" /> : <ErrorNote error={error} />;
  return (
    <>
      <h1>Notifications ({data.unreadNotificationCount} unread)</h1>
      <div className="actions">
        <label className="check">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} /> Unread only
        </label>
        {data.unreadNotificationCount > 0 && (
          <button type="button" onClick={() => markAll({ variables: { orgId } }).catch(() => undefined)}>
            Mark all read
          </button>
        )}
      </div>
      <ErrorNote error={marked.error ?? markedAll.error} />
      {data.notifications.items.length === 0 ? (
        <Empty>Nothing here. Budget alerts and approvals that need you are delivered to this inbox.</Empty>
      ) : (
        <ul className="cards">
          {data.notifications.items.map((n) => (
            <li key={n.id} className={`card ${n.read ? '' : 'unread'}`}>
              <div className="row">
                <h2>
                  {n.read ? '' : '● '}
                  {n.title}
                </h2>
                <span className="muted">
                  {n.type.toLowerCase()} · {when(n.createdAt)}
                </span>
              </div>
              <p>{n.message}</p>
              {!n.read && (
                <button
                  type="button"
                  onClick={() => markRead({ variables: { orgId, id: n.id } }).catch(() => undefined)}
                >
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
