import { toCredits } from '../../billing/credits.js';
import { withServices } from '../context.js';
import { UsageError, type Output } from '../output.js';
import { positiveCredits, requireOption, type Options } from '../args.js';

/**
 * One ledger row that adds or takes credits. A deduction goes through the ledger's `post`,
 * which refuses to take more than is available, as the admin API does.
 */
async function moveCredits(
  options: Options,
  out: Output,
  kind: 'grant' | 'deduction',
): Promise<void> {
  const accountId = requireOption(options, 'account');
  const amount = positiveCredits(options, 'credits');
  const note = typeof options.note === 'string' ? options.note : null;
  await withServices(out, async (services) => {
    if (!(await services.accounts.get(accountId))) {
      throw new UsageError(`no account ${accountId} (see pixapi accounts list)`, 'not_found');
    }
    const balance =
      kind === 'grant'
        ? await services.ledger.grant(accountId, amount, note)
        : ((await services.ledger.post({ accountId, kind, amount: -amount, note })) ??
          (await services.ledger.balance(accountId)));
    const after = toCredits(balance.balance);
    const moved =
      kind === 'grant'
        ? `Granted ${toCredits(amount)} credits to ${accountId}`
        : `Deducted ${toCredits(amount)} credits from ${accountId}`;
    out.result({ account_id: accountId, balance: after }, [`${moved}; balance ${after}.`]);
  });
}

export const creditsGrant = (options: Options, out: Output) => moveCredits(options, out, 'grant');

export const creditsDeduct = (options: Options, out: Output) =>
  moveCredits(options, out, 'deduction');
