/**
 * Jobs: per-queue stats, the job list filtered by status, and one job's detail with its events as
 * they happen (`jobEvents`); writers can cancel a queued or running job. The list follows `job.*`.
 */
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '../components/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { usd, when } from '../format.ts';
import {
  CancelJobDocument,
  JobDetailDocument,
  JobEventsDocument,
  type JobEventsSubscription,
  JobHistoryDocument,
  type JobStatus,
  JobsDocument,
  type JobsQuery,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

const STATUSES: JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const ms = (value: number | null | undefined) => (value == null ? '—' : `${value} ms`);

function useJobs(orgId: string, status: JobStatus | '') {
  const result = useQuery(JobsDocument, { variables: { orgId, status: status ? [status] : null } });
  useRefetchOnEvents(orgId, ['job.*'], result.refetch);
  return result;
}

function QueueStats({ stats }: { stats: JobsQuery['jobStats'] }) {
  return (
    <section className="card" aria-labelledby="queues-title">
      <h2 id="queues-title">Queues (last {stats.windowMinutes} min)</h2>
      {stats.queues.length === 0 ? (
        <Empty>No queue has had a job yet. Submit one with submitJob or POST /v1/jobs.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Queued</th>
              <th scope="col">Running</th>
              <th scope="col">Succeeded</th>
              <th scope="col">Failed</th>
              <th scope="col">Throughput</th>
              <th scope="col">Wait p50 / p95</th>
            </tr>
          </thead>
          <tbody>
            {stats.queues.map((q) => (
              <tr key={q.queue}>
                <td>{q.queue}</td>
                <td>{q.queued}</td>
                <td>{q.running}</td>
                <td>{q.succeeded}</td>
                <td>{q.failed}</td>
                <td>{q.throughputPerMinute.toFixed(1)}/min</td>
                <td>
                  {ms(q.waitP50Ms)} / {ms(q.waitP95Ms)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type JobEvent = JobEventsSubscription['jobEvents'];

/**
 * The job's events: its history from the log, then the live stream resumed after the last one read
 * (`since`), so none is missed or shown twice between the two.
 */
function useJobEvents(orgId: string, jobId: string, onEvent: () => void): JobEvent[] {
  const history = useQuery(JobHistoryDocument, { variables: { orgId, jobId }, fetchPolicy: 'network-only' });
  const [live, setLive] = useState<JobEvent[]>([]);
  const past = history.data?.events.items ?? [];
  useSubscription(JobEventsDocument, {
    variables: { jobId, orgId, since: past.at(-1)?.seq ?? null },
    skip: !history.data,
    onData: ({ data: next }) => {
      const event = next.data?.jobEvents;
      if (!event) return;
      setLive((seen) => (seen.some((e) => e.id === event.id) ? seen : [...seen, event]));
      onEvent();
    },
  });
  return [...past.filter((e) => !live.some((l) => l.id === e.id)), ...live];
}

/** One job, refetched on each of its events. */
function JobDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { orgId, can } = useOrg();
  const { data, error, refetch } = useQuery(JobDetailDocument, { variables: { id } });
  const events = useJobEvents(orgId, id, () => void refetch().catch(() => undefined));
  const [cancel, cancelled] = useMutation(CancelJobDocument);
  const job = data?.job;
  return (
    <section className="card" aria-labelledby="job-title" data-testid="job-detail">
      <h2 id="job-title">Job {id}</h2>
      <button type="button" onClick={onClose}>
        Close
      </button>
      {!job ? (
        error ? (
          <ErrorNote error={error} />
        ) : (
          <Loading what="the job" />
        )
      ) : (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="job-status">{job.status}</dd>
            <dt>Queue / type</dt>
            <dd>
              {job.queue} / {job.type}
            </dd>
            <dt>Attempts</dt>
            <dd>
              {job.attempts} of {job.maxAttempts}
              {job.workerId && ` (worker ${job.workerId})`}
            </dd>
            <dt>Cost</dt>
            <dd>
              {usd(job.costMicros)} (at most {usd(job.costEstimateMicros)})
            </dd>
            <dt>Created / started / finished</dt>
            <dd>
              {when(job.createdAt)} / {when(job.startedAt)} / {when(job.finishedAt)}
            </dd>
          </dl>
          {job.error != null && <pre>{JSON.stringify(job.error, null, 2)}</pre>}
          {job.result != null && <pre>{JSON.stringify(job.result, null, 2)}</pre>}
          {can('compute:write') && (job.status === 'QUEUED' || job.status === 'RUNNING') && (
            <ConfirmButton
              label="Cancel job"
              ariaLabel={`Cancel job ${job.id}`}
              title={`Cancel job ${job.id}?`}
              confirmLabel="Cancel job"
              danger
              onConfirm={() => cancel({ variables: { id: job.id } }).catch(() => undefined)}
            >
              A running job's worker finds out at its next heartbeat; the job is not retried.
            </ConfirmButton>
          )}
          <ErrorNote error={cancelled.error} />
        </>
      )}
      <h3>Events</h3>
      {events.length === 0 ? (
        <p className="muted">None yet; they appear here as they happen.</p>
      ) : (
        <ol aria-label="Job events">
          {events.map((e) => (
            <li key={e.id}>
              {e.type} <span className="muted">{when(e.occurredAt)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function JobsPage() {
  const { orgId } = useOrg();
  const [status, setStatus] = useState<JobStatus | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  const { data, error, loading } = useJobs(orgId, status);
  return (
    <>
      <h1>Jobs</h1>
      {selected && <JobDetail key={selected} id={selected} onClose={() => setSelected(null)} />}
      {!data ? (
        loading ? (
          <Loading what="jobs" />
        ) : (
          <ErrorNote error={error} />
        )
      ) : (
        <>
          <QueueStats stats={data.jobStats} />
          <section className="card" aria-labelledby="jobs-title">
            <h2 id="jobs-title">Jobs</h2>
            <label>
              Status{' '}
              <select value={status} onChange={(event) => setStatus(event.target.value as JobStatus | '')}>
                <option value="">Any</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s.toLowerCase()}
                  </option>
                ))}
              </select>
            </label>
            {data.jobs.items.length === 0 ? (
              <Empty>No jobs{status && ` ${status.toLowerCase()}`}. Workers claim what submitJob queues.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">Queue / type</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Cost</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.jobs.items.map((job) => (
                    <tr key={job.id} data-testid={`job-${job.id}`}>
                      <td>
                        <button type="button" className="link" onClick={() => setSelected(job.id)}>
                          {job.id}
                        </button>
                      </td>
                      <td>
                        {job.queue} / {job.type}
                      </td>
                      <td>{job.status}</td>
                      <td>
                        {job.attempts} / {job.maxAttempts}
                      </td>
                      <td>{usd(job.costMicros ?? job.costEstimateMicros)}</td>
                      <td>{when(job.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}
