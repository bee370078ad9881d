/**
 * Org A for the cross-tenant matrix: one object of every kind a caller can
 * name (workflow, policy, API key, invitation, team, member, webhook, alert
 * channel, alert, execution, approval, event, VM), built through GraphQL as
 * its owner, and a snapshot of A's state to compare after the attacks.
 */
import { randomBytes } from 'node:crypto';
import { eventually } from '../eventually.ts';
import type { Json, TestPlatform, TestUser } from '../harness.ts';

export type Entity =
  | 'org'
  | 'user'
  | 'team'
  | 'invite'
  | 'apiKey'
  | 'workflow'
  | 'policy'
  | 'webhook'
  | 'alertChannel'
  | 'alert'
  | 'execution'
  | 'approval'
  | 'event'
  | 'vm'
  | 'node'
  | 'provisioningToken'
  | 'cluster'
  | 'sshKey'
  | 'registryCredential'
  | 'notification'
  | 'job'
  | 'agent'
  | 'agentTemplate'
  | 'agentTask'
  | 'snapshot'
  | 'transfer'
  | 'definition'
  | 'run'
  | 'session'
  | 'schedule'
  | 'trigger'
  | 'credential'
  | 'asset'
  | 'runnerPool';

export interface OrgA {
  owner: TestUser;
  ids: Record<Entity, string>;
  /** Names, emails and credentials of org A that must never reach another org's caller. */
  secrets: string[];
}

async function call(platform: TestPlatform, token: string, query: string, variables: Record<string, unknown> = {}) {
  const result = await platform.graphql(query, variables, { token });
  if (result.body?.errors?.length || !result.body?.data)
    throw new Error(`fixture call failed (${result.status}): ${JSON.stringify(result.body)}\n${query}`);
  return result.body.data as Json;
}

export async function buildOrgA(platform: TestPlatform): Promise<OrgA> {
  const tag = randomBytes(3).toString('hex');
  const owner = await platform.signup(`Alice Secret Org ${tag}`);
  const { token, orgId } = owner;
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    call(platform, token, query, { o: orgId, ...variables });

  const bob = await platform.signup(`Bob Hidden Org ${tag}`);
  await gql('mutation($o: ID!, $e: String!) { addMember(orgId: $o, input: { email: $e, role: MEMBER }) { userId } }', {
    e: bob.email,
  });
  const team = (
    await gql('mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }', {
      n: `Secret Team ${tag}`,
    })
  ).createTeam.id;
  await gql('mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { id } }', {
    t: team,
    u: bob.userId,
  });
  const inviteEmail = `hidden-invitee-${tag}@example.com`;
  const invite = (
    await gql(
      'mutation($o: ID!, $e: String!) { createInvitation(input: { orgId: $o, email: $e }) { invitation { id } } }',
      { e: inviteEmail },
    )
  ).createInvitation.invitation.id;
  const workflow = (
    await gql(
      'mutation($o: ID!, $n: String!) { createWorkflow(orgId: $o, input: { name: $n, budgetMicros: 1000000 }) { id } }',
      { n: `alice-agent-${tag}` },
    )
  ).createWorkflow.id;
  const createdKey = (
    await gql(
      'mutation($o: ID!, $w: ID!) { createApiKey(input: { orgId: $o, name: "alice key", workflowId: $w }) { key signingSecret apiKey { id prefix } } }',
      { w: workflow },
    )
  ).createApiKey;
  const policy = (
    await gql(
      'mutation($o: ID!, $n: String!) { createPolicy(orgId: $o, input: { name: $n, action: DENY, match: { models: ["llama*"] } }) { id } }',
      { n: `alice-policy-${tag}` },
    )
  ).createPolicy.id;
  const createdWebhook = (
    await gql(
      'mutation($o: ID!, $n: String!) { createWebhook(orgId: $o, input: { name: $n, url: "http://127.0.0.1:9/alice-hook", events: ["nothing.ever"] }) { webhook { id } secret } }',
      { n: `alice-hook-${tag}` },
    )
  ).createWebhook;
  const alertChannel = (
    await gql(
      'mutation($o: ID!, $t: String!) { createAlertChannel(orgId: $o, input: { kind: EMAIL, target: $t }) { id } }',
      { t: `alerts-${tag}@alice.example.com` },
    )
  ).createAlertChannel.id;

  // An execution that settles past 50 % of the budget (an alert), and one held for approval.
  const execution = (
    await gql('mutation($w: ID!) { execute(input: { workflowId: $w, estimatedCostMicros: 600000 }) { executionId } }', {
      w: workflow,
    })
  ).execute.executionId;
  await gql('mutation($x: ID!) { track(input: { executionId: $x, costMicros: 600000 }) { settled } }', {
    x: execution,
  });
  const alert = (await gql('query($o: ID!) { alerts(orgId: $o) { items { id } } }')).alerts.items[0]?.id;
  await gql(
    'mutation($o: ID!) { enablePolicyTemplate(orgId: $o, templateId: "tpl_approval_above_amount", parameters: { thresholdMicros: 1000 }) { enabled } }',
  );
  const approval = (
    await gql('mutation($w: ID!) { execute(input: { workflowId: $w, estimatedCostMicros: 2000 }) { approvalId } }', {
      w: workflow,
    })
  ).execute.approvalId;
  const vm = (
    await gql(
      'mutation($o: ID!, $n: String!) { createVm(orgId: $o, input: { name: $n, gpuModelId: "h100-80gb" }) { id } }',
      {
        n: `alice-vm-${tag}`,
      },
    )
  ).createVm.id;
  const cluster = (
    await gql(
      'mutation($o: ID!, $n: String!) { createCluster(orgId: $o, input: { name: $n, gpuModelId: "h100-80gb", replicaCount: 2 }) { id } }',
      { n: `alice-cluster-${tag}` },
    )
  ).createCluster.id;
  const sshKey = (
    await gql(
      'mutation($o: ID!, $k: String!) { createSshKey(orgId: $o, name: "alice laptop", publicKey: $k) { id } }',
      {
        k: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJmMvnYt4mKy9+Aor4lgFKvqiBlq5j7E7wi3Auywv5tZ alice@secret',
      },
    )
  ).createSshKey.id;
  const registryCredential = (
    await gql(
      'mutation($o: ID!) { createRegistryCredential(orgId: $o, input: { name: "alice registry", server: "ghcr.io", authType: "token", credentials: { token: "alice-registry-secret-token" } }) { id } }',
    )
  ).createRegistryCredential.id;
  const credential = (
    await gql(
      'mutation($o: ID!) { putCredential(orgId: $o, input: { key: "ALICE_VAULT_KEY", value: "alice-vault-secret-value" }) { key } }',
    )
  ).putCredential.key;
  const uploaded = await fetch(`${platform.url}/v1/assets?name=alice-asset-${tag}.txt&orgId=${orgId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    body: `alice-asset-content-${tag}`,
  });
  if (uploaded.status !== 201) throw new Error(`asset upload failed: ${uploaded.status} ${await uploaded.text()}`);
  const asset = ((await uploaded.json()) as Json).data.id as string;
  // A is a GPU provider with one registered node (its agent never heartbeats: only its identity matters).
  await gql('mutation($o: ID!) { applyForProvider(orgId: $o, note: "alice provides") { isProvider } }');
  const minted = (
    await gql(
      'mutation($o: ID!) { createProvisioningToken(orgId: $o, input: { name: "alice nodes" }) { token provisioningToken { id } } }',
    )
  ).createProvisioningToken;
  const registered = await platform.graphql(
    'mutation($t: String!, $i: NodeInventoryInput!) { agentRegister(token: $t, inventory: $i) { nodeId nodeSecret } }',
    {
      t: minted.token,
      i: {
        name: `alice-node-${tag}`,
        region: 'us-east',
        gpuModelId: 'l40s',
        gpuCount: 8,
        runtime: 'process',
        address: '127.0.0.1:9',
      },
    },
  );
  if (!registered.body.data) throw new Error(`agentRegister failed: ${JSON.stringify(registered.body)}`);
  const node = registered.body.data.agentRegister;
  // A snapshot of a VM that ran on A's node (the node's part played with its own secret) ...
  const asNode = (query: string, variables: Record<string, unknown>) =>
    platform.graphql(query, { n: node.nodeId, s: node.nodeSecret, ...variables }).then((r) => r.body.data as Json);
  const snapVm = (
    await gql('mutation($o: ID!) { createVm(orgId: $o, input: { name: "alice-snap-vm", gpuModelId: "l40s" }) { id } }')
  ).createVm.id;
  const report = async (state: string) => {
    const { agentAssignments } = await asNode(
      'query($n: ID!, $s: String!) { agentAssignments(nodeId: $n, nodeSecret: $s) { workloads { id generation } } }',
      {},
    );
    const workload = agentAssignments.workloads.find((w: Json) => w.id === snapVm);
    await asNode(
      'mutation($n: ID!, $s: String!, $i: AgentReportInput!) { agentReport(nodeId: $n, nodeSecret: $s, input: $i) }',
      { i: { workloadId: snapVm, generation: workload.generation, state, address: '127.0.0.1:9' } },
    );
  };
  await report('running');
  await gql('mutation($v: ID!) { stopVm(id: $v) { id } }', { v: snapVm });
  await report('stopped');
  const snapshotId = (
    await gql('mutation($v: ID!) { createVmSnapshot(id: $v, name: "alice-snapshot") { id } }', { v: snapVm })
  ).createVmSnapshot.id;
  // The node uploads the archive with its own credential; stored, the snapshot is available.
  const archived = await fetch(`${platform.url}/v1/agent/snapshots/${snapshotId}/archive`, {
    method: 'PUT',
    headers: {
      'x-trellis-node-id': node.nodeId,
      'x-trellis-node-secret': node.nodeSecret,
      'content-type': 'application/gzip',
    },
    body: `alice-snapshot-archive-${tag}`,
  });
  if (archived.status !== 200) throw new Error(`snapshot upload failed: ${archived.status} ${await archived.text()}`);
  // ... and a pending transfer of A's cluster to another organization of A's owner.
  const lab = (
    await gql('mutation($n: String!) { createOrganization(input: { name: $n }) { id } }', { n: `Alice Lab ${tag}` })
  ).createOrganization.id;
  const transfer = (
    await gql(
      'mutation($o: ID!, $c: ID!, $t: String!) { initiateTransfer(orgId: $o, input: { resourceType: "cluster", resourceId: $c, targetOrgSlug: $t }) { id } }',
      { c: cluster, t: lab },
    )
  ).initiateTransfer.id;

  const event = await eventually(
    async () => (await gql('query($o: ID!) { events(orgId: $o, limit: 1) { items { id } } }')).events.items[0]?.id,
    10_000,
    "an event in A's log",
  );

  // The 50 % alert above reaches A's owner's inbox (alert delivery, docs/notifications.md).
  const notification = await eventually(
    async () =>
      (await gql('query($o: ID!) { notifications(orgId: $o, limit: 1) { items { id } } }')).notifications.items[0]?.id,
    10_000,
    "a notification in A's owner's inbox",
  );
  await gql(
    'mutation($o: ID!, $n: String!) { recordActivity(orgId: $o, input: { actorType: AGENT, actorId: $n, action: "deploy" }) { id } }',
    { n: `alice-agent-${tag}` },
  );

  // A job that A's own worker holds (running: a foreign complete/fail would change it), an agent made
  // from a template, and a task waiting in the agent's queue.
  const job = (
    await gql(
      'mutation($o: ID!, $p: JSON) { submitJob(input: { orgId: $o, queue: "alice-q", type: "alice.job", payload: $p }) { job { id } } }',
      { p: { secret: `alice-job-${tag}` } },
    )
  ).submitJob.job.id;
  await gql('mutation($o: ID!) { claimJobs(input: { orgId: $o, workerId: "alice-worker", queue: "alice-q" }) { id } }');
  const agentTemplate = (
    await gql(
      'mutation($o: ID!, $n: String!) { createAgentTemplate(input: { orgId: $o, name: $n, slug: "alice-tpl", category: "ops" }) { id } }',
      { n: `alice-template-${tag}` },
    )
  ).createAgentTemplate.id;
  const agent = (
    await gql(
      'mutation($o: ID!, $n: String!, $t: ID!) { createAgent(input: { orgId: $o, name: $n, templateId: $t }) { id } }',
      {
        n: `alice-agentname-${tag}`,
        t: agentTemplate,
      },
    )
  ).createAgent.id;
  const agentTask = (
    await gql(
      'mutation($o: ID!, $a: String!, $t: String!) { createAgentTask(input: { orgId: $o, title: $t, assignedTo: $a }) { id } }',
      {
        a: agent,
        t: `alice-task-${tag}`,
      },
    )
  ).createAgentTask.id;
  // Pipelines: a definition with a trigger and an approval gate, a run waiting at it (in a session), a schedule.
  const definition = (
    await gql(
      `mutation($o: ID!, $n: String!) { createWorkflowDefinition(input: { orgId: $o, name: $n, triggers: [{ id: "manual" }],
        nodes: [{ id: "gate", type: "approval", message: "alice secret gate" }] }) { id triggers { id } } }`,
      { n: `alice-pipeline-${tag}` },
    )
  ).createWorkflowDefinition;
  const run = (
    await gql(
      'mutation($o: ID!, $d: ID!, $w: ID!) { createWorkflowRun(input: { orgId: $o, definitionId: $d, workflowId: $w, newSession: true, start: true }) { id sessionId } }',
      { d: definition.id, w: workflow },
    )
  ).createWorkflowRun;
  const schedule = (
    await gql(
      'mutation($o: ID!, $d: ID!) { createWorkflowSchedule(input: { orgId: $o, definitionId: $d, cron: "0 0 1 1 *", timezone: "Europe/Paris" }) { id } }',
      { d: definition.id },
    )
  ).createWorkflowSchedule.id;
  await gql('mutation($o: ID!) { addWorkflowBreakpoint(input: { orgId: $o, stepId: "aliceStep" }) { stepId } }');
  // The run's gate becomes a governance approval through events: wait for it, so the snapshot holds it.
  await eventually(
    async () => {
      const items = (await gql('query($o: ID!) { approvals(orgId: $o) { items { runId } } }')).approvals
        .items as Json[];
      return items.some((item) => item.runId === run.id) ? true : undefined;
    },
    10_000,
    "the run's approval gate",
  );

  // A runner pool with a job waiting in its queue (a foreign resize or delete would change it).
  const runnerPool = (
    await gql(
      'mutation($o: ID!, $n: String!) { createRunnerPool(orgId: $o, input: { name: $n, poolRamGb: 8, size: 2 }) { id queue } }',
      { n: `alice-pool-${tag}` },
    )
  ).createRunnerPool;
  await gql(
    'mutation($o: ID!, $q: String!) { submitJob(input: { orgId: $o, queue: $q, type: "alice.ci" }) { job { id } } }',
    {
      q: runnerPool.queue,
    },
  );

  const ids: Record<Entity, string> = {
    org: orgId,
    user: bob.userId,
    team,
    invite,
    apiKey: createdKey.apiKey.id,
    workflow,
    policy,
    webhook: createdWebhook.webhook.id,
    alertChannel,
    alert,
    execution,
    approval,
    event,
    vm,
    node: node.nodeId,
    provisioningToken: minted.provisioningToken.id,
    cluster,
    sshKey,
    registryCredential,
    credential,
    asset,
    notification,
    job,
    agent,
    agentTemplate,
    agentTask,
    snapshot: snapshotId,
    transfer,
    definition: definition.id,
    run: run.id,
    session: run.sessionId,
    schedule,
    trigger: definition.triggers[0].id,
    runnerPool: runnerPool.id,
  };
  const missing = Object.entries(ids).filter(([, id]) => !id);
  if (missing.length) throw new Error(`fixtures missing: ${missing.map(([entity]) => entity).join(', ')}`);
  return {
    owner,
    ids,
    secrets: [
      `Alice Secret Org ${tag}`,
      `Secret Team ${tag}`,
      `alice-agent-${tag}`,
      `alice-policy-${tag}`,
      `alice-hook-${tag}`,
      `alice-vm-${tag}`,
      `alice-pool-${tag}`,
      `alerts-${tag}@alice.example.com`,
      '127.0.0.1:9/alice-hook',
      inviteEmail,
      owner.email,
      bob.email,
      createdKey.key,
      createdKey.signingSecret,
      createdKey.apiKey.prefix,
      createdWebhook.secret,
      minted.token,
      node.nodeSecret,
      `alice-node-${tag}`,
      `alice-cluster-${tag}`,
      'alice-registry-secret-token',
      `alice-job-${tag}`,
      `alice-template-${tag}`,
      `alice-agentname-${tag}`,
      `alice-task-${tag}`,
      `alice-pipeline-${tag}`,
      'alice secret gate',
      'alice-vault-secret-value',
      `alice-asset-${tag}`,
      `alice-asset-content-${tag}`,
    ],
  };
}

/** Everything of A a successful attack could change, read by A's owner. */
export const SNAPSHOT = /* GraphQL */ `
  query Snapshot($o: ID!, $t: ID!, $vm: ID!, $x: ID!, $a: ID!) {
    organization(id: $o) {
      name slug
      members { items { userId role } }
      invitations { items { id status email role } }
      teams { items { id name } }
      apiKeys { items { id status prefix scopes workflowId } }
    }
    team(id: $t) { name members { user { id } } }
    workflows(orgId: $o) { items { id name status budgetMicros spentMicros reservedMicros } }
    policies(orgId: $o) { items { id name enabled priority action } }
    policyTemplates(orgId: $o) { id enabled }
    webhooks(orgId: $o) { items { id name url enabled secretPrefix events } }
    alertChannels(orgId: $o) { id kind target enabled }
    alerts(orgId: $o, includeDismissed: true) { items { id dismissedAt } }
    approvals(orgId: $o) { items { id status } }
    execution(id: $x) { id status }
    approval(id: $a) { id status }
    notificationSettings(orgId: $o) { emailEnabled inAppEnabled digest }
    governanceSettings(orgId: $o) { alertThresholds }
    vm(id: $vm) { id name status }
    providerNodes(orgId: $o, includeRemoved: true) { id labels }
    provisioningTokens(orgId: $o) { id revokedAt nodesEnrolled }
    clusters(orgId: $o) { items { id name status replicaCount } }
    sshKeys(orgId: $o) { id fingerprint }
    registryCredentials(orgId: $o) { id server }
    credentials(orgId: $o) { key updatedAt }
    notifications(orgId: $o) { items { id read title } }
    unreadNotificationCount(orgId: $o)
    snapshots(orgId: $o) { id name status sizeBytes }
    outgoingTransfers(orgId: $o) { id status targetOrgId }
    runnerPools(orgId: $o) { id name poolRamGb size status activeJobs queuedJobs }
    activityLog(orgId: $o) { items { id actorId action } }
    jobs(orgId: $o) { items { id status attempts workerId result error queue priority } }
    agents(orgId: $o) { items { id name status desiredState role restartCount workflowId } }
    agentTemplates(orgId: $o) { items { id name slug archivedAt } }
    agentTasks(orgId: $o) { items { id title status assignedTo resolution } }
    workflowDefinitions(orgId: $o) { items { id version name } }
    workflowRuns(orgId: $o) { items { id status } }
    workflowSessions(orgId: $o) { items { id status runCount } }
    workflowSchedules(orgId: $o) { id nextFireAt }
    workflowBreakpoints(orgId: $o) { stepId }
    workflowTriggers(orgId: $o) { id }
  }
`;

export async function snapshot(platform: TestPlatform, a: OrgA): Promise<Json> {
  return call(platform, a.owner.token, SNAPSHOT, {
    o: a.ids.org,
    t: a.ids.team,
    vm: a.ids.vm,
    x: a.ids.execution,
    a: a.ids.approval,
  });
}
