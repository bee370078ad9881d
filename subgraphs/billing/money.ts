/**
 * Money units. Inside billing every amount is an integer of micro-dollars (1 USD = 1,000,000);
 * seed 003's routes speak integer cents (1 cent = 10,000 micros). Conversions are exact one way
 * (cents → micros) and rounded by one documented rule the other way (docs/billing.md#money).
 */
import { invalidField } from '../../kernel/errors.ts';

export const MICROS_PER_CENT = 10_000;

export const centsToMicros = (cents: number): number => cents * MICROS_PER_CENT;

/**
 * A balance shown in cents never shows money the organization does not have: rounded down
 * (toward −∞), so 1.999 cents available is 1 cent and −0.5 cents is −1 cent.
 */
export const balanceCents = (micros: number): number => Math.floor(micros / MICROS_PER_CENT);

/** A charge or usage total in cents: half a cent and more rounds up, symmetric around zero. */
export function roundedCents(micros: number): number {
  const magnitude = Math.floor((Math.abs(micros) + MICROS_PER_CENT / 2) / MICROS_PER_CENT);
  return micros < 0 ? -magnitude : magnitude;
}

/** Deposits and automatic recharges: $10–$500 (seed 003). */
export const DEPOSIT_MIN_CENTS = 1_000;
export const DEPOSIT_MAX_CENTS = 50_000;

export function depositAmount(cents: number, field: string): number {
  if (!Number.isSafeInteger(cents) || cents < DEPOSIT_MIN_CENTS || cents > DEPOSIT_MAX_CENTS)
    throw invalidField(field, `${field.split('.').at(-1)} must be an integer between 1000 and 50000 cents ($10–$500)`);
  return cents;
}
