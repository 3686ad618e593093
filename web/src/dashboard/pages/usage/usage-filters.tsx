import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { images, type UsageFilter } from '../../api/endpoints.js';
import { Button } from '../../ui/button.js';
import { SelectField, TextField } from '../../ui/field.js';

const STATUSES = [
  { value: '', label: 'Any status' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'blocked', label: 'Blocked' },
];

/** Dates from the date inputs, as the API reads them (ISO; `to` is exclusive, so the day after). */
function toFilter(form: Record<string, string>): UsageFilter {
  const nextDay = (date: string) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return {
    from: form.from || undefined,
    to: form.to ? nextDay(form.to) : undefined,
    model: form.model || undefined,
    key_id: form.key_id || undefined,
    status: form.status || undefined,
    account_id: form.account_id || undefined,
  };
}

export function UsageFilters({
  keyOptions,
  withAccount = false,
  onApply,
}: {
  keyOptions?: { value: string; label: string }[];
  withAccount?: boolean;
  onApply: (filter: UsageFilter) => void;
}) {
  const models = useQuery({ queryKey: ['models'], queryFn: images.models, staleTime: 300_000 });
  const [form, setForm] = useState<Record<string, string>>({});
  const set = (field: string) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onApply(toFilter(form));
  };
  const modelOptions = [
    { value: '', label: 'Any model' },
    ...(models.data?.data ?? []).map((m) => ({ value: m.id, label: m.id })),
  ];
  return (
    <form
      onSubmit={onSubmit}
      aria-label="Filters"
      className="grid grid-cols-2 items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-3 xl:grid-cols-6"
    >
      <TextField label="From" type="date" value={form.from ?? ''} onChange={set('from')} />
      <TextField label="To" type="date" value={form.to ?? ''} onChange={set('to')} />
      <SelectField
        label="Model"
        value={form.model ?? ''}
        onChange={set('model')}
        options={modelOptions}
      />
      {keyOptions && (
        <SelectField
          label="Key"
          value={form.key_id ?? ''}
          onChange={set('key_id')}
          options={[{ value: '', label: 'Any key' }, ...keyOptions]}
        />
      )}
      {withAccount && (
        <TextField label="Account id" value={form.account_id ?? ''} onChange={set('account_id')} />
      )}
      <SelectField
        label="Status"
        value={form.status ?? ''}
        onChange={set('status')}
        options={STATUSES}
      />
      <Button type="submit">Apply filters</Button>
    </form>
  );
}

/** Finds one request or task by its id. */
export function UsageLookup({ onLookup }: { onLookup: (filter: UsageFilter) => void }) {
  const [value, setValue] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const id = value.trim();
    onLookup(id.startsWith('task_') ? { task_id: id } : id ? { request_id: id } : {});
  };
  return (
    <form onSubmit={onSubmit} aria-label="Look up" className="flex flex-wrap items-end gap-2">
      <TextField
        label="Request or task id"
        placeholder="req_… or task_…"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        className="min-w-64 flex-1"
      />
      <Button type="submit" variant="secondary">
        Look up
      </Button>
    </form>
  );
}
