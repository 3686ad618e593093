import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { ListPage, UsageRecord } from '../../api/types.js';
import { Badge } from '../../ui/badge.js';
import { Card } from '../../ui/card.js';
import { credits, dateTime } from '../../ui/format.js';
import { EmptyState } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { Table, Td } from '../../ui/table.js';

const SHOWN = 5;

export function RecentRequests({ query }: { query: UseQueryResult<ListPage<UsageRecord>> }) {
  return (
    <Card
      title="Recent requests"
      actions={
        <Link href="/usage" className="text-sm font-medium text-indigo-700 underline">
          All usage
        </Link>
      }
    >
      <QueryView
        query={query}
        isEmpty={(page) => page.data.length === 0}
        empty={
          <EmptyState title="No requests yet.">
            Try a model in the{' '}
            <Link href="/playground" className="text-indigo-700 underline">
              playground
            </Link>{' '}
            or call the API with a key.
          </EmptyState>
        }
      >
        {(page) => (
          <Table caption="Recent requests" head={['Time', 'Model', 'Status', 'Credits']}>
            {page.data.slice(0, SHOWN).map((r) => (
              <tr key={r.id}>
                <Td className="whitespace-nowrap">{dateTime(r.created)}</Td>
                <Td>{r.model}</Td>
                <Td>
                  <Badge status={r.status} />
                </Td>
                <Td className="tabular-nums">{credits(r.credits)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
