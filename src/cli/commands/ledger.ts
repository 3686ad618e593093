import { toCredits } from '../../credits.js';
import { withServices } from '../context.js';
import type { Output } from '../output.js';

/**
 * `pixapi ledger verify`: recomputes every account's balance and held credits from the ledger
 * and compares them with the cached sums that holds check. Exits 1 when any differ, so that a
 * cron job or a deploy step can alert on it.
 */
export async function ledgerVerify(_options: unknown, out: Output): Promise<void> {
  await withServices(out, async (services) => {
    const mismatches = await services.ledger.verify();
    out.result(
      {
        ok: mismatches.length === 0,
        mismatches: mismatches.map((m) => ({
          account_id: m.accountId,
          cached: m.cached && {
            balance: toCredits(m.cached.balance),
            held: toCredits(m.cached.held),
          },
          ledger: { balance: toCredits(m.ledger.balance), held: toCredits(m.ledger.held) },
        })),
      },
      mismatches.length === 0
        ? ['Every cached balance matches the ledger.']
        : mismatches.map(
            (m) =>
              `${m.accountId}: cached ${m.cached ? `${toCredits(m.cached.balance)} (held ${toCredits(m.cached.held)})` : 'missing'}, ledger ${toCredits(m.ledger.balance)} (held ${toCredits(m.ledger.held)})`,
          ),
    );
    if (mismatches.length > 0) process.exitCode = 1;
  });
}
