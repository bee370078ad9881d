/**
 * Agents, templates and tasks (seed 004's `/v1/public/*`; docs/jobs.md#agents). `orgId` defaults to the
 * API key's organization. A task is a job on its agent's queue: workers claim it with
 * `POST /v1/jobs/claim` (`queue: "agent.<id>"`) and finish it with `/v1/jobs/{id}/complete|fail`.
 */
import { defineRoutes } from '../route-table.ts';

const owner = 'compute';

// biome-ignore format: a table, one route a line or two
export const agentRoutes = defineRoutes([
  // ---- agents --------------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/public/agents', owner, paginated: true, fill: { orgId: 'callerOrg' }, query: 'agents(...)',
    summary: 'List agents (filter status, role)' },
  { method: 'POST', path: '/v1/public/agents', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' }, mutation: 'createAgent(input: $input)',
    summary: 'Create an agent (its own queue; model, interval, role; from a template)' },
  { method: 'GET', path: '/v1/public/agents/{id}', owner, query: 'agent(id: $id)',
    summary: 'Get an agent (state, heartbeat, current task, queued and running tasks)' },
  { method: 'PATCH', path: '/v1/public/agents/{id}', owner, body: 'input', mutation: 'updateAgent(id: $id, input: $input)',
    summary: 'Update an agent (what it reports: status idle/working/blocked, current task)' },
  { method: 'DELETE', path: '/v1/public/agents/{id}', owner, mutation: 'deactivateAgent(id: $id)',
    summary: 'Deactivate an agent (status offline; its tasks are not claimable)' },
  { method: 'POST', path: '/v1/public/agents/{id}/start', owner, mutation: 'startAgent(id: $id)',
    summary: 'Start an agent (its tasks become claimable)' },
  { method: 'POST', path: '/v1/public/agents/{id}/stop', owner, mutation: 'stopAgent(id: $id)',
    summary: 'Stop an agent (status paused; its tasks are not claimable)' },
  { method: 'POST', path: '/v1/public/agents/{id}/restart', owner, mutation: 'restartAgent(id: $id)',
    summary: 'Restart an agent (the tasks it held go back to its queue)' },
  // ---- templates -----------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/public/templates', owner, paginated: true, fill: { orgId: 'callerOrg' }, query: 'agentTemplates(...)',
    summary: 'List agent templates (filter category, featured)' },
  { method: 'POST', path: '/v1/public/templates', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' }, mutation: 'createAgentTemplate(input: $input)',
    summary: 'Create an agent template (model, tools, capabilities, config; a taken slug is 409)' },
  { method: 'GET', path: '/v1/public/templates/{id}', owner, query: 'agentTemplate(id: $id)',
    summary: 'Get an agent template' },
  { method: 'PATCH', path: '/v1/public/templates/{id}', owner, body: 'input', mutation: 'updateAgentTemplate(id: $id, input: $input)',
    summary: 'Update an agent template' },
  { method: 'DELETE', path: '/v1/public/templates/{id}', owner, mutation: 'archiveAgentTemplate(id: $id)',
    summary: 'Archive an agent template (soft delete)' },
  // ---- tasks ---------------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/public/tasks', owner, paginated: true, fill: { orgId: 'callerOrg' }, query: 'agentTasks(...)',
    summary: 'List agent tasks (filter status, priority, assignee)' },
  { method: 'POST', path: '/v1/public/tasks', owner, status: 201, body: 'input', fill: { orgId: 'callerOrg' }, mutation: 'createAgentTask(input: $input)',
    summary: 'Create an agent task: a job on the assignee agent\'s queue (type, priority, max duration)' },
  { method: 'GET', path: '/v1/public/tasks/{id}', owner, query: 'agentTask(id: $id)',
    summary: 'Get an agent task (status from its job)' },
  { method: 'PATCH', path: '/v1/public/tasks/{id}', owner, body: 'input', mutation: 'updateAgentTask(id: $id, input: $input)',
    summary: 'Update an agent task (status review/blocked/cancelled, assignee while queued, resolution, ...)' },
  { method: 'DELETE', path: '/v1/public/tasks/{id}', owner, mutation: 'archiveAgentTask(id: $id)',
    summary: 'Archive an agent task (status cancelled; its job is cancelled)' },
  // ---- dashboard -----------------------------------------------------------------------------------
  { method: 'GET', path: '/v1/orgs/{orgId}/dashboard/agent-queue-health', owner, query: 'agentQueueHealth(orgId: $orgId)',
    summary: 'Per-agent queued and running tasks, wait times, completions and failures' },
]);
