/**
 * The identity subgraph: users, sessions, organizations, memberships, teams,
 * invitations and API keys, plus the gateway's credential resolution.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type AuthInvalidation,
  type AuthInvalidationLog,
  authInvalidationPublisher,
  type PublishAuthInvalidation,
} from '../../kernel/auth-invalidation.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import type { BaseContext, SubgraphDefinition } from '../../kernel/subgraph.ts';
import { AccountService } from './accounts.ts';
import { ApiKeyService } from './api-keys.ts';
import { identityEntities } from './entities.ts';
import { invalidationsAfter, recordInvalidation } from './invalidations.ts';
import { InvitationService } from './invitations.ts';
import { InitialIdentity } from './migrations/0001_initial.ts';
import { AuthInvalidations } from './migrations/0002_auth_invalidations.ts';
import { AccountsSeed004 } from './migrations/0003_accounts_seed004.ts';
import { OrganizationService } from './organizations.ts';
import { type Registration, type SignUpInput, type SignUpServices, signUp } from './registration.ts';
import { resolvers } from './resolvers.ts';
import { authThrottle, mailSender } from './support.ts';
import { TeamService } from './teams.ts';
import { UserService } from './users.ts';

export interface IdentityContext extends BaseContext {
  accounts: AccountService;
  organizations: OrganizationService;
  teams: TeamService;
  invitations: InvitationService;
  apiKeys: ApiKeyService;
  users: UserService;
  /** Seed 000's sign-up: account, session, first organization and API key. */
  signUp(input: SignUpInput): Promise<Registration>;
  box: SecretBox;
  /** The revocation log after a gateway's position (internal: `_authInvalidations`). */
  invalidationsAfter(afterSeq: number | null): Promise<AuthInvalidationLog>;
}

export const identity: SubgraphDefinition<IdentityContext> = {
  name: 'identity',
  schemaFile: new URL('./identity.graphql', import.meta.url),
  entities: identityEntities,
  migrations: [
    { name: '0001_initial', class: InitialIdentity },
    { name: '0002_auth_invalidations', class: AuthInvalidations },
    { name: '0003_accounts_seed004', class: AccountsSeed004 },
  ],
  resolvers,
  // Invitations and password resets are emailed: production needs SMTP.
  sendsMail: true,
  context: (base, { platform, logger }) => {
    const { auth } = platform.config;
    const invalidate = authInvalidationPublisher(
      platform.bus,
      base.responseHeaders,
      (event) => recordInvalidation(base.em, event),
      logger,
    );
    const throttle = authThrottle(platform);
    const requestId = base.meta.requestId;
    const sendMail = mailSender(platform, logger);
    const services = (em: EntityManager, publish: PublishAuthInvalidation) => ({
      accounts: new AccountService(
        em,
        { sessionTtlHours: auth.sessionTtlHours, refreshTokenTtlDays: auth.refreshTokenTtlDays },
        throttle,
        publish,
        logger,
        sendMail,
      ),
      organizations: new OrganizationService(em, publish, requestId),
      invitations: new InvitationService(em, { invalidate: publish, throttle, log: logger, sendMail }, requestId),
      apiKeys: new ApiKeyService(em, platform.secretBox, publish, requestId),
    });
    const { accounts, organizations, invitations, apiKeys } = services(base.em, invalidate);
    /** Sign-up's steps in one transaction; what they invalidate is published once it has committed. */
    const transaction: SignUpServices['transaction'] = async (work) => {
      const deferred: AuthInvalidation[] = [];
      const result = await base.em.transactional((em) =>
        work(services(em, async (event) => void deferred.push(event))),
      );
      for (const event of deferred) await invalidate(event);
      return result;
    };
    return {
      ...base,
      accounts,
      organizations,
      teams: new TeamService(base.em, requestId),
      invitations,
      apiKeys,
      users: new UserService(base.em, invalidate, requestId),
      signUp: (input) =>
        signUp({ accounts, organizations, invitations, apiKeys, transaction }, input, base.meta.clientIp),
      box: platform.secretBox,
      invalidationsAfter: (afterSeq) => invalidationsAfter(base.em, afterSeq),
    };
  },
};
