import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from 'wouter';
import { billing } from '../../api/endpoints.js';
import { useAccount } from '../../shell/use-account.js';
import { Card, Stat } from '../../ui/card.js';
import { credits, creditsLabel } from '../../ui/format.js';
import { ErrorNotice, Loading, Success } from '../../ui/notice.js';
import { PageHeader } from '../../ui/page-header.js';

const linkClass = 'text-sm font-medium text-indigo-700 underline';

/**
 * Where Stripe Checkout sends the person back. Stripe may redirect before its webhook has
 * reached the server, so the page asks until the payment is confirmed.
 */
export function CheckoutResultPage() {
  const sessionId = new URLSearchParams(useSearch()).get('session_id') ?? '';
  const account = useAccount();
  const status = useQuery({
    queryKey: ['checkout', sessionId],
    queryFn: () => billing.checkoutStatus(sessionId),
    enabled: sessionId !== '',
    refetchInterval: (query) => (query.state.data?.status === 'open' ? 1_500 : false),
  });
  const paid = status.data?.status === 'paid';
  return (
    <>
      <PageHeader title={paid ? 'Payment received' : 'Your payment'} />
      <div className="space-y-6">
        {sessionId === '' ? (
          <ErrorNotice error={new Error('This page needs the session_id Stripe adds to it.')} />
        ) : status.isPending ? (
          <Loading label="Checking the payment…" />
        ) : status.error ? (
          <ErrorNotice error={status.error} title="The payment could not be checked." />
        ) : status.data.status === 'paid' ? (
          <Success>
            {creditsLabel(status.data.credits)} added for {status.data.amount}{' '}
            {status.data.currency.toUpperCase()}. Thank you!
          </Success>
        ) : status.data.status === 'open' ? (
          <p role="status" className="text-sm text-slate-700">
            Waiting for Stripe to confirm the payment. This page updates by itself.
          </p>
        ) : (
          <Card title="The payment did not go through">
            <p className="text-sm text-slate-700">Nothing was charged. You can try again.</p>
          </Card>
        )}
        <Stat label="Available credits" value={credits(account.data?.available)} />
        <div className="flex flex-wrap gap-4">
          {status.data?.receipt_url && (
            <a
              href={status.data.receipt_url}
              target="_blank"
              rel="noreferrer"
              className={linkClass}
            >
              Stripe receipt
            </a>
          )}
          <Link href="/billing" className={linkClass}>
            Billing history
          </Link>
          <Link href="/credits" className={linkClass}>
            Add more credits
          </Link>
        </div>
      </div>
    </>
  );
}
