import type { FastifyInstance } from 'fastify';
import {
  searchAccounts,
  setSuspended,
  type AccountSummary,
} from '../../accounts/account-directory.js';
import { parseCredits, toCredits } from '../../credits.js';
import { ledgerEntry } from '../../billing/history.js';
import { invalidRequest, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { requireAdmin } from '../auth.js';
import { parsePage } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';
import { memberView } from './members.js';

type AccountParams = { Params: { accountId: string } };

/** What adminAccountRoutes uses of the services. */
export type AdminAccountDeps = Pick<Services, 'db' | 'ledger' | 'people'>;

/** Site admins: accounts with balances, credit grants and deductions, suspension. */
export function adminAccountRoutes(
  app: FastifyInstance,
  services: AdminAccountDeps,
  guard: KeyGuard,
): void {
  const { db } = services;

  const view = (r: AccountSummary) => ({
    id: r.id,
    object: 'account',
    name: r.name,
    balance: toCredits(r.balance),
    held: toCredits(r.held),
    available: toCredits(r.balance - r.held),
    suspended: r.suspended,
    is_admin: r.isAdmin,
    members: r.members,
    created_at: Math.floor(r.createdAt / 1000),
  });

  const one = async (accountId: string) => {
    const [row] = await searchAccounts(db, { id: accountId, limit: 1 });
    if (!row) throw notFound('account_not_found', `No account ${accountId}.`);
    return view(row);
  };

  app.get<{ Querystring: Record<string, unknown> }>(
    '/v1/admin/accounts',
    { onRequest: guard },
    async (request) => {
      requireAdmin(request);
      const page = parsePage(request.query);
      const q = request.query.q;
      const found = await searchAccounts(db, {
        ...page,
        limit: page.limit + 1,
        q: typeof q === 'string' ? q.trim() : undefined,
      });
      const data = found.slice(0, page.limit).map(view);
      return {
        object: 'list',
        data,
        has_more: found.length > page.limit,
        last_id: data.at(-1)?.id ?? null,
      };
    },
  );

  app.get<AccountParams>('/v1/admin/accounts/:accountId', { onRequest: guard }, async (request) => {
    requireAdmin(request);
    const account = await one(request.params.accountId);
    const members = await services.people.members.list(account.id);
    return { ...account, member_list: members.map(memberView) };
  });

  app.post<AccountParams>(
    '/v1/admin/accounts/:accountId/credits',
    { onRequest: guard },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const { accountId } = request.params;
      await one(accountId);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const raw = body.amount;
      const negative = typeof raw === 'number' && raw < 0;
      const milli = typeof raw === 'number' ? parseCredits(Math.abs(raw)) : undefined;
      if (!milli) {
        throw invalidRequest(
          'invalid_value',
          "'amount' must be a non-zero number of credits (up to 3 decimals).",
          'amount',
        );
      }
      if (typeof body.note !== 'string' || !body.note.trim() || body.note.length > 500) {
        throw invalidRequest('invalid_value', "'note' is required: say why.", 'note');
      }
      // The ledger row says who did it.
      const by = admin.userId ?? admin.keyId;
      const note = `${body.note.trim()} (by ${by})`;
      // A deduction beyond the available credits throws 409 `deduction_exceeds_balance`.
      const posted = await services.ledger.post({
        accountId,
        kind: negative ? 'deduction' : 'grant',
        amount: negative ? -milli : milli,
        note,
      });
      // A movement without an external reference always posts.
      const { entryId, ...balance } = posted!;
      const entry = await ledgerEntry(db, entryId);
      return reply.code(201).send({
        object: 'ledger.entry',
        id: entry.id,
        account_id: accountId,
        amount: toCredits(entry.amount),
        note: entry.note,
        created_at: Math.floor(entry.createdAt / 1000),
        balance: toCredits(balance.balance),
        available: toCredits(balance.available),
      });
    },
  );

  for (const action of ['suspend', 'unsuspend'] as const) {
    app.post<AccountParams>(
      `/v1/admin/accounts/:accountId/${action}`,
      { onRequest: guard },
      async (request) => {
        requireAdmin(request);
        const account = await one(request.params.accountId);
        // A suspended admin account could not lift its own suspension.
        if (action === 'suspend' && account.is_admin) {
          throw invalidRequest(
            'invalid_value',
            'The admin account cannot be suspended.',
            'accountId',
          );
        }
        await setSuspended(db, request.params.accountId, action === 'suspend');
        return one(request.params.accountId);
      },
    );
  }
}
