import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { ListPage, Task } from '../../api/types.js';
import { Badge } from '../../ui/badge.js';
import { Card } from '../../ui/card.js';
import { dateTime } from '../../ui/format.js';
import { EmptyState } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { Table, Td } from '../../ui/table.js';
import { TaskLink } from '../tasks/tasks-table.js';

const SHOWN = 5;

export function RecentTasks({ query }: { query: UseQueryResult<ListPage<Task>> }) {
  return (
    <Card
      title="Recent tasks"
      actions={
        <Link href="/tasks" className="text-sm font-medium text-indigo-700 underline">
          All tasks
        </Link>
      }
    >
      <QueryView
        query={query}
        isEmpty={(page) => page.data.length === 0}
        empty={
          <EmptyState title="No async tasks yet.">
            Tasks appear here when you call <code>POST /v1/async/images/generations</code>.
          </EmptyState>
        }
      >
        {(page) => (
          <Table caption="Recent tasks" head={['Created', 'Task', 'Model', 'Status']}>
            {page.data.slice(0, SHOWN).map((t) => (
              <tr key={t.id}>
                <Td className="whitespace-nowrap">{dateTime(t.created_at)}</Td>
                <Td>
                  <TaskLink id={t.id} />
                </Td>
                <Td>{t.model}</Td>
                <Td>
                  <Badge status={t.status} />
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
