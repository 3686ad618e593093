import type { Db } from '../db/connection.js';
import { LIMIT_NAMES, NO_LIMITS, type EffectiveLimits, type LimitSet } from './types.js';

/** Row columns of a limit set, shared by `api_keys` and `account_policies`. */
const COLUMNS = {
  rpm: 'rpm',
  imagesPerMinute: 'images_per_minute',
  maxConcurrent: 'max_concurrent',
  dailyCredits: 'daily_credits',
  monthlyCredits: 'monthly_credits',
} as const;

type LimitRow = { [K in (typeof COLUMNS)[keyof typeof COLUMNS]]: number | null };

function fromRow(row: Partial<LimitRow> | undefined): LimitSet {
  if (!row) return { ...NO_LIMITS };
  const limits = { ...NO_LIMITS };
  for (const name of LIMIT_NAMES) limits[name] = row[COLUMNS[name]] ?? null;
  return limits;
}

/** The columns (of `api_keys` or `account_policies`) that store the given limits. */
export function limitColumns(changes: Partial<LimitSet>): Partial<LimitRow> {
  const row: Partial<LimitRow> = {};
  for (const name of LIMIT_NAMES) {
    if (changes[name] !== undefined) row[COLUMNS[name]] = changes[name];
  }
  return row;
}

/** Keys whose limits are remembered at most; the oldest is forgotten first. */
const CACHE_ENTRIES = 10_000;

/**
 * Reads and writes the limits of keys and accounts. What applies to a key is remembered for
 * `cacheMs`, so that limits cost no query on most requests: a change made here applies at
 * once, one made by another process (the CLI, another replica) within `cacheMs`.
 */
export class LimitStore {
  private readonly cache = new Map<string, { limits: EffectiveLimits; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly defaults: LimitSet,
    private readonly cacheMs = 5_000,
  ) {}

  /** What applies to a request made with `keyId`: the key's own limits and its account's. */
  async effective(keyId: string): Promise<EffectiveLimits> {
    const now = Date.now();
    const cached = this.cache.get(keyId);
    if (cached && cached.until > now) return cached.limits;
    const limits = await this.read(keyId);
    this.cache.delete(keyId);
    if (this.cache.size >= CACHE_ENTRIES) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(keyId, { limits, until: now + this.cacheMs });
    return limits;
  }

  private async read(keyId: string): Promise<EffectiveLimits> {
    const row = await this.db.kysely
      .selectFrom('api_keys')
      .leftJoin('account_policies', 'account_policies.account_id', 'api_keys.account_id')
      .select([
        'api_keys.rpm as k_rpm',
        'api_keys.images_per_minute as k_ipm',
        'api_keys.max_concurrent as k_concurrent',
        'api_keys.daily_credits as k_daily',
        'api_keys.monthly_credits as k_monthly',
        'account_policies.rpm as a_rpm',
        'account_policies.images_per_minute as a_ipm',
        'account_policies.max_concurrent as a_concurrent',
        'account_policies.daily_credits as a_daily',
        'account_policies.monthly_credits as a_monthly',
      ])
      .where('api_keys.id', '=', keyId)
      .executeTakeFirst();
    const key: LimitSet = {
      rpm: row?.k_rpm ?? null,
      imagesPerMinute: row?.k_ipm ?? null,
      maxConcurrent: row?.k_concurrent ?? null,
      dailyCredits: row?.k_daily ?? null,
      monthlyCredits: row?.k_monthly ?? null,
    };
    const own: LimitSet = {
      rpm: row?.a_rpm ?? null,
      imagesPerMinute: row?.a_ipm ?? null,
      maxConcurrent: row?.a_concurrent ?? null,
      dailyCredits: row?.a_daily ?? null,
      monthlyCredits: row?.a_monthly ?? null,
    };
    return { key, account: this.withDefaults(own) };
  }

  /** An account's limits as stored (null: the default applies) and as enforced. */
  async account(accountId: string): Promise<{ own: LimitSet; effective: LimitSet }> {
    const row = await this.db.kysely
      .selectFrom('account_policies')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    const own = fromRow(row);
    return { own, effective: this.withDefaults(own) };
  }

  async key(keyId: string): Promise<LimitSet | undefined> {
    const row = await this.db.kysely
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', keyId)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** Sets the given limits of a key (null removes one); false when there is no such key. */
  async updateKey(keyId: string, changes: Partial<LimitSet>): Promise<boolean> {
    const row = limitColumns(changes);
    this.cache.delete(keyId);
    if (Object.keys(row).length === 0) return (await this.key(keyId)) !== undefined;
    const result = await this.db.kysely
      .updateTable('api_keys')
      .set(row)
      .where('id', '=', keyId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Sets the given limits of an account (null: back to the default). */
  async updateAccount(accountId: string, changes: Partial<LimitSet>): Promise<void> {
    const row = limitColumns(changes);
    // Any cached key may belong to this account.
    this.cache.clear();
    const now = Date.now();
    await this.db.kysely
      .insertInto('account_policies')
      .values({ account_id: accountId, ...row, updated_at: now })
      .onConflict((c) => c.column('account_id').doUpdateSet({ ...row, updated_at: now }))
      .execute();
  }

  private withDefaults(own: LimitSet): LimitSet {
    const merged = { ...own };
    for (const name of LIMIT_NAMES) merged[name] = own[name] ?? this.defaults[name];
    return merged;
  }
}
