/**
 * Billing for admins: this month's usage per GPU model and tier, auto-recharge (owners edit it) and
 * the credit packages on sale. Amounts typed in dollars are sent as integer cents.
 */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { usd, when } from '../format.ts';
import {
  BillingSettingsDocument,
  type BillingSettingsQuery,
  SetAutoRechargeDocument,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

const cents = (value: number) => (value / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });

/** Dollars typed by a person → integer cents; a message naming the field otherwise. */
function dollarsToCents(text: string, field: string): number {
  const value = Number(text.trim().replace(/^\$/, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value < 0)
    throw new Error(`${field}: enter an amount in dollars`);
  return Math.round(value * 100);
}

function UsageByGpu({ usage }: { usage: BillingSettingsQuery['currentUsage'] }) {
  return (
    <section className="card" aria-labelledby="gpu-usage-title">
      <h2 id="gpu-usage-title">GPU usage this month</h2>
      <p>
        <span className="figure" data-testid="gpu-usage-total">
          {usd(usage.totalMicros)}
        </span>{' '}
        <span className="muted">
          {usage.gpuHours.toFixed(2)} GPU-hours since {when(usage.periodStart)}
        </span>
      </p>
      {usage.byGpu.length === 0 ? (
        <Empty>No GPU usage this month. VMs, clusters and jobs on GPUs are metered here by model and tier.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">GPU model</th>
              <th scope="col">Tier</th>
              <th scope="col">GPU-hours</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {usage.byGpu.map((g) => (
              <tr key={`${g.gpuModelId}|${g.tier}`}>
                <td>{g.gpuModelId}</td>
                <td>{g.tier ?? '—'}</td>
                <td>{g.hours.toFixed(2)}</td>
                <td>{usd(g.amountMicros)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AutoRechargeCard({
  settings,
  bounds,
}: {
  settings: BillingSettingsQuery['autoRecharge'];
  bounds: BillingSettingsQuery['billingPricing'];
}) {
  const { orgId, can } = useOrg();
  const [save, saved] = useMutation(SetAutoRechargeDocument, { refetchQueries: [BillingSettingsDocument] });
  const [problem, setProblem] = useState<Error | null>(null);
  const writable = can('billing:write');
  return (
    <section className="card" aria-labelledby="auto-recharge-title">
      <h2 id="auto-recharge-title">Auto-recharge</h2>
      <p data-testid="auto-recharge-state">
        {settings.enabled
          ? `On: ${cents(settings.amountCents)} is charged to the saved card when the balance drops below ${cents(settings.thresholdCents)}.`
          : 'Off.'}
        {settings.inFlight && ' A charge is in progress.'}
      </p>
      {settings.lastFailedAt && (
        <p className="muted">
          Last failure {when(settings.lastFailedAt)}: {settings.lastFailureReason ?? 'no reason given'}
        </p>
      )}
      {writable && (
        <form
          className="inline"
          onSubmit={async (event) => {
            event.preventDefault();
            const data = new FormData(event.currentTarget);
            try {
              const input = {
                enabled: data.get('enabled') === 'on',
                thresholdCents: dollarsToCents(String(data.get('threshold')), 'Threshold'),
                amountCents: dollarsToCents(String(data.get('amount')), 'Amount'),
              };
              setProblem(null);
              await save({ variables: { orgId, input } }).catch(() => undefined);
            } catch (error) {
              setProblem(error as Error);
            }
          }}
        >
          <label>
            <input name="enabled" type="checkbox" defaultChecked={settings.enabled} /> Enabled
          </label>
          <label>
            Below (USD){' '}
            <input name="threshold" inputMode="decimal" defaultValue={settings.thresholdCents / 100} required />
          </label>
          <label>
            Charge (USD, {cents(bounds.depositMinCents)}–{cents(bounds.depositMaxCents)}){' '}
            <input name="amount" inputMode="decimal" defaultValue={settings.amountCents / 100} required />
          </label>
          <button type="submit" className="primary" disabled={saved.loading}>
            Save auto-recharge
          </button>
          <ErrorNote error={problem ?? saved.error} />
        </form>
      )}
    </section>
  );
}

function CreditPackages({ packages }: { packages: BillingSettingsQuery['billingPricing']['creditPackages'] }) {
  if (packages.length === 0) return null;
  return (
    <section className="card" aria-labelledby="packages-title">
      <h2 id="packages-title">Credit packages</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Package</th>
            <th scope="col">Credits</th>
            <th scope="col">Bonus</th>
            <th scope="col">Price</th>
          </tr>
        </thead>
        <tbody>
          {packages.map((p) => (
            <tr key={p.slug}>
              <td>{p.name}</td>
              <td>{p.credits.toLocaleString()}</td>
              <td>{p.bonusCredits.toLocaleString()}</td>
              <td>{cents(p.priceCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Bought with a card through the API (createCreditPaymentIntent, Stripe).</p>
    </section>
  );
}

export function BillingSettings() {
  const { orgId } = useOrg();
  const { data, error, loading, refetch } = useQuery(BillingSettingsDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, ['billing.*', 'usage.*'], refetch);
  if (!data) return loading ? <Loading what="usage and auto-recharge" /> : <ErrorNote error={error} />;
  return (
    <>
      <UsageByGpu usage={data.currentUsage} />
      <AutoRechargeCard settings={data.autoRecharge} bounds={data.billingPricing} />
      <CreditPackages packages={data.billingPricing.creditPackages} />
    </>
  );
}
