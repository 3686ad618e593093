import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { admin } from '../../api/endpoints.js';
import type { AdminAccount } from '../../api/types.js';
import { Badge } from '../../ui/badge.js';
import { Button } from '../../ui/button.js';
import { TextField } from '../../ui/field.js';
import { credits, dateTime } from '../../ui/format.js';
import { EmptyState, ErrorNotice } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { Table, Td } from '../../ui/table.js';
import { AdjustCreditsDialog } from './adjust-credits-dialog.js';

export function AdminAccounts() {
  const client = useQueryClient();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [adjusting, setAdjusting] = useState<AdminAccount | null>(null);
  const list = useQuery({ queryKey: ['admin', 'accounts', q], queryFn: () => admin.accounts(q) });
  const suspend = useMutation({
    mutationFn: (a: AdminAccount) => admin.setSuspended(a.id, !a.suspended),
    onSettled: () => client.invalidateQueries({ queryKey: ['admin', 'accounts'] }),
  });
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setQ(input.trim());
  };
  return (
    <div className="space-y-4">
      <form
        onSubmit={onSearch}
        aria-label="Account search"
        className="flex flex-wrap items-end gap-2"
      >
        <TextField
          label="Search accounts"
          placeholder="Name, id or member email"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          className="min-w-64 flex-1"
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {suspend.error && <ErrorNotice error={suspend.error} />}
      <QueryView
        query={list}
        errorTitle="The accounts could not load."
        isEmpty={(page) => page.data.length === 0}
        empty={<EmptyState title={q ? `No account matches “${q}”.` : 'No accounts.'} />}
      >
        {(page) => (
          <Table
            caption="Accounts"
            head={['Account', 'Balance', 'Held', 'Members', 'Created', 'Status', 'Actions']}
          >
            {page.data.map((a) => (
              <tr key={a.id} data-account={a.id}>
                <Td>
                  <span className="font-medium">{a.name}</span>
                  <br />
                  <code className="text-xs text-slate-600">{a.id}</code>
                </Td>
                <Td className="tabular-nums">{credits(a.balance)}</Td>
                <Td className="tabular-nums">{credits(a.held)}</Td>
                <Td className="tabular-nums">{a.members}</Td>
                <Td className="whitespace-nowrap">{dateTime(a.created_at)}</Td>
                <Td>
                  <Badge status={a.suspended ? 'suspended' : 'active'} />
                </Td>
                <Td className="whitespace-nowrap">
                  <div className="flex gap-2">
                    <Button
                      variant="secondary"
                      onClick={() => setAdjusting(a)}
                      aria-label={`Grant or deduct credits for ${a.name}`}
                    >
                      Credits
                    </Button>
                    {!a.is_admin && (
                      <Button
                        variant={a.suspended ? 'secondary' : 'danger'}
                        busy={suspend.isPending && suspend.variables?.id === a.id}
                        onClick={() => suspend.mutate(a)}
                        aria-label={`${a.suspended ? 'Unsuspend' : 'Suspend'} ${a.name}`}
                      >
                        {a.suspended ? 'Unsuspend' : 'Suspend'}
                      </Button>
                    )}
                  </div>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
      {adjusting && <AdjustCreditsDialog account={adjusting} onClose={() => setAdjusting(null)} />}
    </div>
  );
}
