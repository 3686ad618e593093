import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { AccountsTable } from '../db/schema.js';

/** An account as site admins list it: its balance and its number of members. */
export interface AccountSummary {
  id: string;
  name: string;
  isAdmin: boolean;
  suspended: boolean;
  /** Millicredits; 0 for an account that never had a movement. */
  balance: number;
  held: number;
  members: number;
  createdAt: number;
}

export interface AccountSearch {
  /** Part of the name or of a member's email, or the exact account id. */
  q?: string;
  id?: string;
  /** Accounts before this id in the newest-first order. */
  after?: string;
  /** Rows to read; callers ask for one more than a page to know whether more follow. */
  limit: number;
}

/** Accounts newest first (by id), with their balances and member counts (site admins). */
export async function searchAccounts(db: Db, search: AccountSearch): Promise<AccountSummary[]> {
  let query = db.kysely
    .selectFrom('accounts')
    .leftJoin('account_balances', 'account_balances.account_id', 'accounts.id')
    .select([
      'accounts.id',
      'accounts.name',
      'accounts.is_admin',
      'accounts.suspended_at',
      'accounts.created_at',
      'account_balances.balance',
      'account_balances.held',
      (eb) =>
        eb
          .selectFrom('memberships')
          .select((m) => m.fn.countAll<string | number>().as('n'))
          .whereRef('memberships.account_id', '=', 'accounts.id')
          .as('members'),
    ])
    .orderBy('accounts.id', 'desc')
    .limit(search.limit);
  if (search.id) query = query.where('accounts.id', '=', search.id);
  if (search.after) query = query.where('accounts.id', '<', search.after);
  const q = search.q;
  if (q) {
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['accounts.name']), 'like', like),
        eb('accounts.id', '=', q),
        eb.exists(
          eb
            .selectFrom('memberships')
            .innerJoin('users', 'users.id', 'memberships.user_id')
            .select('users.id')
            .whereRef('memberships.account_id', '=', 'accounts.id')
            .where('users.email', 'like', like),
        ),
      ]),
    );
  }
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    isAdmin: r.is_admin === 1,
    suspended: r.suspended_at !== null,
    balance: Number(r.balance ?? 0),
    held: Number(r.held ?? 0),
    members: Number(r.members ?? 0),
    createdAt: Number(r.created_at),
  }));
}

/** Suspends (now) or lifts the suspension of an account. */
export async function setSuspended(db: Db, accountId: string, suspended: boolean): Promise<void> {
  await db.kysely
    .updateTable('accounts')
    .set({ suspended_at: suspended ? Date.now() : null })
    .where('id', '=', accountId)
    .execute();
}

/** An account's own row: its settings as the dashboard shows and edits them. */
export type AccountRow = Selectable<AccountsTable>;

export async function accountRow(db: Db, accountId: string): Promise<AccountRow | undefined> {
  return db.kysely
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', accountId)
    .executeTakeFirst();
}

/** Renames the account or sets its default webhook URL; a taken name throws a unique violation. */
export async function updateAccountSettings(
  db: Db,
  accountId: string,
  changes: { name?: string; default_webhook_url?: string | null },
): Promise<void> {
  await db.kysely.updateTable('accounts').set(changes).where('id', '=', accountId).execute();
}

/** The URL an account's tasks notify when they name none themselves. */
export async function defaultWebhookUrl(db: Db, accountId: string): Promise<string | null> {
  const row = await db.kysely
    .selectFrom('accounts')
    .select('default_webhook_url')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.default_webhook_url ?? null;
}
