import { useMutation, useQuery } from '@tanstack/react-query';
import { customPrice, formatPrice, parsePrice } from '../../../../../src/billing/packs.js';
import { useState, type FormEvent } from 'react';
import { Link, useSearch } from 'wouter';
import { billing } from '../../api/endpoints.js';
import type { Packs } from '../../api/types.js';
import { useCan } from '../../shell/session.js';
import { useAccount } from '../../shell/use-account.js';
import { Button } from '../../ui/button.js';
import { Card, Stat } from '../../ui/card.js';
import { TextField } from '../../ui/field.js';
import { credits, creditsLabel } from '../../ui/format.js';
import { ErrorNotice, Loading } from '../../ui/notice.js';
import { PageHeader } from '../../ui/page-header.js';
import { RedeemCodeForm } from './redeem-code-form.js';

const money = (price: string, currency: string) => `${price} ${currency.toUpperCase()}`;

/** The price of a custom amount, by the server's own formula (rounded up to a minor unit). */
function customTotal(count: number, unitPrice: string, currency: string): string {
  const unitPriceE4 = parsePrice(unitPrice, currency, 4) ?? 0;
  return formatPrice(
    customPrice({ minCredits: 0, maxCredits: count, unitPriceE4 }, count),
    currency,
  );
}

/** Buying runs through Stripe Checkout: the server makes the session, the browser goes there. */
function useCheckout() {
  return useMutation({
    mutationFn: billing.checkout,
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

function PackList({ packs }: { packs: Packs }) {
  const checkout = useCheckout();
  const [count, setCount] = useState('');
  const custom = packs.custom;
  const n = Number(count);
  const pendingPack =
    checkout.isPending && checkout.variables && 'pack' in checkout.variables
      ? checkout.variables.pack
      : null;
  const validCustom =
    custom !== null && Number.isInteger(n) && n >= custom.min_credits && n <= custom.max_credits;
  const buyCustom = (event: FormEvent) => {
    event.preventDefault();
    if (validCustom) checkout.mutate({ credits: n });
  };
  return (
    <div className="space-y-4">
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Credit packs">
        {packs.packs.map((pack) => (
          <li key={pack.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <p className="text-2xl font-semibold tabular-nums text-slate-900">
              {creditsLabel(pack.credits)}
            </p>
            <p className="mt-1 text-sm text-slate-600">{money(pack.price, packs.currency)}</p>
            <Button
              className="mt-4 w-full"
              busy={pendingPack === pack.id}
              disabled={checkout.isPending}
              onClick={() => checkout.mutate({ pack: pack.id })}
            >
              Buy {credits(pack.credits)} credits
            </Button>
          </li>
        ))}
      </ul>
      {custom && (
        <Card title="Another amount">
          <form onSubmit={buyCustom} className="flex flex-wrap items-start gap-x-3">
            <TextField
              label="Credits"
              type="number"
              inputMode="numeric"
              min={custom.min_credits}
              max={custom.max_credits}
              step={1}
              value={count}
              onChange={(e) => setCount(e.target.value)}
              hint={`From ${credits(custom.min_credits)} credits, ${money(custom.unit_price, packs.currency)} each.`}
              className="min-w-48 flex-1"
            />
            {/* Level with the input, not its hint: the label above it is 1.5rem tall. */}
            <Button type="submit" className="mt-6" disabled={!validCustom || checkout.isPending}>
              {validCustom
                ? `Pay ${money(customTotal(n, custom.unit_price, packs.currency), packs.currency)}`
                : 'Enter an amount'}
            </Button>
          </form>
        </Card>
      )}
      {checkout.error && (
        <ErrorNotice error={checkout.error} title="The payment page could not be opened." />
      )}
      {checkout.isPending && (
        <p role="status" className="text-sm text-slate-600">
          Opening the secure payment page…
        </p>
      )}
      <p className="text-xs text-slate-600">
        Payments are handled by Stripe. Credits are added as soon as Stripe confirms the payment.
      </p>
    </div>
  );
}

function NotConfigured({ canRedeem }: { canRedeem: boolean }) {
  return (
    <Card title="Top-ups are not available on this server">
      <p className="text-sm text-slate-700">
        This server does not take card payments. You can still get credits:
      </p>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
        <li>
          {canRedeem
            ? 'redeem a code you were given, below;'
            : 'an owner or developer of this account can redeem a code;'}
        </li>
        <li>or ask the administrator of this server to add credits to your account.</li>
      </ul>
    </Card>
  );
}

export function AddCreditsPage() {
  const canBuy = useCan('developer');
  const canceled = new URLSearchParams(useSearch()).get('canceled') === '1';
  const account = useAccount();
  const packs = useQuery({ queryKey: ['billing-packs'], queryFn: billing.packs });
  return (
    <>
      <PageHeader
        title="Add credits"
        description={
          packs.data?.configured === false
            ? 'Credits pay for every model. Redeem a code, or ask the administrator.'
            : 'Credits pay for every model. Buy a pack, or redeem a code.'
        }
        actions={
          <Link href="/billing" className="text-sm font-medium text-indigo-700 underline">
            Billing history
          </Link>
        }
      />
      <div className="space-y-6">
        <div className="grid gap-4 sm:grid-cols-2">
          <Stat label="Available credits" value={credits(account.data?.available)} />
          <Stat label="Balance" value={credits(account.data?.balance)} />
        </div>
        {canceled && (
          <p role="status" className="rounded-md border border-slate-200 bg-white p-3 text-sm">
            The payment was canceled; nothing was charged.
          </p>
        )}
        {packs.isPending ? (
          <Loading />
        ) : packs.error ? (
          <ErrorNotice error={packs.error} title="The packs could not load." />
        ) : !packs.data.configured ? (
          <NotConfigured canRedeem={canBuy} />
        ) : canBuy ? (
          <PackList packs={packs.data} />
        ) : (
          <Card title="Buying credits">
            <p className="text-sm text-slate-700">
              Your role (viewer) cannot buy credits. Ask an owner or developer of this account.
            </p>
          </Card>
        )}
        {canBuy && <RedeemCodeForm />}
      </div>
    </>
  );
}
