/** Spend against budget, burn rate, time to exhaustion and alerts, refreshed live from the event stream. */
import { useMutation, useQuery } from '@apollo/client/react';
import { BarChart, BudgetMeter } from '../components/charts.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { duration, usd, when } from '../format.ts';
import { DismissAlertDocument, OverviewDocument, type OverviewQuery } from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

const LIVE_TYPES = ['usage.*', 'workflow.*', 'alert.*', 'approval.*', 'execution.*'];

function useOverview(orgId: string) {
  const result = useQuery(OverviewDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, LIVE_TYPES, result.refetch);
  return result;
}

type Dashboard = OverviewQuery['governanceDashboard'];

function Figures({ status }: { status: Dashboard['status'] }) {
  const { budget, rate } = status;
  return (
    <dl className="figures">
      <div>
        <dt>Spent (workflow budgets)</dt>
        <dd data-testid="spend-total">{usd(budget.totalSpentMicros)}</dd>
      </div>
      <div>
        <dt>Budgeted</dt>
        <dd>{usd(budget.workflowBudgetMicros)}</dd>
      </div>
      <div>
        <dt>Burn rate</dt>
        <dd>{usd(rate.burnRateMicrosPerHour)} / h</dd>
      </div>
      <div>
        <dt>Time to exhaustion</dt>
        <dd>{duration(status.timeToExhaustionSeconds)}</dd>
      </div>
      <div>
        <dt>Calls ({rate.windowMinutes} min)</dt>
        <dd>{rate.callsInWindow}</dd>
      </div>
      <div>
        <dt>Pending approvals</dt>
        <dd>{status.pendingApprovals}</dd>
      </div>
    </dl>
  );
}

function Alerts({ alerts }: { alerts: Dashboard['activeAlerts'] }) {
  const { orgId, can } = useOrg();
  const [dismiss, { error }] = useMutation(DismissAlertDocument, { refetchQueries: [OverviewDocument] });
  if (alerts.length === 0) return <Empty>No active alerts. Alerts appear when spend crosses a budget threshold.</Empty>;
  return (
    <>
      <ErrorNote error={error} />
      <ul className="alerts">
        {alerts.map((alert) => (
          <li key={alert.id}>
            <strong>{alert.thresholdPercent}%</strong> {alert.message}{' '}
            <span className="muted">{when(alert.createdAt)}</span>
            {can('alerts:dismiss') && (
              <button
                type="button"
                onClick={() => dismiss({ variables: { orgId, alertId: alert.id } }).catch(() => undefined)}
              >
                Dismiss
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

export function OverviewPage() {
  const { orgId } = useOrg();
  const { data, error, loading } = useOverview(orgId);
  if (!data) return loading ? <Loading what="the overview" /> : <ErrorNote error={error} />;
  const dashboard = data.governanceDashboard;
  const { budget } = dashboard.status;
  return (
    <>
      <h1>Overview</h1>
      <ErrorNote error={error} />
      <section aria-labelledby="spend-title" className="card">
        <h2 id="spend-title">Spend vs budget</h2>
        <Figures status={dashboard.status} />
        <BudgetMeter
          spent={budget.workflowSpentMicros}
          budget={budget.workflowBudgetMicros || null}
          label="Spend against the workflows' budgets"
        />
      </section>
      <section aria-labelledby="daily-title" className="card">
        <h2 id="daily-title">Spend per day</h2>
        {dashboard.spendByDay.length === 0 ? (
          <Empty>No spend yet. Track a call (POST /v1/track with an API key) and it appears here live.</Empty>
        ) : (
          <BarChart
            label="Spend per day"
            bars={dashboard.spendByDay.map((d) => ({
              label: d.day,
              value: d.costMicros,
              title: `${d.day}: ${usd(d.costMicros)} (${d.events} events)`,
            }))}
          />
        )}
      </section>
      <section aria-labelledby="alerts-title" className="card">
        <h2 id="alerts-title">Alerts</h2>
        <Alerts alerts={dashboard.activeAlerts} />
      </section>
      <section aria-labelledby="top-title" className="card">
        <h2 id="top-title">Top workflows</h2>
        {dashboard.topWorkflows.length === 0 ? (
          <Empty>
            No workflows yet. <a href="#/workflows">Create one</a> to give a budget to a group of calls.
          </Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Spent</th>
                <th scope="col">Budget</th>
                <th scope="col">Burn rate</th>
                <th scope="col">Exhausted in</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.topWorkflows.map((w) => (
                <tr key={w.id}>
                  <td>{w.name}</td>
                  <td>
                    <span className={`status ${w.status.toLowerCase()}`}>{w.status}</span>
                  </td>
                  <td>{usd(w.spentMicros)}</td>
                  <td>{usd(w.budgetMicros)}</td>
                  <td>{usd(w.burnRateMicrosPerHour)} / h</td>
                  <td>{duration(w.timeToExhaustionSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
