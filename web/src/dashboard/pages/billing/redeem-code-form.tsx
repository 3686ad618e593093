import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { billing } from '../../api/endpoints.js';
import { Button } from '../../ui/button.js';
import { Card } from '../../ui/card.js';
import { TextField } from '../../ui/field.js';
import { creditsLabel } from '../../ui/format.js';
import { ErrorNotice, Success } from '../../ui/notice.js';

/** A code from an admin (or a promotion) turned into credits. */
export function RedeemCodeForm() {
  const client = useQueryClient();
  const [code, setCode] = useState('');
  const redeem = useMutation({
    mutationFn: (text: string) => billing.redeem(text),
    onSuccess: () => {
      setCode('');
      void client.invalidateQueries({ queryKey: ['account'] });
      void client.invalidateQueries({ queryKey: ['billing-history'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    redeem.mutate(code.trim());
  };
  return (
    <Card title="Redeem a code">
      <form onSubmit={submit} className="flex flex-wrap items-start gap-x-3">
        <TextField
          label="Code"
          hint="Codes look like PIX-ABCD-EFGH-JKMN; case does not matter."
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          required
          className="min-w-64 flex-1"
        />
        {/* Level with the input, not its hint: the label above it is 1.5rem tall. */}
        <Button
          type="submit"
          className="mt-6"
          busy={redeem.isPending}
          disabled={code.trim() === ''}
        >
          Redeem
        </Button>
      </form>
      <div className="mt-3" aria-live="polite">
        {redeem.error && <ErrorNotice error={redeem.error} title="The code was not accepted." />}
        {redeem.data && (
          <Success>
            {creditsLabel(redeem.data.credits)} added. Your balance is now{' '}
            {creditsLabel(redeem.data.balance)}.
          </Success>
        )}
      </div>
    </Card>
  );
}
