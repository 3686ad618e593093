import type { Task } from '../../api/types.js';
import { Badge, HttpBadge } from '../../ui/badge.js';
import { dateTime, milliseconds } from '../../ui/format.js';
import { Table, Td } from '../../ui/table.js';

export function Deliveries({ webhook }: { webhook: NonNullable<Task['webhook']> }) {
  return (
    <div className="space-y-3">
      <p className="break-all text-slate-700">
        <code>{webhook.url}</code> · <Badge status={webhook.state} />
        {webhook.next_retry_at ? ` · next retry ${dateTime(webhook.next_retry_at)}` : ''}
      </p>
      {webhook.deliveries.length === 0 ? (
        <p className="text-slate-600">No delivery yet.</p>
      ) : (
        <Table caption="Webhook deliveries" head={['Attempt', 'When', 'Response', 'Duration']}>
          {webhook.deliveries.map((d) => (
            <tr key={d.attempt}>
              <Td>{d.attempt}</Td>
              <Td className="whitespace-nowrap">{dateTime(d.at)}</Td>
              <Td>
                {d.status !== null ? <HttpBadge status={d.status} /> : null}
                {d.error && <span className="ml-2 text-red-800">{d.error}</span>}
              </Td>
              <Td>{milliseconds(d.duration_ms)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
