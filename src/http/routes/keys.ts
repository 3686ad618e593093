import type { FastifyInstance } from 'fastify';
import type { KeyInfo } from '../../accounts/accounts.js';
import { invalidRequest, notFound } from '../../errors.js';
import { limitsFromJson, limitsToJson } from '../../limits/json.js';
import { permissionDenied } from '../../people/errors.js';
import { isKeyScope } from '../../people/permissions.js';
import type { Services } from '../../services.js';
import { principalOf, requirePermission } from '../auth.js';
import type { KeyGuard } from '../plugins.js';

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export function keyView(key: KeyInfo) {
  return {
    id: key.keyId,
    object: 'api_key',
    name: key.name,
    prefix: key.prefix,
    scope: key.scope,
    status: key.revokedAt === null ? 'active' : 'revoked',
    created_at: seconds(key.createdAt),
    last_used_at: seconds(key.lastUsedAt),
    revoked_at: seconds(key.revokedAt),
    created_by: key.createdBy,
    limits: limitsToJson(key.limits),
  };
}

/** What keyRoutes uses of the services. */
export type KeyRouteDeps = Pick<Services, 'accounts'>;

/** An account's API keys: list, create (the secret is shown once), revoke. */
export function keyRoutes(app: FastifyInstance, services: KeyRouteDeps, guard: KeyGuard): void {
  app.get('/v1/keys', { onRequest: guard }, async (request) => {
    const keys = await services.accounts.listKeys(principalOf(request).accountId);
    return { object: 'list', data: keys.reverse().map(keyView), has_more: false, last_id: null };
  });

  app.post('/v1/keys', { onRequest: guard }, async (request, reply) => {
    const principal = requirePermission(request, 'keys');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const name = body.name;
    if (name !== undefined && name !== null && (typeof name !== 'string' || name.length > 200)) {
      throw invalidRequest('invalid_value', "Invalid value for 'name'.", 'name');
    }
    const scope = body.scope ?? 'full';
    if (!isKeyScope(scope)) {
      throw invalidRequest('invalid_value', "'scope' must be full, read or admin.", 'scope');
    }
    // An admin key is as powerful as a site admin: only one may make it.
    if (scope === 'admin' && !principal.isAdmin) {
      throw permissionDenied('Only site admins can create admin keys.');
    }
    const limits =
      body.limits === undefined || body.limits === null ? {} : limitsFromJson(body.limits);
    const created = await services.accounts.createKey(principal.accountId, {
      name: typeof name === 'string' && name.trim() ? name.trim() : undefined,
      scope,
      limits,
      // A key made by a key inherits that key's creator, so it is bound to the same person.
      createdBy: principal.userId ?? undefined,
    });
    const key = (await services.accounts.listKeys(principal.accountId)).find(
      (k) => k.keyId === created.keyId,
    );
    if (!key) throw notFound('key_not_found', `No key ${created.keyId}.`);
    return reply.code(201).send({ ...keyView(key), key: created.apiKey });
  });

  app.delete<{ Params: { keyId: string } }>(
    '/v1/keys/:keyId',
    { onRequest: guard },
    async (request) => {
      const principal = requirePermission(request, 'keys');
      const keys = await services.accounts.listKeys(principal.accountId);
      const key = keys.find((k) => k.keyId === request.params.keyId);
      if (!key) throw notFound('key_not_found', `No key ${request.params.keyId}.`);
      await services.accounts.revokeKey(key.keyId);
      return keyView({ ...key, revokedAt: key.revokedAt ?? Date.now() });
    },
  );
}
