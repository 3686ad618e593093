import { ConfigError, type Config, type ModerationMode } from '../config.js';
import type { Db } from '../db/connection.js';
import type { Log } from '../observability/logger.js';
import { OpenAIModeration } from './openai-moderation.js';
import { RuleSource } from './rule-source.js';
import { RulesError } from './rules.js';

/** How long an account's override is remembered (changes made here apply at once). */
const OVERRIDE_CACHE_MS = 5_000;

/**
 * Screens prompts before anything is held: `off`, `rules` (a local file) or `openai` (the
 * moderation endpoint of the configured OpenAI provider). An account may have its own mode,
 * set by the admin API, among those this server is configured for.
 */
export class Moderator {
  private readonly overrides = new Map<string, { mode: ModerationMode | null; until: number }>();

  private constructor(
    private readonly db: Db,
    private readonly mode: ModerationMode,
    private readonly rules: RuleSource | undefined,
    private readonly openai: OpenAIModeration | undefined,
  ) {}

  /** @throws ConfigError when the rules file is missing or invalid */
  static create(config: Config, db: Db, log: Log): Moderator {
    const { moderation } = config;
    let rules: RuleSource | undefined;
    if (moderation.rulesFile) {
      try {
        rules = new RuleSource(moderation.rulesFile, log);
      } catch (error) {
        if (error instanceof RulesError) {
          throw new ConfigError(`Configuration error: PIXAPI_MODERATION_RULES: ${error.message}`);
        }
        throw error;
      }
    }
    const openai = config.providers.openai.apiKey
      ? new OpenAIModeration(config.providers.openai, moderation.categories)
      : undefined;
    return new Moderator(db, moderation.mode, rules, openai);
  }

  /** Modes an account may be set to on this server. */
  available(mode: ModerationMode): boolean {
    return mode === 'off' || (mode === 'rules' ? !!this.rules : !!this.openai);
  }

  /** The rule or category that refuses `prompt` for this account, or undefined. */
  async screen(accountId: string, prompt: string): Promise<string | undefined> {
    const mode = (await this.override(accountId)) ?? this.mode;
    if (mode === 'rules') return this.rules?.match(prompt);
    if (mode === 'openai') return this.openai?.match(prompt);
    return undefined;
  }

  /** The account's own mode (null: the server's). */
  async override(accountId: string): Promise<ModerationMode | null> {
    const now = Date.now();
    const cached = this.overrides.get(accountId);
    if (cached && cached.until > now) return cached.mode;
    const row = await this.db.kysely
      .selectFrom('account_policies')
      .select('moderation')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    const mode = row?.moderation
      ? (JSON.parse(row.moderation) as { mode: ModerationMode }).mode
      : null;
    if (this.overrides.size > 10_000) this.overrides.clear();
    this.overrides.set(accountId, { mode, until: now + OVERRIDE_CACHE_MS });
    return mode;
  }

  async setOverride(accountId: string, mode: ModerationMode | null): Promise<void> {
    const moderation = mode === null ? null : JSON.stringify({ mode });
    const now = Date.now();
    await this.db.kysely
      .insertInto('account_policies')
      .values({ account_id: accountId, moderation, updated_at: now })
      .onConflict((c) => c.column('account_id').doUpdateSet({ moderation, updated_at: now }))
      .execute();
    this.overrides.delete(accountId);
  }

  close(): void {
    this.rules?.close();
  }
}
