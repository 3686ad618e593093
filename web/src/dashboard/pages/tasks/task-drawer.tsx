import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { tasks } from '../../api/endpoints.js';
import { useCan } from '../../shell/session.js';
import { Badge } from '../../ui/badge.js';
import { Button } from '../../ui/button.js';
import { Modal } from '../../ui/dialog.js';
import { dateTime } from '../../ui/format.js';
import { ErrorNotice, Success } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { Deliveries } from './deliveries.js';
import { Progress } from './tasks-table.js';

const FINISHED = new Set(['completed', 'failed', 'canceled']);

/** One task: timing and attempts, its result or error, and its webhook deliveries. */
export function TaskDrawer({ taskId, onClose }: { taskId: string; onClose: () => void }) {
  const canRedeliver = useCan('developer');
  const client = useQueryClient();
  const task = useQuery({
    queryKey: ['tasks', 'detail', taskId],
    queryFn: () => tasks.get(taskId),
    // Until the task and its webhook deliveries (a redelivery too) have settled.
    refetchInterval: (q) => {
      const t = q.state.data;
      return t && FINISHED.has(t.status) && t.webhook?.state !== 'pending' ? false : 3_000;
    },
  });
  const redeliver = useMutation({
    mutationFn: () => tasks.redeliver(taskId),
    onSuccess: (updated) => client.setQueryData(['tasks', 'detail', taskId], updated),
  });
  return (
    <Modal open side onOpenChange={(open) => !open && onClose()} title={`Task ${taskId}`}>
      <QueryView query={task} errorTitle="This task could not load.">
        {(t) => (
          <div className="space-y-6 text-sm">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
              <dt className="text-slate-600">Status</dt>
              <dd>
                <Badge status={t.status} />
              </dd>
              <dt className="text-slate-600">Progress</dt>
              <dd>
                <Progress value={t.progress} />
              </dd>
              <dt className="text-slate-600">Model</dt>
              <dd>{t.model}</dd>
              <dt className="text-slate-600">Created</dt>
              <dd>{dateTime(t.created_at)}</dd>
              <dt className="text-slate-600">Started</dt>
              <dd>{dateTime(t.started_at)}</dd>
              <dt className="text-slate-600">Finished</dt>
              <dd>{dateTime(t.completed_at)}</dd>
              <dt className="text-slate-600">Attempts</dt>
              <dd>{t.attempts}</dd>
            </dl>
            {t.error && (
              <ErrorNotice
                title="The task failed"
                error={new Error(t.error.message ?? t.error.code ?? 'Unknown error')}
              />
            )}
            {t.result?.data && t.result.data.length > 0 && (
              <section aria-label="Result">
                <h3 className="mb-2 font-semibold">Result</h3>
                <ul className="grid grid-cols-2 gap-3">
                  {t.result.data.map((image, i) =>
                    image.url ? (
                      <li key={image.url}>
                        <a href={image.url} target="_blank" rel="noreferrer">
                          <img
                            src={image.url}
                            alt={`Image ${i + 1} of ${t.id}`}
                            className="aspect-square w-full rounded border border-slate-200 object-cover"
                          />
                        </a>
                      </li>
                    ) : null,
                  )}
                </ul>
              </section>
            )}
            <section aria-label="Webhook">
              <div className="mb-2 flex items-center justify-between gap-2">
                <h3 className="font-semibold">Webhook</h3>
                {t.webhook && canRedeliver && FINISHED.has(t.status) && (
                  <Button
                    variant="secondary"
                    busy={redeliver.isPending}
                    onClick={() => redeliver.mutate()}
                  >
                    Redeliver
                  </Button>
                )}
              </div>
              {redeliver.error && <ErrorNotice error={redeliver.error} />}
              {redeliver.isSuccess && <Success>A new delivery is scheduled.</Success>}
              {t.webhook ? (
                <Deliveries webhook={t.webhook} />
              ) : (
                <p className="text-slate-600">
                  This task has no webhook URL. Set a default one in Settings.
                </p>
              )}
            </section>
          </div>
        )}
      </QueryView>
    </Modal>
  );
}
