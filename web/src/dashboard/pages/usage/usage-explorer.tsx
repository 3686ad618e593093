import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { UsageFilter } from '../../api/endpoints.js';
import type { ListPage, UsageRecord } from '../../api/types.js';
import { Button } from '../../ui/button.js';
import { EmptyState } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { UsageDrawer } from './usage-drawer.js';
import { UsageFilters, UsageLookup } from './usage-filters.js';
import { UsageTable } from './usage-table.js';

export interface UsageSource {
  name: string;
  list: (filter: UsageFilter, after?: string) => Promise<ListPage<UsageRecord>>;
  csvUrl: (filter: UsageFilter) => string;
  withAccount?: boolean;
}

/** Filters, lookup, CSV export of the filtered rows, the table a page at a time, and details. */
export function UsageExplorer({
  source,
  keyOptions,
}: {
  source: UsageSource;
  keyOptions?: { value: string; label: string }[];
}) {
  const [filter, setFilter] = useState<UsageFilter>({});
  const [open, setOpen] = useState<UsageRecord | null>(null);
  const pages = useInfiniteQuery({
    queryKey: ['usage', source.name, filter],
    queryFn: ({ pageParam }) => source.list(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more ? (last.last_id ?? undefined) : undefined),
  });
  const records = pages.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Object.values(filter).some(Boolean);
  return (
    <div className="space-y-4">
      <UsageFilters keyOptions={keyOptions} withAccount={source.withAccount} onApply={setFilter} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <UsageLookup onLookup={setFilter} />
        <a
          href={source.csvUrl(filter)}
          download
          className="inline-flex items-center rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Export CSV{filtered ? ' (filtered)' : ''}
        </a>
      </div>
      <QueryView
        query={pages}
        errorTitle="The usage log could not load."
        isEmpty={() => records.length === 0}
        empty={
          <EmptyState title={filtered ? 'No request matches these filters.' : 'No requests yet.'}>
            {filtered
              ? 'Widen the dates or clear a filter.'
              : 'Every API call, with its cost and outcome, shows up here.'}
          </EmptyState>
        }
      >
        {() => (
          <>
            <UsageTable records={records} onOpen={setOpen} withAccount={source.withAccount} />
            {pages.hasNextPage && (
              <Button
                variant="secondary"
                busy={pages.isFetchingNextPage}
                onClick={() => void pages.fetchNextPage()}
              >
                Load more
              </Button>
            )}
          </>
        )}
      </QueryView>
      {open && <UsageDrawer record={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
