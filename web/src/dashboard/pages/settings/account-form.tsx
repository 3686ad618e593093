import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { account } from '../../api/endpoints.js';
import { SESSION_KEY } from '../../shell/session.js';
import { useAccount } from '../../shell/use-account.js';
import { Button } from '../../ui/button.js';
import { Card } from '../../ui/card.js';
import { TextField } from '../../ui/field.js';
import { ErrorNotice, Success } from '../../ui/notice.js';

export function AccountForm() {
  const current = useAccount();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [webhookUrl, setWebhookUrl] = useState('');
  const loaded = current.data;
  useEffect(() => {
    if (!loaded) return;
    setName(loaded.name);
    setWebhookUrl(loaded.default_webhook_url ?? '');
    // Keyed on the account id: the form fills once, not on every poll of the balance.
  }, [loaded?.id]);
  const save = useMutation({
    mutationFn: () => account.update({ name, default_webhook_url: webhookUrl || null }),
    onSuccess: async (updated) => {
      client.setQueryData(['account'], updated);
      await client.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Card title="Account">
      <form onSubmit={onSubmit} className="grid max-w-xl gap-4">
        <TextField
          label="Account name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          label="Default webhook URL"
          type="url"
          placeholder="https://example.com/pixapi-webhook"
          hint="Async tasks submitted without their own webhook_url notify this address."
          value={webhookUrl}
          onChange={(e) => setWebhookUrl(e.target.value)}
        />
        {save.error && <ErrorNotice error={save.error} />}
        {save.isSuccess && <Success>Saved.</Success>}
        <div>
          <Button type="submit" busy={save.isPending}>
            Save
          </Button>
        </div>
      </form>
    </Card>
  );
}
