import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { members } from '../../api/endpoints.js';
import type { Invite, Role } from '../../api/types.js';
import { Button } from '../../ui/button.js';
import { Code, CopyButton } from '../../ui/copy-button.js';
import { SelectField, TextField } from '../../ui/field.js';
import { ErrorNotice } from '../../ui/notice.js';
import { ROLES } from './role-select.js';

/** Invites someone by email; the link is shown too, for servers that send no mail. */
export function InviteForm() {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [sent, setSent] = useState<Invite | null>(null);
  const invite = useMutation({
    mutationFn: () => members.invite({ email, role }),
    onSuccess: async (created) => {
      setSent(created);
      setEmail('');
      await client.invalidateQueries({ queryKey: ['members'] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <div className="space-y-3">
      <form
        onSubmit={onSubmit}
        aria-label="Invite a member"
        className="flex flex-wrap items-end gap-3"
      >
        <TextField
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className="min-w-64 flex-1"
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          options={ROLES}
        />
        <Button type="submit" busy={invite.isPending}>
          Invite
        </Button>
      </form>
      {invite.error && <ErrorNotice error={invite.error} />}
      {sent?.invite_url && (
        <div
          className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm"
          role="status"
        >
          <p>
            Invited {sent.email} as {sent.role}. Send them this link (valid 7 days):
          </p>
          <Code code={sent.invite_url} label="Invite link" />
          <CopyButton text={sent.invite_url} label="Copy link" />
        </div>
      )}
    </div>
  );
}
