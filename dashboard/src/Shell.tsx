/**
 * Signed in: loads `me`, picks the organization (remembered; the first one otherwise), and lays out
 * the navigation, the organization switcher and the current page. Pages a role cannot read are not
 * in the navigation.
 */
import { useMutation, useQuery } from '@apollo/client/react';
import { type ComponentType, lazy, Suspense } from 'react';
import { ErrorNote, Loading } from './components/states.tsx';
import { LogoutDocument, MeDocument, type MeQuery } from './generated/operations.ts';
import { OrgProvider, orgContextFor } from './org.tsx';
import { ApiKeysPage } from './pages/ApiKeysPage.tsx';
import { ApprovalsPage } from './pages/ApprovalsPage.tsx';
import { BillingPage } from './pages/BillingPage.tsx';
import { ComputePage } from './pages/ComputePage.tsx';
import { CreateOrgPage } from './pages/CreateOrgPage.tsx';
import { EventsPage } from './pages/EventsPage.tsx';
import { MembersPage } from './pages/MembersPage.tsx';
import { NotificationsPage } from './pages/NotificationsPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { PoliciesPage } from './pages/PoliciesPage.tsx';
import { WebhooksPage } from './pages/WebhooksPage.tsx';
import { WorkflowsPage } from './pages/WorkflowsPage.tsx';
import { useRoute } from './router.ts';

// Pages loaded on first visit (their own chunks), outside the first-load budget.
const JobsPage = lazy(() => import('./pages/JobsPage.tsx').then((m) => ({ default: m.JobsPage })));
const PipelinesPage = lazy(() => import('./pages/PipelinesPage.tsx').then((m) => ({ default: m.PipelinesPage })));
const AgentsPage = lazy(() => import('./pages/AgentsPage.tsx').then((m) => ({ default: m.AgentsPage })));
const SchedulesPage = lazy(() => import('./pages/SchedulesPage.tsx').then((m) => ({ default: m.SchedulesPage })));
const VaultPage = lazy(() => import('./pages/VaultPage.tsx').then((m) => ({ default: m.VaultPage })));

import { selectOrg, signOut, useSelectedOrg } from './session.ts';

interface Page {
  route: string;
  title: string;
  /** The permission needed to read it. */
  needs: string;
  component: ComponentType;
}

const PAGES: Page[] = [
  { route: '', title: 'Overview', needs: 'workflows:read', component: OverviewPage },
  { route: 'workflows', title: 'Workflows', needs: 'workflows:read', component: WorkflowsPage },
  { route: 'policies', title: 'Policies', needs: 'policies:read', component: PoliciesPage },
  { route: 'approvals', title: 'Approvals', needs: 'approvals:read', component: ApprovalsPage },
  { route: 'keys', title: 'API keys', needs: 'api_keys:read', component: ApiKeysPage },
  { route: 'members', title: 'Members', needs: 'members:read', component: MembersPage },
  { route: 'webhooks', title: 'Webhooks', needs: 'webhooks:read', component: WebhooksPage },
  { route: 'events', title: 'Events', needs: 'events:read', component: EventsPage },
  { route: 'compute', title: 'VMs and clusters', needs: 'compute:read', component: ComputePage },
  { route: 'jobs', title: 'Jobs', needs: 'compute:read', component: JobsPage },
  { route: 'pipelines', title: 'Pipeline runs', needs: 'compute:read', component: PipelinesPage },
  { route: 'schedules', title: 'Schedules', needs: 'compute:read', component: SchedulesPage },
  { route: 'agents', title: 'Agents', needs: 'compute:read', component: AgentsPage },
  { route: 'vault', title: 'Vault', needs: 'credentials:read', component: VaultPage },
  { route: 'billing', title: 'Billing', needs: 'credits:read', component: BillingPage },
  { route: 'notifications', title: 'Notifications', needs: 'organizations:read', component: NotificationsPage },
];

function OrgSwitcher({ me, orgId }: { me: MeQuery['me']; orgId: string }) {
  return (
    <label className="org-switcher">
      Organization
      <select value={orgId} onChange={(event) => selectOrg(event.target.value)}>
        {me.memberships.map((m) => (
          <option key={m.organizationId} value={m.organizationId}>
            {m.organization.name} ({m.role.toLowerCase()})
          </option>
        ))}
      </select>
    </label>
  );
}

function SignOutButton() {
  const [logout, { loading }] = useMutation(LogoutDocument);
  return (
    <button
      type="button"
      disabled={loading}
      onClick={async () => {
        // Ends the session on the server; signed out here either way.
        await logout().catch(() => undefined);
        signOut();
      }}
    >
      Sign out
    </button>
  );
}

export function Shell() {
  const { data, error, loading } = useQuery(MeDocument);
  const remembered = useSelectedOrg();
  const route = useRoute();
  if (!data) return loading ? <Loading what="your account" /> : <ErrorNote error={error} />;
  const { me } = data;
  if (me.memberships.length === 0) return <CreateOrgPage />;
  const orgId = me.memberships.some((m) => m.organizationId === remembered)
    ? (remembered as string)
    : (me.memberships[0]?.organizationId as string);
  const org = orgContextFor(me, orgId);
  if (!org) return <ErrorNote error={new Error('You are not a member of this organization.')} />;
  const pages = PAGES.filter((p) => org.can(p.needs));
  const page = pages.find((p) => p.route === route) ?? pages[0];
  const Current = page?.component;
  return (
    <OrgProvider value={org}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Trellis</span>
        <OrgSwitcher me={me} orgId={orgId} />
        <span className="muted">{me.user?.email}</span>
        <SignOutButton />
      </header>
      <div className="layout">
        <nav aria-label="Pages">
          <ul>
            {pages.map((p) => (
              <li key={p.route}>
                <a href={`#/${p.route}`} aria-current={p === page ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {Current ? (
            <Suspense fallback={<Loading what="the page" />}>
              <Current key={orgId} />
            </Suspense>
          ) : (
            <p>Your role in this organization cannot read any page.</p>
          )}
        </main>
      </div>
    </OrgProvider>
  );
}
