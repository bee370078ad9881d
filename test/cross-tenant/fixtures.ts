/**
 * Org A for the cross-tenant matrix: one object of every kind a caller can
 * name (workflow, policy, API key, invitation, team, member, webhook, alert
 * channel, alert, execution, approval, event, VM), built through GraphQL as
 * its owner, and a snapshot of A's state to compare after the attacks.
 */
import { randomBytes } from 'node:crypto';
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
  | 'credential'
  | 'asset'
  | 'notification';

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

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`fixture never appeared: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
  const event = await eventually(
    async () => (await gql('query($o: ID!) { events(orgId: $o, limit: 1) { items { id } } }')).events.items[0]?.id,
    "an event in A's log",
  );

  // The 50 % alert above reaches A's owner's inbox (alert delivery, docs/notifications.md).
  const notification = await eventually(
    async () =>
      (await gql('query($o: ID!) { notifications(orgId: $o, limit: 1) { items { id } } }')).notifications.items[0]?.id,
    "a notification in A's owner's inbox",
  );
  await gql(
    'mutation($o: ID!, $n: String!) { recordActivity(orgId: $o, input: { actorType: AGENT, actorId: $n, action: "deploy" }) { id } }',
    { n: `alice-agent-${tag}` },
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
    activityLog(orgId: $o) { items { id actorId action } }
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
