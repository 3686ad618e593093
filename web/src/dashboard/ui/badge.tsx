const TONES = {
  good: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  bad: 'bg-red-50 text-red-800 ring-red-200',
  busy: 'bg-amber-50 text-amber-900 ring-amber-200',
  plain: 'bg-slate-100 text-slate-800 ring-slate-200',
} as const;

const STATUS_TONES: Record<string, keyof typeof TONES> = {
  active: 'good',
  succeeded: 'good',
  delivered: 'good',
  completed: 'good',
  ok: 'good',
  closed: 'good',
  failed: 'bad',
  error: 'bad',
  revoked: 'bad',
  suspended: 'bad',
  expired: 'bad',
  open: 'bad',
  blocked: 'bad',
  canceled: 'plain',
  disabled: 'plain',
  submitted: 'busy',
  processing: 'busy',
  pending: 'busy',
  half_open: 'busy',
};

/** A status in words, coloured by what it means. */
export function Badge({ status, label }: { status: string; label?: string }) {
  const tone = TONES[STATUS_TONES[status.toLowerCase()] ?? 'plain'];
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ${tone}`}
    >
      {label ?? status.replace(/_/g, ' ')}
    </span>
  );
}

/** An HTTP status: 2xx is good, everything else is an error. */
export function HttpBadge({ status }: { status: number | string }) {
  const code = Number(status);
  const good = code >= 200 && code < 300;
  return <Badge status={good ? 'ok' : 'error'} label={String(status)} />;
}
