/** The identity subgraph: users, organizations, memberships, sessions and API keys. */
import { authInvalidationPublisher } from '../../kernel/auth-invalidation.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import type { BaseContext, SubgraphDefinition } from '../../kernel/subgraph.ts';
import { AccountService } from './accounts.ts';
import { ApiKeyService } from './api-keys.ts';
import { identityEntities } from './entities.ts';
import { InitialIdentity } from './migrations/0001_initial.ts';
import { OrganizationService } from './organizations.ts';
import { resolvers } from './resolvers.ts';

export interface IdentityContext extends BaseContext {
  accounts: AccountService;
  organizations: OrganizationService;
  apiKeys: ApiKeyService;
  box: SecretBox;
}

export const identity: SubgraphDefinition<IdentityContext> = {
  name: 'identity',
  schemaFile: new URL('./identity.graphql', import.meta.url),
  entities: identityEntities,
  migrations: [{ name: '0001_initial', class: InitialIdentity }],
  resolvers,
  context: (base, { platform }) => ({
    ...base,
    accounts: new AccountService(base.em, platform.config.auth.sessionTtlHours),
    organizations: new OrganizationService(base.em, authInvalidationPublisher(platform.bus, base.responseHeaders)),
    apiKeys: new ApiKeyService(base.em, platform.secretBox),
    box: platform.secretBox,
  }),
};
