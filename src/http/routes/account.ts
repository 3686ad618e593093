import type { FastifyInstance } from 'fastify';
import { accountRow, updateAccountSettings } from '../../accounts/account-directory.js';
import { isUniqueViolation } from '../../accounts/accounts.js';
import { toCredits } from '../../credits.js';
import { invalidRequest, notFound, PixapiError } from '../../errors.js';
import { BudgetReader } from '../../limits/budget.js';
import { conflict } from '../../people/errors.js';
import type { Services } from '../../services.js';
import { principalOf, requirePermission } from '../auth.js';
import { fingerprint, idempotent } from '../idempotency.js';
import type { KeyGuard } from '../plugins.js';

/** A default webhook URL follows the same outbound rules as a task's own `webhook_url`. */
function webhookUrlOrNull(value: unknown, services: Pick<Services, 'outbound'>): string | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > 2048) {
    throw invalidRequest(
      'invalid_value',
      "Invalid value for 'default_webhook_url': expected an http(s) URL or null.",
      'default_webhook_url',
    );
  }
  try {
    return services.outbound.assertAllowedUrl(value, 'default_webhook_url').href;
  } catch (error) {
    if (!(error instanceof PixapiError)) throw error;
    throw invalidRequest('webhook_url_rejected', error.message, 'default_webhook_url');
  }
}

/** What accountRoutes uses of the services. */
export type AccountRouteDeps = Pick<
  Services,
  'accounts' | 'db' | 'idempotency' | 'ledger' | 'outbound'
>;

export function accountRoutes(
  app: FastifyInstance,
  services: AccountRouteDeps,
  guard: KeyGuard,
): void {
  const budgets = new BudgetReader(services.db);

  const view = async (accountId: string, withSecret: boolean) => {
    const row = await accountRow(services.db, accountId);
    if (!row) throw notFound('not_found', 'Account not found.');
    const [balance, spent] = await Promise.all([
      services.ledger.balance(accountId),
      budgets.spent({ accountId }, Date.now()),
    ]);
    return {
      id: row.id,
      object: 'account',
      name: row.name,
      balance: toCredits(balance.balance),
      held: toCredits(balance.held),
      available: toCredits(balance.available),
      spend_today: toCredits(spent.today),
      spend_month: toCredits(spent.thisMonth),
      default_webhook_url: row.default_webhook_url,
      suspended: row.suspended_at !== null,
      ...(withSecret ? { webhook_secret: row.webhook_secret } : {}),
      created_at: Math.floor(row.created_at / 1000),
    };
  };

  app.get('/v1/account', { onRequest: guard }, async (request) => {
    const principal = principalOf(request);
    return {
      ...(await view(principal.accountId, principal.permissions.includes('settings'))),
      role: principal.role,
      scope: principal.scope,
    };
  });

  app.patch('/v1/account', { onRequest: guard }, async (request) => {
    const principal = requirePermission(request, 'settings');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const changes: { name?: string; default_webhook_url?: string | null } = {};
    if (body.name !== undefined) {
      if (typeof body.name !== 'string' || !body.name.trim() || body.name.length > 200) {
        throw invalidRequest('invalid_value', "Invalid value for 'name'.", 'name');
      }
      changes.name = body.name.trim();
    }
    if (body.default_webhook_url !== undefined) {
      changes.default_webhook_url = webhookUrlOrNull(body.default_webhook_url, services);
    }
    if (Object.keys(changes).length > 0) {
      try {
        await updateAccountSettings(services.db, principal.accountId, changes);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw conflict('name_taken', 'Another account has this name.', 'name');
        }
        throw error;
      }
    }
    return {
      ...(await view(principal.accountId, true)),
      role: principal.role,
      scope: principal.scope,
    };
  });

  app.get('/v1/account/webhook-secret', { onRequest: guard }, async (request) => {
    const { accountId } = requirePermission(request, 'settings');
    const account = await services.accounts.get(accountId);
    if (!account) throw notFound('not_found', 'Account not found.');
    return { object: 'account.webhook_secret', webhook_secret: account.webhookSecret };
  });

  // Deliveries already scheduled sign with the new secret: receivers should accept both for a
  // while after rotating.
  app.post('/v1/account/webhook-secret/rotate', { onRequest: guard }, async (request, reply) => {
    const { accountId } = requirePermission(request, 'settings');
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
