import type { FastifyInstance } from 'fastify';
import { toCredits } from '../../billing/credits.js';
import { notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { principalOf } from '../auth.js';
import { fingerprint, idempotent } from '../idempotency.js';
import type { KeyGuard } from '../plugins.js';

export function accountRoutes(app: FastifyInstance, services: Services, guard: KeyGuard): void {
  app.get('/v1/account', { onRequest: guard }, async (request) => {
    const { accountId } = principalOf(request);
    const account = await services.accounts.get(accountId);
    if (!account) throw notFound('not_found', 'Account not found.');
    const balance = await services.ledger.balance(accountId);
    return {
      id: account.id,
      object: 'account',
      name: account.name,
      balance: toCredits(balance.balance),
      held: toCredits(balance.held),
      available: toCredits(balance.available),
      webhook_secret: account.webhookSecret,
      created_at: Math.floor(account.createdAt / 1000),
    };
  });

  // Deliveries already scheduled sign with the new secret: receivers should accept both for a
  // while after rotating.
  app.post('/v1/account/webhook-secret/rotate', { onRequest: guard }, async (request, reply) => {
    const { accountId } = principalOf(request);
    return idempotent({
      request,
      reply,
      store: services.idempotency,
      accountId,
      fingerprint: () =>
        fingerprint('POST', '/v1/account/webhook-secret/rotate', request.body ?? null),
      run: async () => ({
        status: 200,
        body: { webhook_secret: await services.accounts.rotateWebhookSecret(accountId) },
      }),
    });
  });
}
