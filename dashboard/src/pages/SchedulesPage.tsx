/**
 * Pipeline schedules: start a definition's run on a cron expression (with its time zone), every N
 * seconds, or once after a delay; delete. The server validates the expression and the bounds.
 */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '../components/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { when } from '../format.ts';
import {
  CreateScheduleDocument,
  DeleteScheduleDocument,
  SchedulesDocument,
  type SchedulesQuery,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

type Kind = 'cron' | 'every' | 'delay';
type Definitions = SchedulesQuery['workflowDefinitions']['items'];

/** What a schedule's timing fields say, for a person. */
function timing(s: SchedulesQuery['workflowSchedules'][number]): string {
  if (s.kind === 'cron') return `cron ${s.cron} (${s.timezone ?? 'UTC'})`;
  if (s.kind === 'every') return `every ${s.everySeconds} s`;
  return 'once';
}

function CreateScheduleForm({ definitions }: { definitions: Definitions }) {
  const { orgId } = useOrg();
  const [kind, setKind] = useState<Kind>('cron');
  const [create, { error, loading }] = useMutation(CreateScheduleDocument, { refetchQueries: [SchedulesDocument] });
  if (definitions.length === 0)
    return <Empty>No pipeline definitions yet: create one through the API, then schedule its runs here.</Empty>;
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const name = String(data.get('name') ?? '').trim();
        const timingField = String(data.get('timing')).trim();
        const input = {
          orgId,
          definitionId: String(data.get('definition')),
          ...(name ? { name } : {}),
          ...(kind === 'cron'
            ? { cron: timingField, timezone: String(data.get('timezone') || 'UTC') }
            : { [kind]: Number(timingField) }),
        };
        const result = await create({ variables: { input } }).catch(() => undefined);
        if (result?.data) form.reset();
      }}
    >
      <label>
        Definition
        <select name="definition">
          {definitions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} (v{d.version})
            </option>
          ))}
        </select>
      </label>
      <label>
        Name <input name="name" maxLength={200} />
      </label>
      <label>
        Kind
        <select name="kind" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
          <option value="cron">cron expression</option>
          <option value="every">every N seconds</option>
          <option value="delay">once, after N seconds</option>
        </select>
      </label>
      {kind === 'cron' ? (
        <>
          <label>
            Cron expression <input name="timing" required placeholder="0 3 * * *" />
          </label>
          <label>
            Time zone <input name="timezone" placeholder="UTC" />
          </label>
        </>
      ) : (
        <label>
          Seconds <input name="timing" type="number" min={1} required />
        </label>
      )}
      <button type="submit" className="primary" disabled={loading}>
        Create schedule
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

export function SchedulesPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading, refetch } = useQuery(SchedulesDocument, { variables: { orgId } });
  // A schedule firing starts a run: its next and last fire times move.
  useRefetchOnEvents(orgId, ['run.created'], refetch);
  const [remove, removed] = useMutation(DeleteScheduleDocument, { refetchQueries: [SchedulesDocument] });
  const writable = can('compute:write');
  const names = new Map((data?.workflowDefinitions.items ?? []).map((d) => [d.id, d.name]));
  return (
    <>
      <h1>Schedules</h1>
      {!data ? (
        loading ? (
          <Loading what="schedules" />
        ) : (
          <ErrorNote error={error} />
        )
      ) : (
        <>
          {writable && <CreateScheduleForm definitions={data.workflowDefinitions.items} />}
          {data.workflowSchedules.length === 0 ? (
            <Empty>No schedules. A schedule starts a pipeline definition's runs on a cron, an interval or once.</Empty>
          ) : (
            <table>
              <caption className="visually-hidden">Schedules</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Definition</th>
                  <th scope="col">When</th>
                  <th scope="col">Next</th>
                  <th scope="col">Last</th>
                  <th scope="col">Fired</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.workflowSchedules.map((s) => (
                  <tr key={s.id} data-testid={`schedule-${s.id}`}>
                    <td>{s.name ?? s.id}</td>
                    <td>{names.get(s.definitionId) ?? s.definitionId}</td>
                    <td>
                      {timing(s)}
                      {s.missed === 'catch_up' && <div className="muted">catches up missed ticks</div>}
                    </td>
                    <td>{s.nextFireAt ? when(s.nextFireAt) : '—'}</td>
                    <td>{s.lastFiredAt ? when(s.lastFiredAt) : 'never'}</td>
                    <td>{s.fireCount}</td>
                    <td>
                      {writable && (
                        <ConfirmButton
                          label="Delete"
                          ariaLabel={`Delete schedule ${s.name ?? s.id}`}
                          title={`Delete schedule ${s.name ?? s.id}?`}
                          confirmLabel="Delete schedule"
                          danger
                          onConfirm={() => remove({ variables: { id: s.id } }).catch(() => undefined)}
                        >
                          No more runs start from it; runs already started continue.
                        </ConfirmButton>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ErrorNote error={removed.error} />
        </>
      )}
    </>
  );
}
