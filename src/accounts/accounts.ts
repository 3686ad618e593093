import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import { prepared } from '../db/prepared.js';
import type { Database, Role } from '../db/schema.js';
import { sortableId } from '../ids.js';
import { limitColumns } from '../limits/limit-store.js';
import type { LimitSet } from '../limits/types.js';
import { keyPermissions, type KeyScope, type Permission } from '../people/permissions.js';
import {
  displayPrefix,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
  type NewApiKey,
} from '../security/api-keys.js';

export interface Account {
  id: string;
  name: string;
  isAdmin: boolean;
  webhookSecret: string;
  createdAt: number;
}

export interface Principal {
  accountId: string;
  /** The key of the request; null for a dashboard session. */
  keyId: string | null;
  /** Site-wide admin: `/v1/admin/*`. */
  isAdmin: boolean;
  /** What it may do in its account. */
  permissions: readonly Permission[];
  /** The person behind a session or a key made in the dashboard. */
  userId: string | null;
  suspended: boolean;
  /** A session's role in the account; null for keys. */
  role: Role | null;
  /** A key's scope; null for sessions. */
  scope: KeyScope | null;
}

export interface CreatedKey {
  keyId: string;
  apiKey: string;
}

/** An API key as operators see it: never the key itself, only its id and display prefix. */
export interface KeyInfo {
  keyId: string;
  name: string | null;
  prefix: string;
  rpm: number | null;
  createdAt: number;
  revokedAt: number | null;
  scope: KeyScope;
  createdBy: string | null;
  lastUsedAt: number | null;
  limits: LimitSet;
}

/** How often a key's `last_used_at` is written: once a minute, not once a request. */
const LAST_USED_EVERY_MS = 60_000;

export interface KeyOptions {
  name?: string;
  limits?: Partial<LimitSet>;
  scope?: KeyScope;
  /** The person creating it from the dashboard. */
  createdBy?: string;
}

export class AccountError extends Error {
  override name = 'AccountError';
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '23505' || /UNIQUE constraint failed/.test(e.message ?? '');
}

/** Every authenticated request runs it: prepared once (db/prepared.ts). */
const keyByHash = prepared<{ keyHash: string }>()((db, arg) =>
  db
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .leftJoin('users', 'users.id', 'api_keys.created_by')
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.account_id', '=', 'api_keys.account_id')
        .onRef('memberships.user_id', '=', 'api_keys.created_by'),
    )
    .select([
      'api_keys.id as key_id',
      'api_keys.account_id',
      'api_keys.scope',
      'api_keys.created_by',
      'api_keys.last_used_at',
      'accounts.is_admin',
      'accounts.suspended_at',
      'users.site_admin',
      'memberships.role',
    ])
    .where('api_keys.key_hash', '=', arg('keyHash'))
    .where('api_keys.revoked_at', 'is', null),
);

/** Accounts and their API keys. Keys are stored as SHA-256 only; the plaintext is returned once. */
export class AccountService {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
  ) {}

  /** The account, its starting credits and its first key, all or nothing. */
  async create(input: { name: string; isAdmin?: boolean; credits?: number; apiKey?: string }) {
    const key = this.newKey(input.apiKey);
    const id = sortableId('acc');
    try {
      const keyId = await this.db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('accounts')
          .values({
            id,
            name: input.name,
            is_admin: input.isAdmin ? 1 : 0,
            webhook_secret: newWebhookSecret(),
            created_at: Date.now(),
          })
          .execute();
        if (input.credits) await this.ledger.grant(id, input.credits, 'initial credits', trx);
        return this.insertKey(trx, id, key, { name: 'default' });
      });
      return { accountId: id, keyId, apiKey: key.plaintext };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AccountError(`an account named "${input.name}" exists`);
      }
      throw error;
    }
  }

  /**
   * Creates the `admin` account on an empty database. Returns its key when this call created
   * it (to print once), undefined when it already existed. Safe to race from several processes.
   */
  async bootstrapAdmin(options: { apiKey?: string; credits: number }): Promise<string | undefined> {
    const existing = await this.db.kysely
      .selectFrom('accounts')
      .select('id')
      .where('name', '=', 'admin')
      .executeTakeFirst();
    if (existing) return undefined;
    try {
      const created = await this.create({
        name: 'admin',
        isAdmin: true,
        credits: options.credits,
        apiKey: options.apiKey,
      });
      return created.apiKey;
    } catch (error) {
      if (error instanceof AccountError) return undefined;
      throw error;
    }
  }

  async get(id: string): Promise<Account | undefined> {
    const row = await this.db.kysely
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          name: row.name,
          isAdmin: row.is_admin === 1,
          webhookSecret: row.webhook_secret,
          createdAt: row.created_at,
        }
      : undefined;
  }

  /** Every account, oldest first. */
  async list(): Promise<Account[]> {
    const rows = await this.db.kysely
      .selectFrom('accounts')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      isAdmin: row.is_admin === 1,
      webhookSecret: row.webhook_secret,
      createdAt: row.created_at,
    }));
  }

  /** The account's keys, revoked ones included, oldest first. */
  async listKeys(accountId: string): Promise<KeyInfo[]> {
    const rows = await this.db.kysely
      .selectFrom('api_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      keyId: row.id,
      name: row.name,
      prefix: row.display_prefix,
      rpm: row.rpm,
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
      scope: row.scope,
      createdBy: row.created_by,
      lastUsedAt: row.last_used_at,
      limits: {
        rpm: row.rpm,
        imagesPerMinute: row.images_per_minute,
        maxConcurrent: row.max_concurrent,
        dailyCredits: row.daily_credits === null ? null : Number(row.daily_credits),
        monthlyCredits: row.monthly_credits === null ? null : Number(row.monthly_credits),
      },
    }));
  }

  /**
   * Recovers a lost admin key: a new key for the admin account, and every key it had before
   * revoked in the same transaction, so that a leaked or lost key stops working at once.
   */
  async rotateAdminKey(): Promise<CreatedKey & { accountId: string; revoked: string[] }> {
    const admin = await this.db.kysely
      .selectFrom('accounts')
      .select('id')
      .where('is_admin', '=', 1)
      .orderBy('created_at')
      .executeTakeFirst();
    if (!admin) throw new AccountError('no admin account: start the server once to create it');
    const key = generateApiKey();
    return this.db.kysely.transaction().execute(async (trx) => {
      const previous = await trx
        .selectFrom('api_keys')
        .select('id')
        .where('account_id', '=', admin.id)
        .where('revoked_at', 'is', null)
        .execute();
      const keyId = await this.insertKey(trx, admin.id, key, { name: 'admin (rotated)' });
      const revoked = previous.map((row) => row.id);
      if (revoked.length > 0) {
        await trx
          .updateTable('api_keys')
          .set({ revoked_at: Date.now() })
          .where('id', 'in', revoked)
          .execute();
      }
      return { accountId: admin.id, keyId, apiKey: key.plaintext, revoked };
    });
  }

  async rotateWebhookSecret(accountId: string): Promise<string> {
    const secret = newWebhookSecret();
    await this.db.kysely
      .updateTable('accounts')
      .set({ webhook_secret: secret })
      .where('id', '=', accountId)
      .execute();
    return secret;
  }

  async createKey(
    accountId: string,
    options: KeyOptions & { apiKey?: string } = {},
  ): Promise<CreatedKey> {
    if (!(await this.get(accountId))) throw new AccountError(`no account ${accountId}`);
    const key = this.newKey(options.apiKey);
    const keyId = await this.insertKey(this.db.kysely, accountId, key, options);
    return { keyId, apiKey: key.plaintext };
  }

  /** A generated key, or the operator's own (PIXAPI_ADMIN_KEY) once checked. */
  private newKey(given: string | undefined): NewApiKey {
    if (given === undefined) return generateApiKey();
    if (!isWellFormedApiKey(given))
      throw new AccountError('the given key is not a well-formed Pixapi key');
    return { plaintext: given, hash: hashApiKey(given), displayPrefix: displayPrefix(given) };
  }

  private async insertKey(
    executor: Kysely<Database>,
    accountId: string,
    key: NewApiKey,
    options: KeyOptions,
  ): Promise<string> {
    const keyId = sortableId('key');
    await executor
      .insertInto('api_keys')
      .values({
        id: keyId,
        account_id: accountId,
        name: options.name ?? null,
        key_hash: key.hash,
        display_prefix: key.displayPrefix,
        ...limitColumns(options.limits ?? {}),
        created_at: Date.now(),
        revoked_at: null,
        scope: options.scope ?? 'full',
        created_by: options.createdBy ?? null,
      })
      .execute();
    return keyId;
  }

  /** Returns false when no such key exists; revoking twice is not an error. */
  async revokeKey(keyId: string): Promise<boolean> {
    const row = await this.db.kysely
      .selectFrom('api_keys')
      .select(['id', 'revoked_at'])
      .where('id', '=', keyId)
      .executeTakeFirst();
    if (!row) return false;
    if (row.revoked_at === null) {
      await this.db.kysely
        .updateTable('api_keys')
        .set({ revoked_at: Date.now() })
        .where('id', '=', keyId)
        .where('revoked_at', 'is', null)
        .execute();
    }
    return true;
  }

  /**
   * The principal behind a presented key, or undefined for unknown, revoked and malformed keys
   * alike. Malformed keys (bad shape or checksum) never reach the database.
   */
  async authenticate(presented: string): Promise<Principal | undefined> {
    if (!isWellFormedApiKey(presented)) return undefined;
    const row = await keyByHash.first(this.db.kysely, { keyHash: hashApiKey(presented) });
    if (!row) return undefined;
    await this.touch(row.key_id, row.last_used_at);
    const suspended = row.suspended_at !== null;
    const permissions = keyPermissions({
      scope: row.scope,
      createdBy: row.created_by,
      creatorRole: row.role,
      suspended,
    });
    return {
      accountId: row.account_id,
      keyId: row.key_id,
      // The admin account's keys stay admin keys unless read-only; elsewhere only an admin-scope
      // key made by a site admin is one.
      isAdmin:
        (row.is_admin === 1 && row.scope !== 'read') ||
        (row.scope === 'admin' && row.site_admin === 1),
      permissions,
      userId: row.created_by,
      suspended,
      role: null,
      scope: row.scope,
    };
  }

  /** Records a key's last use, at most once a minute per key and process. */
  private async touch(keyId: string, lastUsedAt: number | null): Promise<void> {
    const now = Date.now();
    const written = Math.max(lastUsedAt ?? 0, this.lastUsedWritten.get(keyId) ?? 0);
    if (now - written < LAST_USED_EVERY_MS) return;
    if (this.lastUsedWritten.size > 10_000) this.lastUsedWritten.clear();
    this.lastUsedWritten.set(keyId, now);
    await this.db.kysely
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', keyId)
      .execute();
  }
}
