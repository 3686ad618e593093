import type { FastifyInstance } from 'fastify';
import { parseCredits, toCredits } from '../../billing/credits.js';
import { codeView } from '../../billing/redeem-codes.js';
import { invalidRequest, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { parseTime } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';
import { requireAdmin } from '../auth.js';

type CreditsBody = { Params: { accountId: string }; Body: { credits?: unknown; note?: unknown } };

function creditsOf(value: unknown): number {
  const milli =
    typeof value === 'number' || typeof value === 'string' ? parseCredits(value) : undefined;
  if (milli === undefined || milli === 0) {
    throw invalidRequest(
      'invalid_value',
      "'credits' must be a positive number (at most 3 decimals).",
      'credits',
    );
  }
  return milli;
}

function noteOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > 500) {
    throw invalidRequest('invalid_value', "'note' must be text of at most 500 characters.", 'note');
  }
  return value;
}

/** Admin credit tools: grant or deduct with a note, and redeem codes. */
export function adminCreditRoutes(app: FastifyInstance, services: Services, guard: KeyGuard): void {
  const movement =
    (kind: 'grant' | 'deduction') =>
    async (request: { params: CreditsBody['Params']; body: CreditsBody['Body'] | undefined }) => {
      const { accountId } = request.params;
      if (!(await services.accounts.get(accountId))) {
        throw notFound('account_not_found', `No account ${accountId}.`);
      }
      const amount = creditsOf(request.body?.credits);
      const balance = await services.ledger.post({
        accountId,
        kind,
        amount: kind === 'grant' ? amount : -amount,
        note: noteOf(request.body?.note),
      });
      // A movement without an external reference always posts.
      const after = balance ?? (await services.ledger.balance(accountId));
      return {
        object: 'account.balance',
        account_id: accountId,
        balance: toCredits(after.balance),
        held: toCredits(after.held),
        available: toCredits(after.available),
      };
    };
  const grant = movement('grant');
  const deduct = movement('deduction');

  app.post<CreditsBody>(
    '/v1/admin/accounts/:accountId/credits/grant',
    { onRequest: guard },
    async (request) => {
      requireAdmin(request);
      return grant(request);
    },
  );

  app.post<CreditsBody>(
    '/v1/admin/accounts/:accountId/credits/deduct',
    { onRequest: guard },
    async (request) => {
      requireAdmin(request);
      return deduct(request);
    },
  );

  app.post<{
    Body: {
      credits?: unknown;
      max_uses?: unknown;
      expires_at?: unknown;
      note?: unknown;
      code?: unknown;
    };
  }>('/v1/admin/codes', { onRequest: guard }, async (request, reply) => {
    requireAdmin(request);
    const body = request.body ?? {};
    if (body.max_uses !== undefined && typeof body.max_uses !== 'number') {
      throw invalidRequest('invalid_value', "'max_uses' must be an integer.", 'max_uses');
    }
    if (body.code !== undefined && typeof body.code !== 'string') {
      throw invalidRequest('invalid_value', "'code' must be text.", 'code');
    }
    const expiresAt =
      body.expires_at === undefined || body.expires_at === null
        ? null
        : parseTime(String(body.expires_at), 'expires_at');
    const code = await services.codes.create({
      credits: creditsOf(body.credits),
      maxUses: body.max_uses,
      expiresAt,
      note: noteOf(body.note),
      code: body.code,
    });
    return reply.status(201).send(codeView(code));
  });

  app.get('/v1/admin/codes', { onRequest: guard }, async (request) => {
    requireAdmin(request);
    return { object: 'list', data: (await services.codes.list()).map(codeView) };
  });
}
