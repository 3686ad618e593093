import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../accounts/accounts.js';
import { invalidApiKey, PixapiError } from '../errors.js';
import type { ActiveSession } from '../people/sessions.js';
import { forbidden, permissionDenied } from '../people/errors.js';
import { rolePermissions, type Permission } from '../people/permissions.js';
import type { Services } from '../services.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The dashboard session behind the request, when it came with the cookie. */
    session: ActiveSession | null;
  }
}

export const SESSION_COOKIE = 'pixapi_session';
export const CSRF_COOKIE = 'pixapi_csrf';
export const CSRF_HEADER = 'x-pixapi-csrf';

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function csrfFailed(message: string) {
  return forbidden('csrf_failed', message);
}

export function notSignedIn() {
  return new PixapiError({
    code: 'not_signed_in',
    message: 'Not signed in, or the session has ended. Sign in again.',
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWrite(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method);
}

/**
 * Refuses a browser request sent from another site: its `Origin` must be this server (the
 * request's own host, or PIXAPI_PUBLIC_URL's behind a proxy). Requests without `Origin`
 * (curl, SDKs, same-origin GETs) pass: the CSRF token covers cookie-authenticated writes.
 */
export function checkOrigin(request: FastifyRequest, publicUrl: string): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw csrfFailed('The request came from another site.');
  }
  if (host === request.headers.host) return;
  if (host === new URL(publicUrl).host) return;
  throw csrfFailed('The request came from another site.');
}

/** The session's CSRF token must come back in `x-pixapi-csrf` on every write. */
export function checkCsrf(request: FastifyRequest, session: ActiveSession): void {
  const sent = request.headers[CSRF_HEADER];
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw csrfFailed(
      `A signed-in write needs the session's CSRF token in the ${CSRF_HEADER} header.`,
    );
  }
}

/** The session of the request's cookie, CSRF- and origin-checked for writes. */
export async function sessionOf(
  request: FastifyRequest,
  services: Services,
): Promise<ActiveSession> {
  const token = request.cookies[SESSION_COOKIE];
  const session = token ? await services.people.sessions.resolve(token) : undefined;
  if (!session) throw notSignedIn();
  checkOrigin(request, services.publicUrl());
  if (isWrite(request)) checkCsrf(request, session);
  request.session = session;
  return session;
}

export function sessionPrincipal(session: ActiveSession): Principal {
  return {
    accountId: session.accountId,
    keyId: null,
    isAdmin: session.user.siteAdmin,
    permissions: rolePermissions(session.role, session.suspended),
    userId: session.user.id,
    suspended: session.suspended,
    role: session.role,
    scope: null,
  };
}

/**
 * An onRequest hook that admits a valid, unrevoked key or a dashboard session, before the body
 * is read. Unknown, revoked and malformed keys get the same 401, so the answer tells an
 * attacker nothing about which keys exist. The `Authorization` header wins over the cookie.
 * Reads need the `read` permission; writes `generate` (routes check more where they need it).
 */
export function requireKey(services: Services) {
  return async (request: FastifyRequest): Promise<void> => {
    const presented = bearer(request);
    let principal: Principal | undefined;
    if (presented !== undefined || request.cookies[SESSION_COOKIE] === undefined) {
      principal = presented ? await services.accounts.authenticate(presented) : undefined;
      if (!principal) throw invalidApiKey();
    } else {
      principal = sessionPrincipal(await sessionOf(request, services));
    }
    request.principal = principal;
    request.log = request.log.child({
      accountId: principal.accountId,
      ...(principal.keyId ? { keyId: principal.keyId } : { userId: principal.userId }),
    });
    requirePermission(request, isWrite(request) ? 'generate' : 'read');
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw invalidApiKey();
  return request.principal;
}

/** Refuses what the request's key or person may not do in its account. */
export function requirePermission(request: FastifyRequest, permission: Permission): Principal {
  const principal = principalOf(request);
  if (principal.permissions.includes(permission)) return principal;
  if (principal.suspended && permission !== 'read') {
    throw forbidden('account_suspended', 'This account is suspended: it can only read.');
  }
  const who = principal.keyId
    ? `This key (scope ${principal.scope})`
    : `Your role (${principal.role})`;
  throw permissionDenied(`${who} does not allow this: it needs the ${permission} permission.`);
}

/** Site admins only (admin sessions, admin keys). */
export function requireAdmin(request: FastifyRequest): Principal {
  const principal = principalOf(request);
  if (!principal.isAdmin) throw permissionDenied('This endpoint is for site admins.');
  return principal;
}
