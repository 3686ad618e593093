import { useCan } from '../../shell/session.js';
import { PageHeader } from '../../ui/page-header.js';
import { AccountForm } from './account-form.js';
import { Members } from './members.js';
import { Profile } from './profile.js';
import { WebhookSecret } from './webhook-secret.js';

export function SettingsPage() {
  const isOwner = useCan('owner');
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          isOwner
            ? 'The account, its members and its webhooks.'
            : 'Only owners can change these settings; you can see the members.'
        }
      />
      <div className="space-y-6">
        <Profile />
        {isOwner && <AccountForm />}
        {isOwner && <WebhookSecret />}
        <Members />
      </div>
    </>
  );
}
