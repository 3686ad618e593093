/** Credits as the API gives them (decimal numbers), without float noise. */
export function credits(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Number(value.toFixed(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** A time the API gives in Unix seconds or milliseconds or ISO, in the viewer's locale. */
export function dateTime(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date =
    typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleString('en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function milliseconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** "1 credit", "2.5 credits". */
export function creditsLabel(value: number): string {
  return `${credits(value)} ${value === 1 ? 'credit' : 'credits'}`;
}
