/**
 * Stripe.js, loaded from https://js.stripe.com only when a card is being added (Stripe forbids
 * bundling or self-hosting it). The gateway's CSP admits that origin only when the server has a
 * Stripe publishable key; `@stripe/stripe-js` is not a dependency, so the few calls used are typed here.
 */
const STRIPE_JS = 'https://js.stripe.com/v3';

export interface StripeCardElement {
  mount(element: HTMLElement): void;
  destroy(): void;
}

export interface StripeClient {
  elements(): { create(type: 'card', options?: { hidePostalCode?: boolean }): StripeCardElement };
  confirmCardSetup(
    clientSecret: string,
    data: { payment_method: { card: StripeCardElement } },
  ): Promise<{ setupIntent?: { id: string; status: string }; error?: { message?: string } }>;
}

type StripeFactory = (publishableKey: string) => StripeClient;

let loading: Promise<StripeFactory> | undefined;

function loadStripeJs(): Promise<StripeFactory> {
  const existing = (window as { Stripe?: StripeFactory }).Stripe;
  if (existing) return Promise.resolve(existing);
  loading ??= new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => {
      const factory = (window as { Stripe?: StripeFactory }).Stripe;
      if (factory) resolve(factory);
      else reject(new Error('Stripe.js loaded without defining Stripe'));
    };
    script.onerror = () => {
      loading = undefined;
      script.remove();
      reject(new Error(`Stripe.js could not be loaded from ${STRIPE_JS}`));
    };
    document.head.append(script);
  });
  return loading;
}

/** A Stripe client for the server's publishable key (one per key). */
export async function stripeFor(publishableKey: string): Promise<StripeClient> {
  const factory = await loadStripeJs();
  return factory(publishableKey);
}
