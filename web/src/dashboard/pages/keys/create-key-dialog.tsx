import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { keys } from '../../api/endpoints.js';
import type { CreatedKey, KeyLimits, Scope } from '../../api/types.js';
import { useSession } from '../../shell/session.js';
import { Button } from '../../ui/button.js';
import { Code, CopyButton } from '../../ui/copy-button.js';
import { Modal } from '../../ui/dialog.js';
import { SelectField, TextField } from '../../ui/field.js';
import { ErrorNotice } from '../../ui/notice.js';

const LIMITS: { field: keyof KeyLimits; label: string }[] = [
  { field: 'rpm', label: 'Requests per minute' },
  { field: 'daily_credits', label: 'Credits per day' },
  { field: 'monthly_credits', label: 'Credits per month' },
];

function readLimits(values: Record<string, string>): KeyLimits | undefined {
  const limits: KeyLimits = {};
  for (const { field } of LIMITS) {
    if (values[field]) limits[field] = Number(values[field]);
  }
  return Object.keys(limits).length ? limits : undefined;
}

/** Creates a key, then shows its secret once with a copy button. */
export function CreateKeyDialog({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('full');
  const [limits, setLimits] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const create = useMutation({
    mutationFn: () => keys.create({ name, scope, limits: readLimits(limits) }),
    onSuccess: async (key) => {
      setCreated(key);
      await client.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const scopes = [
    { value: 'full', label: 'Full: generate, read, manage keys' },
    { value: 'read', label: 'Read only: usage, tasks, account' },
    ...(session.user.site_admin ? [{ value: 'admin', label: 'Admin: everything' }] : []),
  ];
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={created ? 'Your new API key' : 'Create an API key'}
    >
      {created ? (
        <div className="space-y-4">
          <p className="text-sm text-slate-700">
            Copy this secret now and keep it safe: it will not be shown again.
          </p>
          <Code code={created.key} label="API key secret" />
          <div className="flex justify-end gap-2">
            <CopyButton text={created.key} label="Copy key" />
            <Button onClick={onClose}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} className="space-y-4">
          <TextField
            label="Name"
            required
            maxLength={100}
            hint="Where the key is used, e.g. “production server”."
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <SelectField
            label="Scope"
            value={scope}
            onChange={(e) => setScope(e.target.value as Scope)}
            options={scopes}
          />
          <fieldset className="rounded-md border border-slate-200 p-3">
            <legend className="px-1 text-sm font-medium text-slate-800">
              Limits (optional; empty means none)
            </legend>
            <div className="grid gap-3 sm:grid-cols-3">
              {LIMITS.map(({ field, label }) => (
                <TextField
                  key={field}
                  label={label}
                  type="number"
                  min={0}
                  step="any"
                  value={limits[field] ?? ''}
                  onChange={(e) => setLimits({ ...limits, [field]: e.target.value })}
                />
              ))}
            </div>
          </fieldset>
          {create.error && <ErrorNotice error={create.error} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" busy={create.isPending}>
              Create key
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
