import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useParams } from 'wouter';
import { tasks } from '../../api/endpoints.js';
import { Button } from '../../ui/button.js';
import { SelectField } from '../../ui/field.js';
import { EmptyState } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { TaskDrawer } from './task-drawer.js';
import { TasksTable } from './tasks-table.js';

const STATUSES = ['', 'submitted', 'processing', 'completed', 'failed', 'canceled'].map(
  (value) => ({
    value,
    label: value ? value[0]!.toUpperCase() + value.slice(1) : 'Any status',
  }),
);

/** Async tasks, newest first; /tasks/:id opens one in the drawer. */
export function TasksPage() {
  const params = useParams<{ id?: string }>();
  const [, navigate] = useLocation();
  const [status, setStatus] = useState('');
  const pages = useInfiniteQuery({
    queryKey: ['tasks', 'list', status],
    queryFn: ({ pageParam }) => tasks.list(status || undefined, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more ? (last.data.at(-1)?.id ?? undefined) : undefined),
    refetchInterval: 10_000,
  });
  const list = pages.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <PageHeader
        title="Tasks"
        description="Async generations, their attempts, results and webhook deliveries."
      />
      <div className="mb-4 max-w-xs">
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          options={STATUSES}
        />
      </div>
      <QueryView
        query={pages}
        errorTitle="The tasks could not load."
        isEmpty={() => list.length === 0}
        empty={
          <EmptyState title={status ? `No ${status} tasks.` : 'No tasks yet.'}>
            Submit one with <code>POST /v1/async/images/generations</code>; it shows up here with
            its progress.
          </EmptyState>
        }
      >
        {() => (
          <>
            <TasksTable tasks={list} />
            {pages.hasNextPage && (
              <Button
                variant="secondary"
                className="mt-4"
                busy={pages.isFetchingNextPage}
                onClick={() => void pages.fetchNextPage()}
              >
                Load more
              </Button>
            )}
          </>
        )}
      </QueryView>
      {params.id && <TaskDrawer taskId={params.id} onClose={() => navigate('/tasks')} />}
    </>
  );
}
