import type { FastifyInstance } from 'fastify';
import type { ModerationMode } from '../../config.js';
import { invalidRequest, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import type { KeyGuard } from '../plugins.js';
import { requireAdmin } from '../auth.js';

type AccountParams = { Params: { accountId: string } };

const MODES: readonly ModerationMode[] = ['off', 'rules', 'openai'];

/** What adminModerationRoutes uses of the services. */
export type AdminModerationDeps = Pick<Services, 'accounts' | 'config' | 'moderator'>;

/** An account's own moderation mode (`mode: null` returns it to the server's), admins only. */
export function adminModerationRoutes(
  app: FastifyInstance,
  services: AdminModerationDeps,
  guard: KeyGuard,
): void {
  const view = async (accountId: string) => ({
    object: 'account.moderation',
    account_id: accountId,
    mode: await services.moderator.override(accountId),
    server_mode: services.config.moderation.mode,
  });
  const existing = async (accountId: string) => {
    if (!(await services.accounts.get(accountId))) {
      throw notFound('account_not_found', `No account ${accountId}.`);
    }
  };

  app.get<AccountParams>(
    '/v1/admin/accounts/:accountId/moderation',
    { onRequest: guard },
    async (request) => {
      requireAdmin(request);
      await existing(request.params.accountId);
      return view(request.params.accountId);
    },
  );

  app.put<AccountParams>(
    '/v1/admin/accounts/:accountId/moderation',
    { onRequest: guard },
    async (request) => {
      requireAdmin(request);
      const mode = (request.body as { mode?: unknown } | null)?.mode;
      if (mode !== null && !MODES.includes(mode as ModerationMode)) {
        throw invalidRequest('invalid_value', "'mode' must be off, rules, openai or null.", 'mode');
      }
      if (mode !== null && !services.moderator.available(mode as ModerationMode)) {
        throw invalidRequest(
          'invalid_value',
          `This server is not configured for moderation mode ${String(mode)}.`,
          'mode',
        );
      }
      await existing(request.params.accountId);
      await services.moderator.setOverride(request.params.accountId, mode as ModerationMode | null);
      return view(request.params.accountId);
    },
  );
}
