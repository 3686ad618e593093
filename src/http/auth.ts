import type { FastifyRequest } from 'fastify';
import type { AccountService, Principal } from '../accounts/accounts.js';
import { invalidApiKey } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * An onRequest hook that admits only a valid, unrevoked key, before the body is read. Unknown, revoked and malformed keys get
 * the same 401, so the answer tells an attacker nothing about which keys exist.
 */
export function requireKey(accounts: AccountService) {
  return async (request: FastifyRequest): Promise<void> => {
    const presented = bearer(request);
    const principal = presented ? await accounts.authenticate(presented) : undefined;
    if (!principal) throw invalidApiKey();
    request.principal = principal;
    request.log = request.log.child({ accountId: principal.accountId, keyId: principal.keyId });
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw invalidApiKey();
  return request.principal;
}
