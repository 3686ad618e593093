import type { Db } from '../db/connection.js';
import type { UsersTable } from '../db/schema.js';
import { sortableId } from '../ids.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { hashSecret, newSecret, normalizeEmail } from './tokens.js';

export interface User {
  id: string;
  email: string;
  name: string | null;
  siteAdmin: boolean;
  emailVerified: boolean;
  createdAt: number;
}

export type TokenPurpose = 'password_reset' | 'email_verification';

const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  password_reset: 3_600_000,
  email_verification: 7 * 86_400_000,
};

export function toUser(row: UsersTable): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    siteAdmin: row.site_admin === 1,
    emailVerified: row.email_verified_at !== null,
    createdAt: row.created_at,
  };
}

/** People, their passwords and their one-use tokens (reset, verification). */
export class UserStore {
  constructor(private readonly db: Db) {}

  async byEmail(email: string): Promise<User | undefined> {
    const row = await this.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async byId(id: string): Promise<User | undefined> {
    const row = await this.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  /** The person when the password is theirs; the same work is done for unknown emails. */
  async checkPassword(email: string, password: string): Promise<User | undefined> {
    const row = await this.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? null);
    return ok && row ? toUser(row) : undefined;
  }

  /** Sets a password and ends every session of the person (a reset locks out whoever had it). */
  async setPassword(userId: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hash })
        .where('id', '=', userId)
        .execute();
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    });
  }

  /** Creates the person if new (CLI: first-start admin). */
  async ensure(email: string, options: { siteAdmin?: boolean } = {}): Promise<User> {
    const existing = await this.byEmail(email);
    if (existing) {
      if (options.siteAdmin && !existing.siteAdmin) {
        await this.db.kysely
          .updateTable('users')
          .set({ site_admin: 1 })
          .where('id', '=', existing.id)
          .execute();
        return { ...existing, siteAdmin: true };
      }
      return existing;
    }
    const row: UsersTable = {
      id: sortableId('usr'),
      email: normalizeEmail(email),
      name: null,
      password_hash: null,
      site_admin: options.siteAdmin ? 1 : 0,
      email_verified_at: null,
      created_at: Date.now(),
    };
    await this.db.kysely.insertInto('users').values(row).execute();
    return toUser(row);
  }

  async issueToken(userId: string, purpose: TokenPurpose): Promise<string> {
    const { token, hash } = newSecret();
    const now = Date.now();
    await this.db.kysely
      .insertInto('auth_tokens')
      .values({
        token_hash: hash,
        user_id: userId,
        purpose,
        created_at: now,
        expires_at: now + TOKEN_TTL_MS[purpose],
        used_at: null,
      })
      .execute();
    return token;
  }

  /** Marks the token used and returns its person; undefined when unknown, used or expired. */
  async consumeToken(token: string, purpose: TokenPurpose): Promise<string | undefined> {
    const now = Date.now();
    const result = await this.db.kysely
      .updateTable('auth_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashSecret(token))
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    return result?.user_id;
  }

  async markVerified(userId: string): Promise<void> {
    await this.db.kysely
      .updateTable('users')
      .set({ email_verified_at: Date.now() })
      .where('id', '=', userId)
      .where('email_verified_at', 'is', null)
      .execute();
  }
}
