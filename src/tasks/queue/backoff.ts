/** Delay before delivery `attempt + 1` of a failed job: 2 s doubling to 5 min, with jitter. */
export function jobBackoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(300_000, 2_000 * 2 ** (attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
}
