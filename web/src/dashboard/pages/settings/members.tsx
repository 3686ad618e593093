import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { members } from '../../api/endpoints.js';
import type { Member, Role } from '../../api/types.js';
import { useCan, useSession } from '../../shell/session.js';
import { Button } from '../../ui/button.js';
import { Card } from '../../ui/card.js';
import { Modal } from '../../ui/dialog.js';
import { dateTime } from '../../ui/format.js';
import { ErrorNotice } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { Table, Td } from '../../ui/table.js';
import { InviteForm } from './invite-form.js';
import { RoleSelect } from './role-select.js';

export const MEMBERS_QUERY = ['members'] as const;

export function Members() {
  const canManage = useCan('owner');
  const me = useSession().user.id;
  const client = useQueryClient();
  const list = useQuery({ queryKey: MEMBERS_QUERY, queryFn: members.list });
  const [removing, setRemoving] = useState<Member | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: MEMBERS_QUERY });
  const setRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) => members.setRole(userId, role),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => members.remove(userId),
    onSuccess: async () => {
      setRemoving(null);
      await refresh();
    },
  });
  const cancel = useMutation({ mutationFn: members.cancelInvite, onSettled: refresh });
  return (
    <Card title="Members">
      {canManage && <InviteForm />}
      <QueryView query={list} errorTitle="The members could not load.">
        {(page) => (
          <div className="mt-4 space-y-4">
            {(setRole.error ?? cancel.error) && (
              <ErrorNotice error={setRole.error ?? cancel.error} />
            )}
            <Table
              caption="Members"
              head={['Email', 'Name', 'Role', 'Since', ...(canManage ? ['Actions'] : [])]}
            >
              {page.data.map((m) => (
                <tr key={m.user_id}>
                  <Td>{m.email}</Td>
                  <Td>{m.name ?? '—'}</Td>
                  <Td>
                    {canManage && m.user_id !== me ? (
                      <RoleSelect
                        label={`Role of ${m.email}`}
                        value={m.role}
                        onChange={(role) => setRole.mutate({ userId: m.user_id, role })}
                      />
                    ) : (
                      m.role
                    )}
                  </Td>
                  <Td className="whitespace-nowrap">{dateTime(m.created_at)}</Td>
                  {canManage && (
                    <Td>
                      {m.user_id !== me && (
                        <Button
                          variant="secondary"
                          onClick={() => setRemoving(m)}
                          aria-label={`Remove ${m.email}`}
                        >
                          Remove
                        </Button>
                      )}
                    </Td>
                  )}
                </tr>
              ))}
            </Table>
            {page.invites.length > 0 && (
              <Table
                caption="Open invites"
                head={['Invited', 'Role', 'Expires', ...(canManage ? ['Actions'] : [])]}
              >
                {page.invites.map((invite) => (
                  <tr key={invite.id}>
                    <Td>{invite.email}</Td>
                    <Td>{invite.role}</Td>
                    <Td className="whitespace-nowrap">{dateTime(invite.expires_at)}</Td>
                    {canManage && (
                      <Td>
                        <Button
                          variant="secondary"
                          busy={cancel.isPending && cancel.variables === invite.id}
                          onClick={() => cancel.mutate(invite.id)}
                          aria-label={`Cancel the invite of ${invite.email}`}
                        >
                          Cancel invite
                        </Button>
                      </Td>
                    )}
                  </tr>
                ))}
              </Table>
            )}
          </div>
        )}
      </QueryView>
      {removing && (
        <Modal
          open
          onOpenChange={(open) => !open && setRemoving(null)}
          title={`Remove ${removing.email}?`}
          description="They lose access to this account at once. Their API keys keep read access only."
        >
          {remove.error && <ErrorNotice error={remove.error} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() => remove.mutate(removing.user_id)}
            >
              Remove member
            </Button>
          </div>
        </Modal>
      )}
    </Card>
  );
}
