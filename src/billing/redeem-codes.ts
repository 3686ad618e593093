import { randomInt } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { invalidRequest, notFound, PixapiError, type ErrorCode } from '../errors.js';
import { sortableId } from '../ids.js';
import { formatCredits, toCredits } from './credits.js';
import type { Balance, Ledger } from './ledger.js';

export interface RedeemCode {
  id: string;
  code: string;
  /** Millicredits each redemption adds. */
  credits: number;
  maxUses: number;
  uses: number;
  expiresAt: number | null;
  note: string | null;
  createdAt: number;
}

export interface NewCode {
  credits: number;
  maxUses?: number;
  expiresAt?: number | null;
  note?: string | null;
  /** A chosen code (e.g. `LAUNCH-2026`); otherwise a random one. */
  code?: string;
}

// Crockford's base32 without I, L, O, U: nothing a person could misread when typing a code.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Codes are compared without case, spaces or surrounding dashes. */
export function normalizeCode(text: string): string {
  return text.trim().toUpperCase().replace(/\s+/g, '');
}

function randomCode(): string {
  const groups = Array.from({ length: 3 }, () =>
    Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return `PIX-${groups.join('-')}`;
}

function codeRefused(code: ErrorCode, message: string) {
  return new PixapiError({ code, message, param: 'code' });
}

/** A code as the API and `pixapi codes` show it (credits as decimals, times in seconds). */
export function codeView(code: RedeemCode) {
  return {
    id: code.id,
    object: 'redeem_code',
    code: code.code,
    credits: toCredits(code.credits),
    max_uses: code.maxUses,
    uses: code.uses,
    expires_at: code.expiresAt === null ? null : Math.floor(code.expiresAt / 1000),
    note: code.note,
    created: Math.floor(code.createdAt / 1000),
  };
}

type CodeRow = {
  id: string;
  code: string;
  credits: number | string;
  max_uses: number;
  uses: number;
  expires_at: number | string | null;
  note: string | null;
  created_at: number | string;
};

function fromRow(row: CodeRow): RedeemCode {
  return {
    id: row.id,
    code: row.code,
    credits: Number(row.credits),
    maxUses: Number(row.max_uses),
    uses: Number(row.uses),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    note: row.note,
    createdAt: Number(row.created_at),
  };
}

/**
 * Codes worth credits that an admin hands out. Redeeming takes one use with a conditional
 * update (uses below the maximum, not expired), so that however many requests race for the
 * last use exactly one gets it; each redemption is one ledger row, and an account redeems a
 * code once.
 */
export class RedeemCodes {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(input: NewCode): Promise<RedeemCode> {
    const maxUses = input.maxUses ?? 1;
    if (!Number.isSafeInteger(input.credits) || input.credits <= 0) {
      throw invalidRequest('invalid_value', "'credits' must be more than 0.", 'credits');
    }
    if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1_000_000) {
      throw invalidRequest('invalid_value', "'max_uses' must be 1 to 1000000.", 'max_uses');
    }
    const code = input.code === undefined ? randomCode() : normalizeCode(input.code);
    if (!/^[A-Z0-9-]{4,64}$/.test(code)) {
      throw invalidRequest(
        'invalid_value',
        "'code' must be 4 to 64 letters, digits or dashes.",
        'code',
      );
    }
    const row = {
      id: sortableId('rc'),
      code,
      credits: input.credits,
      max_uses: maxUses,
      uses: 0,
      expires_at: input.expiresAt ?? null,
      note: input.note ?? null,
      created_at: this.clock(),
    };
    const inserted = await this.db.kysely
      .insertInto('redeem_codes')
      .values(row)
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      throw codeRefused('code_exists', `A code '${code}' already exists.`);
    }
    return fromRow(row);
  }

  async list(): Promise<RedeemCode[]> {
    const rows = await this.db.kysely
      .selectFrom('redeem_codes')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1000)
      .execute();
    return rows.map(fromRow);
  }

  /** Adds the code's credits to the account, or throws why it cannot (nothing changed). */
  async redeem(
    accountId: string,
    text: string,
  ): Promise<{ code: RedeemCode; balance: Balance; redemptionId: string }> {
    const code = normalizeCode(text);
    const now = this.clock();
    return this.db.kysely.transaction().execute(async (trx) => {
      const taken = await trx
        .updateTable('redeem_codes')
        .set((eb) => ({ uses: eb('uses', '+', 1) }))
        .where('code', '=', code)
        .where((eb) => eb('uses', '<', eb.ref('max_uses')))
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .returningAll()
        .executeTakeFirst();
      if (!taken) {
        const row = await trx
          .selectFrom('redeem_codes')
          .selectAll()
          .where('code', '=', code)
          .executeTakeFirst();
        if (!row) throw notFound('code_not_found', 'No such code.', 'code');
        if (row.expires_at !== null && Number(row.expires_at) <= now) {
          throw codeRefused('code_expired', 'This code has expired.');
        }
        throw codeRefused('code_used_up', 'This code has been used as often as allowed.');
      }
      const redemptionId = sortableId('red');
      const redeemed = await trx
        .insertInto('code_redemptions')
        .values({ id: redemptionId, code_id: taken.id, account_id: accountId, created_at: now })
        .onConflict((oc) => oc.columns(['code_id', 'account_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!redeemed) {
        throw codeRefused('code_already_redeemed', 'This account has already redeemed it.');
      }
      const result = fromRow(taken);
      const balance = await this.ledger.post(
        {
          accountId,
          kind: 'redemption',
          amount: result.credits,
          externalRef: redemptionId,
          note: `code ${result.code} (${formatCredits(result.credits)} credits)`,
        },
        trx,
      );
      // A fresh redemption id is never posted before.
      if (!balance) throw new Error(`redemption ${redemptionId} posted twice`);
      return { code: result, balance, redemptionId };
    });
  }
}
