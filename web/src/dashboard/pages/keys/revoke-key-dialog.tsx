import { useMutation, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/endpoints.js';
import type { ApiKey } from '../../api/types.js';
import { Button } from '../../ui/button.js';
import { Modal } from '../../ui/dialog.js';
import { ErrorNotice } from '../../ui/notice.js';

export function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => keys.revoke(apiKey.id),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['keys'] });
      onClose();
    },
  });
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title="Revoke this key?"
      description={`Requests with “${apiKey.name || apiKey.prefix}” (${apiKey.prefix}) will be refused at once. This cannot be undone.`}
    >
      {revoke.error && <ErrorNotice error={revoke.error} />}
      <div className="mt-4 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" busy={revoke.isPending} onClick={() => revoke.mutate()}>
          Revoke key
        </Button>
      </div>
    </Modal>
  );
}
