/** Display helpers: money is integer micro-dollars end to end, converted only for display. */

export function usd(micros: number | null | undefined): string {
  if (micros == null) return '—';
  const dollars = micros / 1_000_000;
  const digits = Math.abs(dollars) < 1 && dollars !== 0 ? 4 : 2;
  return dollars.toLocaleString('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Micro-dollars to the last digit (a model call costs fractions of a cent): `$0.000024`. */
export function usdExact(micros: number): string {
  return (micros / 1_000_000).toLocaleString('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  });
}

/** Parses a dollar amount typed by a person into micro-dollars (null when blank). */
export function parseUsd(text: string): number | null {
  const trimmed = text.trim().replace(/^\$/, '');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0) throw new Error('Enter an amount in dollars, e.g. 25 or 12.50');
  return Math.round(value * 1_000_000);
}

export function duration(seconds: number | null | undefined): string {
  if (seconds == null) return 'never at this rate';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function percent(part: number, whole: number | null | undefined): number {
  if (!whole) return 0;
  return Math.min(100, Math.round((part / whole) * 100));
}
