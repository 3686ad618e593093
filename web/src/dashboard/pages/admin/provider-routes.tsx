import { useQuery } from '@tanstack/react-query';
import { admin } from '../../api/endpoints.js';
import { Badge } from '../../ui/badge.js';
import { EmptyState, ErrorNotice, Loading } from '../../ui/notice.js';
import { Table, Td } from '../../ui/table.js';

const BREAKER_WORDS = {
  closed: 'healthy (breaker closed)',
  half_open: 'probing (half open)',
  open: 'failing (breaker open)',
} as const;

export function ProviderRoutes() {
  const routes = useQuery({
    queryKey: ['admin', 'routes'],
    queryFn: admin.routes,
    refetchInterval: 10_000,
  });
  if (routes.isPending) return <Loading />;
  if (routes.error) return <ErrorNotice error={routes.error} title="The routes could not load." />;
  if (routes.data.data.length === 0) return <EmptyState title="No provider routes." />;
  return (
    <Table caption="Provider routes" head={['Route', 'Provider', 'Models', 'Configured', 'Health']}>
      {routes.data.data.map((r) => (
        <tr key={r.route}>
          <Td className="font-mono text-xs">{r.route}</Td>
          <Td>{r.provider}</Td>
          <Td className="max-w-md text-xs">{r.models.join(', ')}</Td>
          <Td>
            <Badge
              status={r.configured ? 'active' : 'error'}
              label={r.configured ? 'yes' : 'no credentials'}
            />
          </Td>
          <Td>
            <Badge status={r.breaker} label={BREAKER_WORDS[r.breaker]} />
          </Td>
        </tr>
      ))}
    </Table>
  );
}
