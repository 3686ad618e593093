import { Link } from 'wouter';
import type { Task } from '../../api/types.js';
import { Badge } from '../../ui/badge.js';
import { dateTime } from '../../ui/format.js';
import { Table, Td } from '../../ui/table.js';

export function Progress({ value }: { value: number | null }) {
  // The API gives progress as a percentage.
  const percent = Math.min(100, Math.max(0, Math.round(value ?? 0)));
  return (
    <div className="flex items-center gap-2">
      <div
        role="progressbar"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label="Progress"
        className="h-2 w-20 overflow-hidden rounded bg-slate-200"
      >
        <div className="h-full bg-indigo-600" style={{ width: `${percent}%` }} />
      </div>
      <span className="text-xs tabular-nums text-slate-700">{percent}%</span>
    </div>
  );
}

/** A task's id, linking to its drawer on the Tasks page. */
export function TaskLink({ id }: { id: string }) {
  return (
    <Link href={`/tasks/${id}`} className="font-mono text-xs text-indigo-700 underline">
      {id}
    </Link>
  );
}

export function TasksTable({ tasks }: { tasks: Task[] }) {
  return (
    <Table caption="Tasks" head={['Created', 'Task', 'Model', 'Status', 'Progress', 'Preview']}>
      {tasks.map((t) => {
        const preview = t.result?.data?.find((d) => d.url)?.url;
        return (
          <tr key={t.id} data-task={t.id}>
            <Td className="whitespace-nowrap">{dateTime(t.created_at)}</Td>
            <Td>
              <TaskLink id={t.id} />
            </Td>
            <Td>{t.model}</Td>
            <Td>
              <Badge status={t.status} />
            </Td>
            <Td>
              <Progress value={t.progress} />
            </Td>
            <Td>
              {preview ? (
                <img
                  src={preview}
                  alt={`Result of ${t.id}`}
                  className="h-10 w-10 rounded border border-slate-200 object-cover"
                />
              ) : (
                <span className="text-slate-600">—</span>
              )}
            </Td>
          </tr>
        );
      })}
    </Table>
  );
}
