/**
 * Saved cards. With Stripe configured: the list, remove (owners), and "Add a card" — a SetupIntent
 * from the API, Stripe's Card Element (its own frame: the card number never touches this page), then
 * `confirmCardSetup`; the card appears once Stripe attached it. Without Stripe the section says so.
 */
import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { errorCode } from '../apollo.ts';
import { ConfirmButton } from '../components/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import {
  CreateSetupIntentDocument,
  PaymentMethodsDocument,
  RemovePaymentMethodDocument,
} from '../generated/operations.ts';
import { useOrg } from '../org.tsx';
import { type StripeCardElement, type StripeClient, stripeFor } from '../stripe.ts';

interface CardForm {
  stripe: StripeClient;
  clientSecret: string;
}

function AddCard({ onSaved }: { onSaved: () => void }) {
  const { orgId } = useOrg();
  const [createIntent, intent] = useMutation(CreateSetupIntentDocument);
  const [form, setForm] = useState<CardForm | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const mountPoint = useRef<HTMLDivElement>(null);
  const card = useRef<StripeCardElement | null>(null);

  useEffect(() => {
    if (!form || !mountPoint.current) return;
    const element = form.stripe.elements().create('card');
    element.mount(mountPoint.current);
    card.current = element;
    return () => {
      element.destroy();
      card.current = null;
    };
  }, [form]);

  async function open() {
    setProblem(null);
    const answer = await createIntent({ variables: { orgId } }).catch(() => undefined);
    const setup = answer?.data?.createSetupIntent;
    if (!setup) return;
    if (!setup.publishableKey) {
      setProblem('The server has no Stripe publishable key (STRIPE_PUBLISHABLE_KEY): cards cannot be entered here.');
      return;
    }
    try {
      setForm({ stripe: await stripeFor(setup.publishableKey), clientSecret: setup.clientSecret });
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  async function save() {
    if (!form || !card.current) return;
    setSaving(true);
    setProblem(null);
    const result = await form.stripe.confirmCardSetup(form.clientSecret, { payment_method: { card: card.current } });
    setSaving(false);
    if (result.error) {
      setProblem(result.error.message ?? 'Stripe refused the card');
      return;
    }
    setForm(null);
    onSaved();
  }

  if (!form)
    return (
      <>
        <button type="button" disabled={intent.loading} onClick={() => void open()}>
          Add a card
        </button>
        <ErrorNote error={intent.error} />
        {problem && <ErrorNote error={problem} />}
      </>
    );
  return (
    <fieldset>
      <legend>New card</legend>
      <div ref={mountPoint} className="stripe-card" data-testid="stripe-card-element" />
      <div className="actions">
        <button type="button" onClick={() => setForm(null)}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={saving} onClick={() => void save()}>
          Save card
        </button>
      </div>
      {problem && <ErrorNote error={problem} />}
    </fieldset>
  );
}

export function BillingCards() {
  const { orgId, can } = useOrg();
  const cards = useQuery(PaymentMethodsDocument, { variables: { orgId } });
  const [remove, removed] = useMutation(RemovePaymentMethodDocument);
  const notConfigured = errorCode(cards.error) === 'billing_not_configured';
  return (
    <section className="card" aria-labelledby="cards-title" data-testid="cards">
      <h2 id="cards-title">Cards</h2>
      {notConfigured ? (
        <Empty>
          Cards are not available: this server has no Stripe account configured (<code>STRIPE_SECRET_KEY</code> and{' '}
          <code>STRIPE_PUBLISHABLE_KEY</code>). The balance, usage and credits work without it.
        </Empty>
      ) : !cards.data ? (
        cards.loading ? (
          <Loading what="cards" />
        ) : (
          <ErrorNote error={cards.error} />
        )
      ) : (
        <>
          {cards.data.paymentMethods.length === 0 ? (
            <Empty>No saved card. Deposits and auto-recharge charge the default card: add one.</Empty>
          ) : (
            <ul>
              {cards.data.paymentMethods.map((pm) => (
                <li key={pm.id}>
                  {pm.brand} ending {pm.last4}, expires {String(pm.expMonth).padStart(2, '0')}/{pm.expYear}
                  {pm.isDefault && <strong> (default)</strong>}{' '}
                  {can('billing:write') && (
                    <ConfirmButton
                      label="Remove"
                      ariaLabel={`Remove card ending ${pm.last4}`}
                      title={`Remove the card ending ${pm.last4}?`}
                      confirmLabel="Remove card"
                      danger
                      onConfirm={() =>
                        remove({ variables: { orgId, paymentMethodId: pm.id } })
                          .then(() => cards.refetch())
                          .catch(() => undefined)
                      }
                    >
                      Deposits and auto-recharge will no longer charge it.
                    </ConfirmButton>
                  )}
                </li>
              ))}
            </ul>
          )}
          {can('billing:write') && <AddCard onSaved={() => void cards.refetch().catch(() => undefined)} />}
          <ErrorNote error={removed.error} />
        </>
      )}
    </section>
  );
}
