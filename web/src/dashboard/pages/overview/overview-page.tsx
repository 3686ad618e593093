import { useQuery } from '@tanstack/react-query';
import { tasks, usage } from '../../api/endpoints.js';
import { useAccount } from '../../shell/use-account.js';
import { Card, Stat } from '../../ui/card.js';
import { credits } from '../../ui/format.js';
import { ErrorNotice } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { RecentRequests } from './recent-requests.js';
import { RecentTasks } from './recent-tasks.js';
import { UsageChart } from './usage-chart.js';

const DAYS = 30;

export function OverviewPage() {
  const account = useAccount();
  const daily = useQuery({ queryKey: ['usage', 'daily', DAYS], queryFn: () => usage.daily(DAYS) });
  const recent = useQuery({ queryKey: ['usage', 'recent'], queryFn: () => usage.list({}) });
  const recentTasks = useQuery({ queryKey: ['tasks', 'recent'], queryFn: () => tasks.list() });
  const a = account.data;
  return (
    <>
      <PageHeader title="Overview" description="Your credits, spending and latest activity." />
      {account.error && <ErrorNotice error={account.error} title="The balance could not load." />}
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4" data-testid="balances">
        <Stat
          label="Available credits"
          value={a ? credits(a.available) : '…'}
          hint={a ? `Balance ${credits(a.balance)}` : undefined}
        />
        <Stat
          label="Held"
          value={a ? credits(a.held) : '…'}
          hint="Reserved for requests in flight"
        />
        <Stat label="Spent today" value={a ? credits(a.spend_today) : '…'} hint="Since 00:00 UTC" />
        <Stat
          label="Spent this month"
          value={a ? credits(a.spend_month) : '…'}
          hint="Since the 1st, UTC"
        />
      </div>
      <Card title={`Last ${DAYS} days`} className="mt-6">
        <QueryView query={daily}>{(days) => <UsageChart daily={days} />}</QueryView>
      </Card>
      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <RecentRequests query={recent} />
        <RecentTasks query={recentTasks} />
      </div>
    </>
  );
}
