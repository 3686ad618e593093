/**
 * `retry-after` (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds (a decimal fraction
 * is tolerated) or an HTTP date, a date in the past being 0. Undefined when the header is absent
 * or unreadable. Provider-specific hints (OpenAI's `retry-after-ms`, Google's RetryInfo,
 * Replicate's "available in N seconds") are read by their adapters, around this.
 *
 * @example
 * parseRetryAfterMs('3'); // 3000
 * parseRetryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z')); // 10000
 */
export function parseRetryAfterMs(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
