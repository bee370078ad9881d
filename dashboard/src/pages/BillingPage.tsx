/** The prepaid balance and its ledger, and the token-credit balance with its transactions. */
import { useQuery } from '@apollo/client/react';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { usd, when } from '../format.ts';
import { BillingDocument, CreditsDocument } from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';
import { BillingCards } from './BillingCards.tsx';
import { BillingSettings } from './BillingSettings.tsx';

function useBilling(orgId: string, withLedger: boolean) {
  const ledger = useQuery(BillingDocument, { variables: { orgId }, skip: !withLedger });
  const credits = useQuery(CreditsDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, ['billing.*', 'credits.*', 'usage.*'], () => {
    if (withLedger) void ledger.refetch().catch(() => undefined);
    void credits.refetch().catch(() => undefined);
  });
  return { ledger, credits };
}

function Ledger({
  balance,
}: {
  balance: NonNullable<ReturnType<typeof useBilling>['ledger']['data']>['organization'];
}) {
  if (!balance) return null;
  const { availableMicros, recentEntries } = balance.balance;
  return (
    <section className="card" aria-labelledby="balance-title">
      <h2 id="balance-title">Prepaid balance</h2>
      <p className="figure" data-testid="balance">
        {usd(availableMicros)}
      </p>
      {recentEntries.length === 0 ? (
        <Empty>No transactions yet. Deposits and usage charges appear here.</Empty>
      ) : (
        <table>
          <caption>Transactions</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">Description</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {recentEntries.map((e) => (
              <tr key={e.id}>
                <td>{when(e.createdAt)}</td>
                <td>{e.kind}</td>
                <td>{e.description ?? '—'}</td>
                <td>{usd(e.amountMicros)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function BillingPage() {
  const { orgId, can } = useOrg();
  const { ledger, credits } = useBilling(orgId, can('billing:read'));
  return (
    <>
      <h1>Billing</h1>
      {can('billing:read') &&
        (ledger.data ? (
          <Ledger balance={ledger.data.organization} />
        ) : ledger.loading ? (
          <Loading what="the balance" />
        ) : (
          <ErrorNote error={ledger.error} />
        ))}
      {can('billing:read') && <BillingCards />}
      {can('billing:read') && <BillingSettings />}
      <section className="card" aria-labelledby="credits-title">
        <h2 id="credits-title">Token credits</h2>
        {!credits.data ? (
          credits.loading ? (
            <Loading what="credits" />
          ) : (
            <ErrorNote error={credits.error} />
          )
        ) : (
          <>
            <p className="figure">{credits.data.creditBalance.credits.toLocaleString()} credits</p>
            {credits.data.creditTransactions.items.length === 0 ? (
              <Empty>No credit transactions yet.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Type</th>
                    <th scope="col">Description</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Balance after</th>
                  </tr>
                </thead>
                <tbody>
                  {credits.data.creditTransactions.items.map((t) => (
                    <tr key={t.id}>
                      <td>{when(t.createdAt)}</td>
                      <td>{t.type}</td>
                      <td>{t.description ?? '—'}</td>
                      <td>{t.amount.toLocaleString()}</td>
                      <td>{t.balanceAfter.toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
    </>
  );
}
