import type { Kysely } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Database, InvitesTable, Role } from '../db/schema.js';
import { notFound } from '../errors.js';
import { sortableId } from '../ids.js';
import { conflict, invalidToken } from './errors.js';
import { hashSecret, newSecret, normalizeEmail } from './tokens.js';

export const INVITE_TTL_MS = 7 * 86_400_000;

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: number;
}

/** Who belongs to an account with which role, and the invitations to join it. */
export class MemberStore {
  constructor(private readonly db: Db) {}

  async list(accountId: string): Promise<Member[]> {
    const rows = await this.db.kysely
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select([
        'users.id',
        'users.email',
        'users.name',
        'memberships.role',
        'memberships.created_at',
      ])
      .where('memberships.account_id', '=', accountId)
      .orderBy('memberships.created_at')
      .execute();
    return rows.map((r) => ({
      userId: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      createdAt: r.created_at,
    }));
  }

  async role(accountId: string, userId: string): Promise<Role | undefined> {
    const row = await this.db.kysely
      .selectFrom('memberships')
      .select('role')
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role;
  }

  async add(executor: Kysely<Database>, accountId: string, userId: string, role: Role) {
    await executor
      .insertInto('memberships')
      .values({ account_id: accountId, user_id: userId, role, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['account_id', 'user_id']).doNothing())
      .execute();
  }

  async openInvites(accountId: string): Promise<InvitesTable[]> {
    return this.db.kysely
      .selectFrom('invites')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', Date.now())
      .orderBy('created_at')
      .execute();
  }

  async invite(input: {
    accountId: string;
    email: string;
    role: Role;
    invitedBy: string | null;
  }): Promise<{ invite: InvitesTable; token: string }> {
    const email = normalizeEmail(input.email);
    const member = await this.db.kysely
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('users.id')
      .where('memberships.account_id', '=', input.accountId)
      .where('users.email', '=', email)
      .executeTakeFirst();
    if (member) throw conflict('already_member', `${email} is already a member.`, 'email');
    const { token, hash } = newSecret();
    const now = Date.now();
    const invite: InvitesTable = {
      id: sortableId('inv'),
      account_id: input.accountId,
      email,
      role: input.role,
      token_hash: hash,
      invited_by: input.invitedBy,
      created_at: now,
      expires_at: now + INVITE_TTL_MS,
      accepted_at: null,
    };
    await this.db.kysely.insertInto('invites').values(invite).execute();
    return { invite, token };
  }

  /** An open invite by its link's token, with the account's name. */
  async findInvite(token: string) {
    return this.db.kysely
      .selectFrom('invites')
      .innerJoin('accounts', 'accounts.id', 'invites.account_id')
      .selectAll('invites')
      .select('accounts.name as account_name')
      .where('invites.token_hash', '=', hashSecret(token))
      .where('invites.accepted_at', 'is', null)
      .where('invites.expires_at', '>', Date.now())
      .executeTakeFirst();
  }

  /**
   * Joins the person to the invite's account in `executor` (a sign-up's transaction, or its
   * own); a token is good once. Returns the account joined.
   */
  async accept(
    token: string,
    userId: string,
    executor?: Kysely<Database>,
  ): Promise<{ accountId: string; role: Role }> {
    const run = async (trx: Kysely<Database>) => {
      const now = Date.now();
      const invite = await trx
        .updateTable('invites')
        .set({ accepted_at: now })
        .where('token_hash', '=', hashSecret(token))
        .where('accepted_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['account_id', 'role'])
        .executeTakeFirst();
      if (!invite) throw invalidToken();
      await this.add(trx, invite.account_id, userId, invite.role);
      return { accountId: invite.account_id, role: invite.role };
    };
    return executor ? run(executor) : this.db.kysely.transaction().execute(run);
  }

  async deleteInvite(accountId: string, inviteId: string): Promise<InvitesTable> {
    const row = await this.db.kysely
      .deleteFrom('invites')
      .where('id', '=', inviteId)
      .where('account_id', '=', accountId)
      .where('accepted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('not_found', `No open invite ${inviteId}.`);
    return row;
  }

  /** Changes a role; an account always keeps one owner. */
  async changeRole(accountId: string, userId: string, role: Role): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      const current = await this.lockedRole(trx, accountId, userId);
      if (current === 'owner' && role !== 'owner') await this.keepOwner(trx, accountId);
      await trx
        .updateTable('memberships')
        .set({ role })
        .where('account_id', '=', accountId)
        .where('user_id', '=', userId)
        .execute();
    });
  }

  async remove(accountId: string, userId: string): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      const current = await this.lockedRole(trx, accountId, userId);
      if (current === 'owner') await this.keepOwner(trx, accountId);
      await trx
        .deleteFrom('memberships')
        .where('account_id', '=', accountId)
        .where('user_id', '=', userId)
        .execute();
      // Their sessions in this account end at once.
      await trx
        .deleteFrom('sessions')
        .where('account_id', '=', accountId)
        .where('user_id', '=', userId)
        .execute();
    });
  }

  private async lockedRole(trx: Kysely<Database>, accountId: string, userId: string) {
    let query = trx
      .selectFrom('memberships')
      .select('role')
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId);
    if (this.db.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw notFound('not_found', `No member ${userId}.`);
    return row.role;
  }

  private async keepOwner(trx: Kysely<Database>, accountId: string): Promise<void> {
    let query = trx
      .selectFrom('memberships')
      .select('user_id')
      .where('account_id', '=', accountId)
      .where('role', '=', 'owner');
    if (this.db.dialect === 'postgres') query = query.forUpdate();
    const owners = await query.execute();
    if (owners.length <= 1) {
      throw conflict('last_owner', 'An account needs at least one owner.', 'role');
    }
  }
}
