import type { FastifyInstance } from 'fastify';
import { parseCredits, toCredits } from '../../billing/credits.js';
import { invalidRequest, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { requireAdmin } from '../auth.js';
import { parsePage } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';
import { memberView } from './members.js';

type AccountParams = { Params: { accountId: string } };

/** Site admins: accounts with balances, credit grants and deductions, suspension. */
export function adminAccountRoutes(
  app: FastifyInstance,
  services: Services,
  guard: KeyGuard,
): void {
  const { db } = services;

  const rows = (filter: { q?: string; id?: string; after?: string; limit: number }) => {
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
      .limit(filter.limit + 1);
    if (filter.id) query = query.where('accounts.id', '=', filter.id);
    if (filter.after) query = query.where('accounts.id', '<', filter.after);
    const q = filter.q?.toLowerCase();
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['accounts.name']), 'like', like),
          eb('accounts.id', '=', filter.q!),
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
    return query.execute();
  };

  type Row = Awaited<ReturnType<typeof rows>>[number];
  const view = (r: Row) => {
    const balance = Number(r.balance ?? 0);
    const held = Number(r.held ?? 0);
    return {
      id: r.id,
      object: 'account',
      name: r.name,
      balance: toCredits(balance),
      held: toCredits(held),
      available: toCredits(balance - held),
      suspended: r.suspended_at !== null,
      is_admin: r.is_admin === 1,
      members: Number(r.members ?? 0),
      created_at: Math.floor(Number(r.created_at) / 1000),
    };
  };

  const one = async (accountId: string) => {
    const [row] = await rows({ id: accountId, limit: 1 });
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
      const found = await rows({ ...page, q: typeof q === 'string' ? q.trim() : undefined });
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
      const entry = await db.kysely
        .selectFrom('ledger_entries')
        .selectAll()
        .where('id', '=', entryId)
        .executeTakeFirstOrThrow();
      return reply.code(201).send({
        object: 'ledger.entry',
        id: entry.id,
        account_id: accountId,
        amount: toCredits(Number(entry.amount)),
        note: entry.note,
        created_at: Math.floor(Number(entry.created_at) / 1000),
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
        await db.kysely
          .updateTable('accounts')
          .set({ suspended_at: action === 'suspend' ? Date.now() : null })
          .where('id', '=', request.params.accountId)
          .execute();
        return one(request.params.accountId);
      },
    );
  }
}
