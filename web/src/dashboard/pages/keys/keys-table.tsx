import type { ApiKey } from '../../api/types.js';
import { Badge } from '../../ui/badge.js';
import { Button } from '../../ui/button.js';
import { dateTime } from '../../ui/format.js';
import { Table, Td } from '../../ui/table.js';

export function KeysTable({
  keys,
  onRevoke,
}: {
  keys: ApiKey[];
  /** Absent when the member may not revoke keys. */
  onRevoke?: (key: ApiKey) => void;
}) {
  const head = ['Name', 'Key', 'Scope', 'Created', 'Last used', 'Status'];
  return (
    <Table caption="API keys" head={onRevoke ? [...head, 'Actions'] : head}>
      {keys.map((key) => (
        <tr key={key.id} data-key={key.id}>
          <Td className="font-medium">{key.name || 'Unnamed key'}</Td>
          <Td className="font-mono text-xs">{key.prefix}</Td>
          <Td>{key.scope}</Td>
          <Td className="whitespace-nowrap">{dateTime(key.created_at)}</Td>
          <Td className="whitespace-nowrap">
            {key.last_used_at ? dateTime(key.last_used_at) : 'Never'}
          </Td>
          <Td>
            <Badge status={key.status} />
          </Td>
          {onRevoke && (
            <Td>
              {key.status === 'active' && (
                <Button
                  variant="secondary"
                  onClick={() => onRevoke(key)}
                  aria-label={`Revoke ${key.name || key.prefix}`}
                >
                  Revoke
                </Button>
              )}
            </Td>
          )}
        </tr>
      ))}
    </Table>
  );
}
