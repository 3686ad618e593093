import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { keys } from '../../api/endpoints.js';
import type { ApiKey } from '../../api/types.js';
import { useCan } from '../../shell/session.js';
import { Button } from '../../ui/button.js';
import { EmptyState } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { CreateKeyDialog } from './create-key-dialog.js';
import { KeysTable } from './keys-table.js';
import { RevokeKeyDialog } from './revoke-key-dialog.js';

export const KEYS_QUERY = ['keys'] as const;

export function KeysPage() {
  const canManage = useCan('developer');
  const list = useQuery({ queryKey: KEYS_QUERY, queryFn: keys.list });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          canManage
            ? 'Keys let your code call the API. Each secret is shown once, when you create it.'
            : 'Your role (viewer) can see the keys of this account but not create or revoke them.'
        }
        actions={canManage && <Button onClick={() => setCreating(true)}>Create key</Button>}
      />
      <QueryView
        query={list}
        errorTitle="The keys could not load."
        isEmpty={(page) => page.data.length === 0}
        empty={
          <EmptyState title="No API keys yet.">
            {canManage
              ? 'Create one to call the API from your code.'
              : 'Ask an owner or a developer of this account to create one.'}
          </EmptyState>
        }
      >
        {(page) => <KeysTable keys={page.data} onRevoke={canManage ? setRevoking : undefined} />}
      </QueryView>
      {creating && <CreateKeyDialog onClose={() => setCreating(false)} />}
      {revoking && <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />}
    </>
  );
}
