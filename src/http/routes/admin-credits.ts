import type { FastifyInstance } from 'fastify';
import { parseCredits } from '../../credits.js';
import { codeView } from '../../billing/redeem-codes.js';
import { invalidRequest } from '../../errors.js';
import type { Services } from '../../services.js';
import { parseTime } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';
import { requireAdmin } from '../auth.js';

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

/** What adminCreditRoutes uses of the services. */
export type AdminCreditDeps = Pick<Services, 'codes'>;

/** Redeem codes (admins grant and deduct in admin-accounts.ts). */
export function adminCreditRoutes(
  app: FastifyInstance,
  services: AdminCreditDeps,
  guard: KeyGuard,
): void {
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
