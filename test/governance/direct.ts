/**
 * Governance services on a test platform's database, without HTTP: property
 * tests fire hundreds of calls concurrently through the same services the
 * resolvers use, each call with its own EntityManager fork like a request.
 */
import pg from 'pg';
import { InMemoryBus } from '../../kernel/bus.ts';
import { loadConfig } from '../../kernel/config.ts';
import { createOrm } from '../../kernel/database.ts';
import { createLogger } from '../../kernel/logger.ts';
import { OutboxEvent } from '../../kernel/outbox.ts';
import type { Principal } from '../../kernel/principal.ts';
import { AlertService } from '../../subgraphs/governance/alerts.ts';
import { ApprovalService } from '../../subgraphs/governance/approvals.ts';
import { governanceEntities } from '../../subgraphs/governance/entities.ts';
import { PolicyService } from '../../subgraphs/governance/policies.ts';
import { SdkService } from '../../subgraphs/governance/sdk.ts';
import { GovernanceState } from '../../subgraphs/governance/state.ts';
import { sweep } from '../../subgraphs/governance/sweeper.ts';
import { WorkflowService } from '../../subgraphs/governance/workflows.ts';
import { closeAll, startTestPlatform, type TestPlatform, type TestUser } from '../harness.ts';

export async function directGovernance(databaseUrl: string) {
  const orm = await createOrm({
    schema: 'governance',
    url: databaseUrl,
    entities: [OutboxEvent, ...governanceEntities],
    migrations: [],
    poolMax: 20,
  });
  const config = loadConfig({ NODE_ENV: 'test' }, { allInOne: true });
  const log = createLogger('silent');
  const bus = new InMemoryBus();
  const state = new GovernanceState(
    {
      ...config.governance,
      apiKeyPerMinute: config.rateLimits.apiKeyPerMinute,
      production: false,
      allowPrivateTargets: false,
    },
    bus,
    log,
  );
  const services = () => {
    const em = orm.em.fork();
    const alerts = new AlertService(em, state);
    return {
      em,
      sdk: new SdkService(em, state, alerts, log),
      workflows: new WorkflowService(em, state),
      policies: new PolicyService(em, state),
      approvals: new ApprovalService(em, state),
      alerts,
    };
  };
  return {
    orm,
    state,
    services,
    sweep: () => sweep(orm.em.fork()),
    async close() {
      await bus.close();
      await orm.close();
    },
  };
}

/** The principal the gateway would sign for this signed-up user (owner of its org). */
export const ownerPrincipal = (user: TestUser): Principal => ({
  kind: 'user',
  id: user.userId,
  userId: user.userId,
  memberships: [{ orgId: user.orgId, role: 'owner' }],
  scopes: ['*'],
});

export type DirectGovernance = Awaited<ReturnType<typeof directGovernance>>;

/** What a direct-governance test file starts with: its organizations, the services on their database, a plain client. */
export interface GovernanceBed {
  platform: TestPlatform;
  /** One signed-up user (owner) per organization name, in order. */
  users: TestUser[];
  gov: DirectGovernance;
  db: pg.Client;
  close(): Promise<void>;
}

/** Starts a test platform, signs up one organization per name, and opens the governance services and a client on its database. */
export async function openGovernanceBed(...orgNames: string[]): Promise<GovernanceBed> {
  const platform = await startTestPlatform();
  const users: TestUser[] = [];
  for (const name of orgNames) users.push(await platform.signup(name));
  const gov = await directGovernance(platform.databaseUrl);
  const db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  return {
    platform,
    users,
    gov,
    db,
    async close() {
      await db.end();
      await gov.close();
      await closeAll();
    },
  };
}
