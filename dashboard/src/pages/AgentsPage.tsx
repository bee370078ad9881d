/**
 * Agents: create (optionally from a template, which fills model, interval and role), start / stop /
 * restart (stop and restart confirmed: restart puts the tasks it holds back in its queue), their
 * queues, and the recent tasks with a form to queue one. Follows `agent.*` and `job.*` events.
 */
import { useMutation, useQuery } from '@apollo/client/react';
import { ConfirmButton } from '../components/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { when } from '../format.ts';
import {
  AgentsDocument,
  type AgentsQuery,
  CreateAgentDocument,
  CreateAgentTaskDocument,
  RestartAgentDocument,
  StartAgentDocument,
  StopAgentDocument,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

type Agent = AgentsQuery['agents']['items'][number];

function useAgents(orgId: string) {
  const result = useQuery(AgentsDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, ['agent.*', 'job.*'], result.refetch);
  return result;
}

function CreateAgentForm({ templates }: { templates: AgentsQuery['agentTemplates']['items'] }) {
  const { orgId } = useOrg();
  const [create, { error, loading }] = useMutation(CreateAgentDocument, { refetchQueries: [AgentsDocument] });
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const role = String(data.get('role') ?? '').trim();
        const templateId = String(data.get('template') ?? '');
        const input = {
          orgId,
          name: String(data.get('name')),
          ...(role ? { role } : {}),
          ...(templateId ? { templateId } : {}),
        };
        const result = await create({ variables: { input } }).catch(() => undefined);
        if (result?.data) form.reset();
      }}
    >
      <label>
        Agent name <input name="name" required maxLength={100} />
      </label>
      <label>
        Role <input name="role" maxLength={100} placeholder="needed without a template" />
      </label>
      <label>
        Template
        <select name="template">
          <option value="">none</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.model ? ` (${t.model})` : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={loading}>
        Create agent
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function AgentActions({ agent }: { agent: Agent }) {
  const [start, started] = useMutation(StartAgentDocument);
  const [stop, stopped] = useMutation(StopAgentDocument);
  const [restart, restarted] = useMutation(RestartAgentDocument);
  const variables = { id: agent.id };
  const running = agent.desiredState === 'RUNNING';
  return (
    <div className="actions">
      {!running && (
        <button
          type="button"
          aria-label={`Start ${agent.name}`}
          onClick={() => start({ variables }).catch(() => undefined)}
        >
          Start
        </button>
      )}
      {running && (
        <ConfirmButton
          label="Stop"
          ariaLabel={`Stop ${agent.name}`}
          title={`Stop ${agent.name}?`}
          confirmLabel="Stop agent"
          onConfirm={() => stop({ variables }).catch(() => undefined)}
        >
          Its tasks stay queued and are not claimable until it starts again.
        </ConfirmButton>
      )}
      {running && (
        <ConfirmButton
          label="Restart"
          ariaLabel={`Restart ${agent.name}`}
          title={`Restart ${agent.name}?`}
          confirmLabel="Restart agent"
          onConfirm={() => restart({ variables }).catch(() => undefined)}
        >
          Tasks it is running go back to its queue.
        </ConfirmButton>
      )}
      <ErrorNote error={started.error ?? stopped.error ?? restarted.error} />
    </div>
  );
}

function CreateTaskForm({ agents }: { agents: Agent[] }) {
  const { orgId } = useOrg();
  const [create, { error, loading }] = useMutation(CreateAgentTaskDocument, { refetchQueries: [AgentsDocument] });
  if (agents.length === 0) return null;
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const input = {
          orgId,
          title: String(data.get('title')),
          assignedTo: String(data.get('agent')),
          priority: String(data.get('priority')) as 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL',
        };
        const result = await create({ variables: { input } }).catch(() => undefined);
        if (result?.data) form.reset();
      }}
    >
      <label>
        Task title <input name="title" required maxLength={200} />
      </label>
      <label>
        For agent
        <select name="agent">
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select name="priority" defaultValue="MEDIUM">
          <option value="LOW">low</option>
          <option value="MEDIUM">medium</option>
          <option value="HIGH">high</option>
          <option value="CRITICAL">critical</option>
        </select>
      </label>
      <button type="submit" className="primary" disabled={loading}>
        Queue task
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

export function AgentsPage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = useAgents(orgId);
  const writable = can('compute:write');
  if (!data)
    return (
      <>
        <h1>Agents</h1>
        {loading ? <Loading what="agents" /> : <ErrorNote error={error} />}
      </>
    );
  const agents = data.agents.items;
  const names = new Map(agents.map((a) => [a.id, a.name]));
  return (
    <>
      <h1>Agents</h1>
      {writable && <CreateAgentForm templates={data.agentTemplates.items} />}
      <section className="card" aria-labelledby="agents-title">
        <h2 id="agents-title">Agents</h2>
        {agents.length === 0 ? (
          <Empty>No agents. Create one{writable ? ' above' : ''}: each has its own task queue.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Tasks queued / running</th>
                <th scope="col">Last heartbeat</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id} data-testid={`agent-${a.name}`}>
                  <td>
                    {a.emoji && <span aria-hidden="true">{a.emoji} </span>}
                    {a.name}
                    {a.model && <div className="muted">{a.model}</div>}
                  </td>
                  <td>{a.role}</td>
                  <td>
                    <span data-testid="agent-status">{a.status}</span>
                    <div className="muted">
                      wants {a.desiredState.toLowerCase()}
                      {a.restartCount > 0 && `, restarted ${a.restartCount}×`}
                    </div>
                  </td>
                  <td>
                    {a.queuedTasks} / {a.runningTasks}
                  </td>
                  <td>{a.lastHeartbeatAt ? when(a.lastHeartbeatAt) : 'never'}</td>
                  <td>{writable && <AgentActions agent={a} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-labelledby="tasks-title">
        <h2 id="tasks-title">Tasks</h2>
        {writable && <CreateTaskForm agents={agents} />}
        {data.agentTasks.items.length === 0 ? (
          <Empty>No tasks. Queue one for an agent; it claims it from its queue while running.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {data.agentTasks.items.map((t) => (
                <tr key={t.id}>
                  <td>{t.title}</td>
                  <td>{names.get(t.assignedTo) ?? t.assignedTo}</td>
                  <td>{t.status}</td>
                  <td>{t.priority}</td>
                  <td>{when(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
