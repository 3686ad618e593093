import type { UsageRecord } from '../../api/types.js';
import { Badge } from '../../ui/badge.js';
import { credits, dateTime, milliseconds } from '../../ui/format.js';
import { Table, Td } from '../../ui/table.js';

export function UsageTable({
  records,
  onOpen,
  withAccount = false,
}: {
  records: UsageRecord[];
  onOpen: (record: UsageRecord) => void;
  withAccount?: boolean;
}) {
  const head = [
    'Time',
    'Model',
    'Endpoint',
    'Status',
    'Images',
    'Credits',
    'Latency',
    'Request',
    'Key',
  ];
  return (
    <Table caption="Usage records" head={withAccount ? [...head, 'Account'] : head}>
      {records.map((r) => (
        <tr key={r.id} data-request={r.request_id} className="hover:bg-slate-50">
          <Td className="whitespace-nowrap">{dateTime(r.created)}</Td>
          <Td>{r.model}</Td>
          <Td className="whitespace-nowrap">{r.endpoint}</Td>
          <Td>
            <Badge status={r.status} />
          </Td>
          <Td className="tabular-nums">{r.images}</Td>
          <Td className="tabular-nums">{credits(r.credits)}</Td>
          <Td className="tabular-nums whitespace-nowrap">{milliseconds(r.latency_ms)}</Td>
          <Td>
            <button
              type="button"
              onClick={() => onOpen(r)}
              className="font-mono text-xs text-indigo-700 underline focus-visible:outline-2 focus-visible:outline-indigo-600"
              aria-label={`Details of ${r.request_id}`}
            >
              {r.request_id}
            </button>
          </Td>
          <Td className="font-mono text-xs">{r.key_id ?? '—'}</Td>
          {withAccount && <Td className="font-mono text-xs">{r.account_id}</Td>}
        </tr>
      ))}
    </Table>
  );
}
