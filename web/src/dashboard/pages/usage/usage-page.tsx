import { useQuery } from '@tanstack/react-query';
import { keys, usage } from '../../api/endpoints.js';
import { PageHeader } from '../../ui/page-header.js';
import { UsageExplorer, type UsageSource } from './usage-explorer.js';

const SOURCE: UsageSource = { name: 'account', list: usage.list, csvUrl: usage.csvUrl };

export function UsagePage() {
  const keyList = useQuery({ queryKey: ['keys'], queryFn: keys.list });
  const keyOptions = (keyList.data?.data ?? []).map((k) => ({
    value: k.id,
    label: `${k.name || 'Unnamed'} (${k.prefix})`,
  }));
  return (
    <>
      <PageHeader
        title="Usage"
        description="Every request of this account: what it cost, how long it took, what went wrong."
      />
      <UsageExplorer source={SOURCE} keyOptions={keyOptions} />
    </>
  );
}
