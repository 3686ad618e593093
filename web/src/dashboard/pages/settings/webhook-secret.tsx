import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { account } from '../../api/endpoints.js';
import { Button } from '../../ui/button.js';
import { Card } from '../../ui/card.js';
import { Code, CopyButton } from '../../ui/copy-button.js';
import { Modal } from '../../ui/dialog.js';
import { ErrorNotice } from '../../ui/notice.js';

/** The secret that signs webhooks: hidden until asked for; rotating asks first. */
export function WebhookSecret() {
  const [secret, setSecret] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const reveal = useMutation({
    mutationFn: account.webhookSecret,
    onSuccess: (r) => setSecret(r.webhook_secret),
  });
  const rotate = useMutation({
    mutationFn: account.rotateWebhookSecret,
    onSuccess: (r) => {
      setSecret(r.webhook_secret);
      setConfirming(false);
    },
  });
  return (
    <Card title="Webhook signing secret">
      <p className="mb-3 text-sm text-slate-700">
        Webhooks are signed with this secret (Standard Webhooks). Verify the signature before
        trusting a delivery.
      </p>
      {secret ? (
        <Code code={secret} label="Webhook secret" />
      ) : (
        <p className="font-mono text-sm text-slate-600" aria-label="Secret hidden">
          whsec_••••••••••••••••
        </p>
      )}
      {(reveal.error ?? rotate.error) && <ErrorNotice error={reveal.error ?? rotate.error} />}
      <div className="mt-3 flex flex-wrap gap-2">
        {secret ? (
          <CopyButton text={secret} label="Copy secret" />
        ) : (
          <Button variant="secondary" busy={reveal.isPending} onClick={() => reveal.mutate()}>
            Reveal
          </Button>
        )}
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Rotate
        </Button>
      </div>
      {confirming && (
        <Modal
          open
          onOpenChange={setConfirming}
          title="Rotate the webhook secret?"
          description="Deliveries from now on are signed with a new secret. Update your receivers to accept it."
        >
          {rotate.error && <ErrorNotice error={rotate.error} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button variant="danger" busy={rotate.isPending} onClick={() => rotate.mutate()}>
              Rotate secret
            </Button>
          </div>
        </Modal>
      )}
    </Card>
  );
}
