import * as Tabs from '@radix-ui/react-tabs';
import { useSession } from '../../shell/session.js';
import { EmptyState } from '../../ui/notice.js';
import { PageHeader } from '../../ui/page-header.js';
import { UsageExplorer, type UsageSource } from '../usage/usage-explorer.js';
import { admin } from '../../api/endpoints.js';
import { AdminAccounts } from './admin-accounts.js';
import { ProviderRoutes } from './provider-routes.js';
import { SiteSettings } from './site-settings.js';

const ALL_USAGE: UsageSource = {
  name: 'admin',
  list: admin.usage,
  csvUrl: admin.csvUrl,
  withAccount: true,
};

const TAB =
  'rounded-t-md px-4 py-2 text-sm font-medium text-slate-700 hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600 data-[state=active]:border-b-2 data-[state=active]:border-indigo-600 data-[state=active]:text-indigo-800';

/** Site administration; the server refuses these routes to anyone else as well. */
export function AdminPage() {
  const { user } = useSession();
  if (!user.site_admin) {
    return <EmptyState title="Only site admins can open this page." />;
  }
  return (
    <>
      <PageHeader title="Admin" description="Every account, all usage and the provider routes." />
      <Tabs.Root defaultValue="accounts">
        <Tabs.List
          aria-label="Admin sections"
          className="mb-4 flex gap-1 border-b border-slate-200"
        >
          <Tabs.Trigger value="accounts" className={TAB}>
            Accounts
          </Tabs.Trigger>
          <Tabs.Trigger value="usage" className={TAB}>
            All usage
          </Tabs.Trigger>
          <Tabs.Trigger value="routes" className={TAB}>
            Provider routes
          </Tabs.Trigger>
          <Tabs.Trigger value="settings" className={TAB}>
            Site settings
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="accounts">
          <AdminAccounts />
        </Tabs.Content>
        <Tabs.Content value="usage">
          <UsageExplorer source={ALL_USAGE} />
        </Tabs.Content>
        <Tabs.Content value="routes">
          <ProviderRoutes />
        </Tabs.Content>
        <Tabs.Content value="settings">
          <SiteSettings />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}
