import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.js';
import { limitsFromJson, limitsToJson } from '../../limits/json.js';
import type { Services } from '../../services.js';
import { requireAdmin } from '../auth.js';
import type { KeyGuard } from '../plugins.js';

type KeyParams = { Params: { keyId: string } };
type AccountParams = { Params: { accountId: string } };

/** What adminLimitRoutes uses of the services. */
export type AdminLimitDeps = Pick<Services, 'accounts' | 'limitStore'>;

/**
 * Limits of keys and accounts, for admin keys only. PATCH sets the fields given (null removes
 * a limit; for an account, back to the server's default) and answers the result.
 */
export function adminLimitRoutes(
  app: FastifyInstance,
  services: AdminLimitDeps,
  guard: KeyGuard,
): void {
  const store = services.limitStore;

  const keyLimits = async (keyId: string) => {
    const limits = await store.key(keyId);
    if (!limits) throw notFound('key_not_found', `No key ${keyId}.`);
    return { object: 'key.limits', key_id: keyId, limits: limitsToJson(limits) };
  };
  const accountLimits = async (accountId: string) => {
    if (!(await services.accounts.get(accountId))) {
      throw notFound('account_not_found', `No account ${accountId}.`);
    }
    const { own, effective } = await store.account(accountId);
    return {
      object: 'account.limits',
      account_id: accountId,
      limits: limitsToJson(own),
      effective: limitsToJson(effective),
    };
  };

  app.get<KeyParams>('/v1/admin/keys/:keyId/limits', { onRequest: guard }, async (request) => {
    requireAdmin(request);
    return keyLimits(request.params.keyId);
  });

  app.patch<KeyParams>('/v1/admin/keys/:keyId/limits', { onRequest: guard }, async (request) => {
    requireAdmin(request);
    const changes = limitsFromJson(request.body);
    if (!(await store.updateKey(request.params.keyId, changes))) {
      throw notFound('key_not_found', `No key ${request.params.keyId}.`);
    }
    return keyLimits(request.params.keyId);
  });

  app.get<AccountParams>(
    '/v1/admin/accounts/:accountId/limits',
    { onRequest: guard },
    async (request) => {
      requireAdmin(request);
      return accountLimits(request.params.accountId);
    },
  );

  app.patch<AccountParams>(
    '/v1/admin/accounts/:accountId/limits',
    { onRequest: guard },
    async (request) => {
      requireAdmin(request);
      const changes = limitsFromJson(request.body);
      await accountLimits(request.params.accountId);
      await store.updateAccount(request.params.accountId, changes);
      return accountLimits(request.params.accountId);
    },
  );
}
