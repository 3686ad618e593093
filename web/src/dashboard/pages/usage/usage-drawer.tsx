import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client.js';
import { usage } from '../../api/endpoints.js';
import type { UsageRecord } from '../../api/types.js';
import { Badge } from '../../ui/badge.js';
import { Modal } from '../../ui/dialog.js';
import { credits, dateTime, milliseconds } from '../../ui/format.js';
import { ErrorNotice } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-600">{label}</dt>
          <dd className="break-all text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One request: its facts, its error in words, or thumbnails of the images it stored. */
export function UsageDrawer({ record, onClose }: { record: UsageRecord; onClose: () => void }) {
  const detail = useQuery({
    queryKey: ['usage', 'detail', record.id],
    queryFn: () => usage.get(record.id),
  });
  return (
    <Modal open side onOpenChange={(open) => !open && onClose()} title="Request details">
      <Facts
        rows={[
          ['Time', dateTime(record.created)],
          ['Request', <code key="r">{record.request_id}</code>],
          ['Task', record.task_id ? <code key="t">{record.task_id}</code> : '—'],
          ['Model', record.model],
          ['Endpoint', record.endpoint],
          ['Status', <Badge key="s" status={record.status} />],
          ['Images', record.images],
          ['Credits', credits(record.credits)],
          ['Latency', milliseconds(record.latency_ms)],
          ['Attempts', record.attempts],
          ['Key', record.key_id ?? '—'],
        ]}
      />
      <div className="mt-6">
        <QueryView query={detail} errorTitle="The details could not load.">
          {(found) => (
            <>
              {found.error && (
                <ErrorNotice
                  title="The request failed"
                  error={
                    new ApiError(
                      0,
                      found.error.message ?? 'The request failed without a message.',
                      null,
                      found.error.code,
                    )
                  }
                />
              )}
              {record.blocked_reason && (
                <p className="text-sm text-slate-700">Blocked: {record.blocked_reason}</p>
              )}
              {found.images.length > 0 && (
                <>
                  <h3 className="mb-2 text-sm font-semibold">Images</h3>
                  <ul className="grid grid-cols-2 gap-3">
                    {found.images.map((image, i) => (
                      <li key={image.id}>
                        {image.expired ? (
                          <p className="rounded border border-dashed border-slate-300 p-4 text-center text-xs text-slate-600">
                            Expired from storage
                          </p>
                        ) : (
                          <a href={image.url} target="_blank" rel="noreferrer">
                            <img
                              src={image.url}
                              alt={`Output ${i + 1} of ${record.request_id}`}
                              className="aspect-square w-full rounded border border-slate-200 object-cover"
                            />
                          </a>
                        )}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </QueryView>
      </div>
    </Modal>
  );
}
