import { newWebhookSecret, isUniqueViolation } from '../accounts/accounts.js';
import type { Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import { invalidRequest } from '../errors.js';
import { randomBase62, sortableId } from '../ids.js';
import { conflict, forbidden, invalidToken } from './errors.js';
import type { MemberStore } from './members.js';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN } from './passwords.js';
import { isEmail, normalizeEmail } from './tokens.js';

export type SignupMode = 'open' | 'invite' | 'closed';

export interface SignupInput {
  email: unknown;
  password: unknown;
  name?: unknown;
  inviteToken?: unknown;
}

export function checkPassword(password: unknown, param = 'password'): string {
  if (
    typeof password !== 'string' ||
    password.length < PASSWORD_MIN ||
    password.length > PASSWORD_MAX
  ) {
    throw invalidRequest(
      'invalid_value',
      `A password needs ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`,
      param,
    );
  }
  return password;
}

/**
 * Sign-up: a person, and either a new account (a workspace) they own with the starter credits
 * as one ledger row, or, with an invite token, a membership of the inviting account. All in one
 * transaction, so that credits are granted exactly once per new account.
 */
export class Signup {
  constructor(
    private readonly deps: {
      db: Db;
      ledger: Ledger;
      members: MemberStore;
      mode: SignupMode;
      credits: number;
    },
  ) {}

  async run(input: SignupInput): Promise<{ userId: string; accountId: string }> {
    const { db, ledger, members, mode, credits } = this.deps;
    if (!isEmail(input.email)) {
      throw invalidRequest('invalid_value', 'Enter a valid email address.', 'email');
    }
    const email = normalizeEmail(input.email);
    const password = checkPassword(input.password);
    const name =
      typeof input.name === 'string' && input.name.trim() ? input.name.trim().slice(0, 200) : null;
    const inviteToken =
      typeof input.inviteToken === 'string' && input.inviteToken ? input.inviteToken : undefined;
    if (mode === 'closed') {
      throw forbidden(
        'signup_closed',
        'Sign-up is closed on this server. Ask its operator for an account.',
      );
    }
    if (mode === 'invite' && !inviteToken) {
      throw forbidden('invite_required', 'Sign-up on this server needs an invitation link.');
    }
    if (inviteToken) {
      const invite = await members.findInvite(inviteToken);
      if (!invite) throw invalidToken();
      if (invite.email !== email) {
        throw invalidRequest('invalid_value', `This invitation is for ${invite.email}.`, 'email');
      }
    }
    const passwordHash = await hashPassword(password);
    const userId = sortableId('usr');
    try {
      return await db.kysely.transaction().execute(async (trx) => {
        const now = Date.now();
        await trx
          .insertInto('users')
          .values({
            id: userId,
            email,
            name,
            password_hash: passwordHash,
            site_admin: 0,
            email_verified_at: null,
            created_at: now,
          })
          .execute();
        if (inviteToken) {
          const joined = await members.accept(inviteToken, userId, trx);
          // The invite link reached this address: it is verified.
          await trx
            .updateTable('users')
            .set({ email_verified_at: now })
            .where('id', '=', userId)
            .execute();
          return { userId, accountId: joined.accountId };
        }
        const taken = await trx
          .selectFrom('accounts')
          .select('id')
          .where('name', '=', email)
          .executeTakeFirst();
        const accountId = sortableId('acc');
        await trx
          .insertInto('accounts')
          .values({
            id: accountId,
            name: taken ? `${email} (${randomBase62(4)})` : email,
            is_admin: 0,
            webhook_secret: newWebhookSecret(),
            created_at: now,
            suspended_at: null,
            default_webhook_url: null,
          })
          .execute();
        await members.add(trx, accountId, userId, 'owner');
        if (credits > 0) await ledger.grant(accountId, credits, 'signup credits', trx);
        return { userId, accountId };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict(
          'email_taken',
          'An account with this email exists. Sign in instead.',
          'email',
        );
      }
      throw error;
    }
  }
}
