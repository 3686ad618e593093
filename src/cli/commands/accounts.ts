import { AccountError } from '../../accounts/accounts.js';
import { parseCredits, toCredits } from '../../billing/credits.js';
import { withServices } from '../context.js';
import { UsageError, type Output } from '../output.js';
import { optionalCredits, requireOption, type Options } from '../args.js';

export async function accountsCreate(options: Options, out: Output): Promise<void> {
  const name = requireOption(options, 'name');
  const credits = optionalCredits(options, 'credits');
  await withServices(async (services) => {
    try {
      const created = await services.accounts.create({ name, credits });
      const balance = await services.ledger.balance(created.accountId);
      out.result(
        {
          account_id: created.accountId,
          api_key: created.apiKey,
          balance: toCredits(balance.balance),
        },
        [
          `Account ${created.accountId} (${name}) created with ${toCredits(balance.balance)} credits.`,
          `API key (shown once): ${created.apiKey}`,
        ],
      );
    } catch (error) {
      if (error instanceof AccountError) throw new UsageError(error.message);
      throw error;
    }
  });
}

export async function creditsGrant(options: Options, out: Output): Promise<void> {
  const accountId = requireOption(options, 'account');
  const raw = requireOption(options, 'credits');
  const amount = parseCredits(raw);
  if (amount === undefined || amount === 0) {
    throw new UsageError(`--credits must be a positive number of credits, got "${raw}"`);
  }
  const note = typeof options.note === 'string' ? options.note : null;
  await withServices(async (services) => {
    if (!(await services.accounts.get(accountId))) throw new UsageError(`no account ${accountId}`);
    const balance = await services.ledger.grant(accountId, amount, note);
    out.result({ account_id: accountId, balance: toCredits(balance.balance) }, [
      `Granted ${toCredits(amount)} credits to ${accountId}; balance ${toCredits(balance.balance)}.`,
    ]);
  });
}
