import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { billing } from '../../api/endpoints.js';
import type { BillingEntry } from '../../api/types.js';
import { Button } from '../../ui/button.js';
import { credits, dateTime } from '../../ui/format.js';
import { EmptyState } from '../../ui/notice.js';
import { QueryView } from '../../ui/query-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { Table, Td } from '../../ui/table.js';

const TYPE_LABELS: Record<BillingEntry['type'], string> = {
  purchase: 'Payment',
  refund: 'Refund',
  dispute: 'Dispute',
  grant: 'Grant',
  deduction: 'Deduction',
  adjustment: 'Adjustment',
  redemption: 'Code redeemed',
};

function Row({ entry }: { entry: BillingEntry }) {
  const sign = entry.credits > 0 ? '+' : '';
  return (
    <tr data-entry={entry.id}>
      <Td className="whitespace-nowrap">{dateTime(entry.created)}</Td>
      <Td>{TYPE_LABELS[entry.type] ?? entry.type}</Td>
      <Td
        className={`text-right tabular-nums ${entry.credits < 0 ? 'text-red-800' : 'text-emerald-800'}`}
      >
        {sign}
        {credits(entry.credits)}
      </Td>
      <Td className="whitespace-nowrap tabular-nums">
        {entry.payment ? `${entry.payment.amount} ${entry.payment.currency.toUpperCase()}` : '—'}
      </Td>
      <Td>{entry.note ?? ''}</Td>
      <Td>
        {entry.payment?.receipt_url ? (
          <a
            href={entry.payment.receipt_url}
            target="_blank"
            rel="noreferrer"
            className="text-indigo-700 underline"
          >
            Receipt<span className="sr-only"> for the payment of {dateTime(entry.created)}</span>
          </a>
        ) : (
          ''
        )}
      </Td>
    </tr>
  );
}

/** Payments with their Stripe receipts, refunds, grants, deductions and redeemed codes. */
export function BillingPage() {
  const history = useInfiniteQuery({
    queryKey: ['billing-history'],
    queryFn: ({ pageParam }) => billing.history(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more && last.last_id ? last.last_id : undefined),
  });
  const entries = history.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <PageHeader
        title="Billing"
        description="Every credit added or taken back, with receipts for payments. Request costs are under Usage."
        actions={
          <>
            <a
              href={billing.csvUrl}
              download
              className="inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Export CSV
            </a>
            <Link
              href="/credits"
              className="inline-flex items-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
            >
              Add credits
            </Link>
          </>
        }
      />
      <QueryView
        query={history}
        errorTitle="The billing history could not load."
        isEmpty={() => entries.length === 0}
        empty={
          <EmptyState title="Nothing here yet.">
            Credits you buy, redeem or receive from an administrator show up here.
          </EmptyState>
        }
      >
        {() => (
          <div className="space-y-3">
            <Table
              caption="Billing history"
              head={['Date', 'Type', 'Credits', 'Paid', 'Note', 'Receipt']}
            >
              {entries.map((entry) => (
                <Row key={entry.id} entry={entry} />
              ))}
            </Table>
            {history.hasNextPage && (
              <Button
                variant="secondary"
                busy={history.isFetchingNextPage}
                onClick={() => void history.fetchNextPage()}
              >
                Show older
              </Button>
            )}
          </div>
        )}
      </QueryView>
    </>
  );
}
