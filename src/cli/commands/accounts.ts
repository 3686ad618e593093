import { AccountError } from '../../accounts/accounts.js';
import { toCredits } from '../../billing/credits.js';
import type { Services } from '../../services.js';
import { withServices } from '../context.js';
import { UsageError, type Output } from '../output.js';
import { optionalCredits, requireOption, type Options } from '../args.js';
import { keyView } from './keys.js';

export async function accountsCreate(options: Options, out: Output): Promise<void> {
  const name = requireOption(options, 'name');
  const credits = optionalCredits(options, 'credits');
  await withServices(out, async (services) => {
    try {
      const created = await services.accounts.create({ name, credits });
      const balance = await services.ledger.balance(created.accountId);
      out.result(
        {
          account_id: created.accountId,
          key_id: created.keyId,
          api_key: created.apiKey,
          balance: toCredits(balance.balance),
        },
        [
          `Account ${created.accountId} (${name}) created with ${toCredits(balance.balance)} credits.`,
          `Key ${created.keyId}, shown once: ${created.apiKey}`,
        ],
      );
    } catch (error) {
      if (error instanceof AccountError) throw new UsageError(error.message);
      throw error;
    }
  });
}

async function accountView(services: Services, id: string) {
  const account = await services.accounts.get(id);
  if (!account) throw new UsageError(`no account ${id} (see pixapi accounts list)`, 'not_found');
  const balance = await services.ledger.balance(id);
  return {
    account_id: account.id,
    name: account.name,
    is_admin: account.isAdmin,
    balance: toCredits(balance.balance),
    held: toCredits(balance.held),
    created_at: new Date(account.createdAt).toISOString(),
  };
}

export async function accountsList(_options: Options, out: Output): Promise<void> {
  await withServices(out, async (services) => {
    const data = [];
    for (const account of await services.accounts.list()) {
      data.push(await accountView(services, account.id));
    }
    out.result(
      { data },
      data.length
        ? data.map(
            (a) =>
              `${a.account_id}  ${a.name.padEnd(20)} ${String(a.balance).padStart(10)} credits${a.is_admin ? '  (admin)' : ''}`,
          )
        : ['No accounts yet.'],
    );
  });
}

export async function accountsShow(options: Options, out: Output): Promise<void> {
  const id = requireOption(options, 'account');
  await withServices(out, async (services) => {
    const account = await accountView(services, id);
    const keys = (await services.accounts.listKeys(id)).map(keyView);
    out.result({ ...account, keys }, [
      `${account.account_id}  ${account.name}${account.is_admin ? ' (admin)' : ''}`,
      `balance ${account.balance} credits, ${account.held} held; created ${account.created_at}`,
      ...keys.map(
        (k) =>
          `  ${k.key_id}  ${k.prefix}…  ${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}${k.name ? `  ${k.name}` : ''}`,
      ),
    ]);
  });
}
