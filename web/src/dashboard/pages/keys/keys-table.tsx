import type { ApiKey, KeyLimits } from '../../api/types.js';
import { Badge } from '../../ui/badge.js';
import { Button } from '../../ui/button.js';
import { dateTime } from '../../ui/format.js';
import { Table, Td } from '../../ui/table.js';

const LIMIT_WORDS: [keyof KeyLimits, string][] = [
  ['rpm', 'requests/min'],
  ['images_per_minute', 'images/min'],
  ['max_concurrent', 'concurrent'],
  ['daily_credits', 'credits/day'],
  ['monthly_credits', 'credits/month'],
];

function limitsText(limits: KeyLimits | null): string {
  const set = LIMIT_WORDS.filter(([field]) => limits?.[field] != null);
  return set.length ? set.map(([field, words]) => `${limits![field]} ${words}`).join(', ') : 'None';
}

export function KeysTable({
  keys,
  onRevoke,
}: {
  keys: ApiKey[];
  /** Absent when the member may not revoke keys. */
  onRevoke?: (key: ApiKey) => void;
}) {
  const head = ['Name', 'Key', 'Scope', 'Limits', 'Created', 'Last used', 'Status'];
  return (
    <Table caption="API keys" head={onRevoke ? [...head, 'Actions'] : head}>
      {keys.map((key) => (
        <tr key={key.id} data-key={key.id}>
          <Td className="font-medium">{key.name || 'Unnamed key'}</Td>
          <Td className="font-mono text-xs">{key.prefix}</Td>
          <Td>{key.scope}</Td>
          <Td className="text-xs">{limitsText(key.limits)}</Td>
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
