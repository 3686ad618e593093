import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { Role } from '../db/schema.js';
import { hashSecret, newSecret } from './tokens.js';
import { toUser, type User } from './users.js';

export const SESSION_TTL_MS = 30 * 86_400_000;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/** A signed-in person acting in one of their accounts. */
export interface ActiveSession {
  id: string;
  user: User;
  accountId: string;
  accountName: string;
  role: Role;
  suspended: boolean;
  csrfToken: string;
  expiresAt: number;
}

/** Sessions: the cookie holds a random token, the table its SHA-256. */
export class SessionStore {
  constructor(private readonly db: Db) {}

  async create(userId: string, accountId: string): Promise<NewSession> {
    const { token, hash } = newSecret();
    const csrfToken = randomBytes(24).toString('base64url');
    const now = Date.now();
    const expiresAt = now + SESSION_TTL_MS;
    await this.db.kysely
      .insertInto('sessions')
      .values({
        id: hash,
        user_id: userId,
        account_id: accountId,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
    return { token, csrfToken, expiresAt };
  }

  /**
   * The session of a cookie, with the person's current role in its account: one query per
   * request. Undefined when unknown, expired, or the person is no longer a member.
   */
  async resolve(token: string): Promise<ActiveSession | undefined> {
    const row = await this.db.kysely
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .innerJoin('memberships', (join) =>
        join
          .onRef('memberships.user_id', '=', 'sessions.user_id')
          .onRef('memberships.account_id', '=', 'sessions.account_id'),
      )
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .selectAll('users')
      .select([
        'sessions.id as session_id',
        'sessions.account_id',
        'sessions.csrf_token',
        'sessions.expires_at',
        'memberships.role',
        'accounts.name as account_name',
        'accounts.suspended_at',
      ])
      .where('sessions.id', '=', hashSecret(token))
      .where('sessions.expires_at', '>', Date.now())
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.session_id,
      user: toUser(row),
      accountId: row.account_id,
      accountName: row.account_name,
      role: row.role,
      suspended: row.suspended_at !== null,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    };
  }

  /** Deletes ended sessions and spent or expired one-use tokens (the sweeper); returns the count. */
  async deleteExpired(now: number): Promise<number> {
    const sessions = await this.db.kysely
      .deleteFrom('sessions')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    const tokens = await this.db.kysely
      .deleteFrom('auth_tokens')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(sessions.numDeletedRows) + Number(tokens.numDeletedRows);
  }

  async end(sessionId: string): Promise<void> {
    await this.db.kysely.deleteFrom('sessions').where('id', '=', sessionId).execute();
  }

  async switchAccount(sessionId: string, accountId: string): Promise<void> {
    await this.db.kysely
      .updateTable('sessions')
      .set({ account_id: accountId })
      .where('id', '=', sessionId)
      .execute();
  }

  /** Ends a person's sessions in one account (they were removed from it). */
  async endIn(userId: string, accountId: string): Promise<void> {
    await this.db.kysely
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('account_id', '=', accountId)
      .execute();
  }

  async memberships(userId: string) {
    return this.db.kysely
      .selectFrom('memberships')
      .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
      .select(['memberships.account_id', 'accounts.name as account_name', 'memberships.role'])
      .where('memberships.user_id', '=', userId)
      .orderBy('memberships.created_at')
      .execute();
  }
}
