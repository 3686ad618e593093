/**
 * Credits are shown as decimals (`1`, `0.5`) and kept as integer millicredits, so that no
 * arithmetic on money is ever done in floating point.
 */
export const MILLI_PER_CREDIT = 1000;

/** Parses a decimal count of credits with at most three decimals; undefined when invalid. */
export function parseCredits(value: string | number): number | undefined {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(text);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(3, '0'));
  return whole * MILLI_PER_CREDIT + fraction;
}

/** Millicredits to a JSON number of credits (exact for any integer input). */
export function toCredits(milli: number): number {
  return milli / MILLI_PER_CREDIT;
}

export function formatCredits(milli: number): string {
  return String(toCredits(milli));
}
