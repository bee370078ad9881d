/**
 * Schedules: on a cron expression (with its time zone), every N seconds, or once after a delay, start
 * a pipeline definition's run or submit a job (queue, type, payload, priority, attempts, timeout);
 * delete. The server validates the expression, the job spec and the bounds.
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
type Target = 'run' | 'job';
type Definitions = SchedulesQuery['workflowDefinitions']['items'];
type Schedule = SchedulesQuery['workflowSchedules'][number];

/** What a schedule's timing fields say, for a person. */
function timing(s: Schedule): string {
  if (s.kind === 'cron') return `cron ${s.cron} (${s.timezone ?? 'UTC'})`;
  if (s.kind === 'every') return `every ${s.everySeconds} s`;
  return 'once';
}

/** What a tick does, for a person: the definition whose run it starts, or the job it submits. */
function targetOf(s: Schedule, names: Map<string, string>): string {
  if (s.target === 'job') {
    const job = (s.job ?? {}) as { type?: string; queue?: string };
    return `job ${job.type ?? '?'} on ${job.queue ?? 'default'}`;
  }
  return `run of ${s.definitionId ? (names.get(s.definitionId) ?? s.definitionId) : '?'}`;
}

/** A number field's value, or nothing when left blank (the server's default applies). */
function optionalInt(data: FormData, field: string): number | undefined {
  const text = String(data.get(field) ?? '').trim();
  return text === '' ? undefined : Number(text);
}

/** The job spec from the form; the payload is JSON typed by a person (a mistake is named before sending). */
function jobSpec(data: FormData): Record<string, unknown> {
  const payloadText = String(data.get('payload') ?? '').trim();
  let payload: unknown;
  if (payloadText !== '') {
    try {
      payload = JSON.parse(payloadText);
    } catch {
      throw new Error('Payload: enter JSON, e.g. {"frame": 1}');
    }
  }
  const queue = String(data.get('queue') ?? '').trim();
  const spec: Record<string, unknown> = {
    type: String(data.get('jobType') ?? '').trim(),
    ...(queue ? { queue } : {}),
    ...(payload !== undefined ? { payload } : {}),
  };
  for (const field of ['priority', 'maxAttempts', 'timeoutSeconds']) {
    const value = optionalInt(data, field);
    if (value !== undefined) spec[field] = value;
  }
  return spec;
}

function JobFields() {
  return (
    <>
      <label>
        Job type <input name="jobType" required maxLength={200} placeholder="render-frame" />
      </label>
      <label>
        Queue <input name="queue" maxLength={200} placeholder="default" />
      </label>
      <label>
        Payload (JSON) <textarea name="payload" rows={1} maxLength={65536} placeholder='{"frame": 1}' />
      </label>
      <label>
        Priority <input name="priority" type="number" step={1} />
      </label>
      <label>
        Max attempts <input name="maxAttempts" type="number" min={1} step={1} />
      </label>
      <label>
        Timeout (s) <input name="timeoutSeconds" type="number" min={1} step={1} />
      </label>
    </>
  );
}

function CreateScheduleForm({ definitions }: { definitions: Definitions }) {
  const { orgId } = useOrg();
  const [kind, setKind] = useState<Kind>('cron');
  const [target, setTarget] = useState<Target>(definitions.length > 0 ? 'run' : 'job');
  const [invalid, setInvalid] = useState<Error | null>(null);
  const [create, { error, loading }] = useMutation(CreateScheduleDocument, { refetchQueries: [SchedulesDocument] });
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const name = String(data.get('name') ?? '').trim();
        const timingField = String(data.get('timing')).trim();
        let what: Record<string, unknown>;
        try {
          what = target === 'run' ? { definitionId: String(data.get('definition')) } : { job: jobSpec(data) };
        } catch (mistake) {
          setInvalid(mistake as Error);
          return;
        }
        setInvalid(null);
        const input = {
          orgId,
          ...what,
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
        Target
        <select name="target" value={target} onChange={(event) => setTarget(event.target.value as Target)}>
          <option value="run">start a pipeline run</option>
          <option value="job">submit a job</option>
        </select>
      </label>
      {target === 'job' ? (
        <JobFields />
      ) : definitions.length === 0 ? (
        <Empty>No pipeline definitions yet: create one through the API, or schedule a job instead.</Empty>
      ) : (
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
      )}
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
      <button type="submit" className="primary" disabled={loading || (target === 'run' && definitions.length === 0)}>
        Create schedule
      </button>
      <ErrorNote error={invalid ?? error} />
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
            <Empty>
              No schedules. A schedule starts a pipeline definition's runs, or submits a job, on a cron, an interval or
              once.
            </Empty>
          ) : (
            <table>
              <caption className="visually-hidden">Schedules</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Target</th>
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
                    <td>{targetOf(s, names)}</td>
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
                          No more {s.target === 'job' ? 'jobs are submitted' : 'runs start'} from it; those already
                          started continue.
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
