import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { admin } from '../../api/endpoints.js';
import type { AdminAccount } from '../../api/types.js';
import { Button } from '../../ui/button.js';
import { Modal } from '../../ui/dialog.js';
import { SelectField, TextField } from '../../ui/field.js';
import { credits } from '../../ui/format.js';
import { ErrorNotice } from '../../ui/notice.js';

/** Grants or deducts credits with a note; each is one ledger row on the server. */
export function AdjustCreditsDialog({
  account,
  onClose,
}: {
  account: AdminAccount;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [direction, setDirection] = useState<'grant' | 'deduct'>('grant');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const adjust = useMutation({
    mutationFn: () =>
      admin.adjust(account.id, {
        amount: (direction === 'grant' ? 1 : -1) * Number(amount),
        note,
      }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['admin', 'accounts'] });
      onClose();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    adjust.mutate();
  };
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Credits of ${account.name}`}
      description={`Balance ${credits(account.balance)}, available ${credits(account.available)}.`}
    >
      <form onSubmit={onSubmit} className="space-y-4">
        <SelectField
          label="Action"
          value={direction}
          onChange={(e) => setDirection(e.target.value as 'grant' | 'deduct')}
          options={[
            { value: 'grant', label: 'Grant credits' },
            { value: 'deduct', label: 'Deduct credits' },
          ]}
        />
        <TextField
          label="Amount (credits)"
          type="number"
          min={0.001}
          step="any"
          required
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
        <TextField
          label="Note"
          required
          hint="Why, for the ledger: e.g. “refund for failed batch”."
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {adjust.error && <ErrorNotice error={adjust.error} />}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            busy={adjust.isPending}
            variant={direction === 'deduct' ? 'danger' : 'primary'}
          >
            {direction === 'grant' ? 'Grant' : 'Deduct'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
