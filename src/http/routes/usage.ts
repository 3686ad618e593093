import type { FastifyInstance } from 'fastify';
import { invalidRequest, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import { parsePage } from '../pagination.js';
import type { KeyGuard } from '../plugins.js';
import { parseUsageFilter, sendUsageCsv, usageView } from '../usage-query.js';

type Query = { Querystring: Record<string, unknown> };
const DAY_MS = 86_400_000;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** What usageRoutes uses of the services. */
export type UsageRouteDeps = Pick<Services, 'assets' | 'usage'>;

export function usageRoutes(app: FastifyInstance, services: UsageRouteDeps, guard: KeyGuard): void {
  app.get<Query>('/v1/usage', { onRequest: guard }, async (request) => {
    const { accountId } = principalOf(request);
    const { records, hasMore } = await services.usage.list(accountId, {
      ...parsePage(request.query),
      ...parseUsageFilter(request.query),
    });
    return {
      object: 'list',
      data: records.map((r) => usageView(r)),
      has_more: hasMore,
      last_id: records.at(-1)?.id ?? null,
    };
  });

  app.get<Query>('/v1/usage/export.csv', { onRequest: guard }, async (request, reply) => {
    const { accountId } = principalOf(request);
    return sendUsageCsv(
      reply,
      services.usage,
      { ...parseUsageFilter(request.query), accountId },
      false,
    );
  });

  app.get<Query>('/v1/usage/daily', { onRequest: guard }, async (request) => {
    const { accountId } = principalOf(request);
    const raw = request.query.days;
    const days = raw === undefined ? 30 : Number(raw);
    if (!Number.isInteger(days) || days < 1 || days > 90) {
      throw invalidRequest('invalid_value', "'days' must be 1 to 90.", 'days');
    }
    const today = Math.floor(Date.now() / DAY_MS);
    const first = today - days + 1;
    const rows = await services.usage.daily(accountId, first * DAY_MS);
    return {
      object: 'usage.daily',
      from: isoDay(first),
      to: isoDay(today),
      data: rows.map((r) => ({
        date: isoDay(r.day),
        model: r.model,
        requests: r.requests,
        images: r.images,
        credits: r.credits / 1000,
      })),
    };
  });

  app.get<{ Params: { id: string } }>('/v1/usage/:id', { onRequest: guard }, async (request) => {
    const principal = principalOf(request);
    // Site admins open any account's record (the admin usage log links here).
    const record = await services.usage.get(
      principal.isAdmin ? undefined : principal.accountId,
      request.params.id,
    );
    if (!record) throw notFound('not_found', `No usage record ${request.params.id}.`);
    const assets = await services.assets.listForRequest(record.accountId, record.requestId);
    const now = Date.now();
    const ext = (type: string) => type.split('/')[1] ?? 'png';
    return {
      ...usageView(record, principal.isAdmin),
      error: record.errorCode
        ? { code: record.errorCode, message: record.blockedReason ?? null }
        : null,
      images: assets.map((a) => ({
        id: a.id,
        url: services.assets.url(a.id, ext(a.contentType)),
        content_type: a.contentType,
        width: a.width,
        height: a.height,
        expired: a.expiresAt !== null && a.expiresAt <= now,
      })),
    };
  });
}
