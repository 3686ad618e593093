/**
 * Redirects are followed by hand so that every hop goes through the URL check and the connect
 * check again. The method and header rules follow the Fetch standard's "HTTP-redirect fetch".
 */

export type OutboundMethod = 'GET' | 'POST' | 'DELETE';

export interface Hop {
  url: URL;
  method: OutboundMethod;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string | Buffer;
}

export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers that describe a request body, dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];

/** Credentials meant for one origin must not be handed to another one a redirect picked. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** Lower-cases header names and drops `host`, which must always match the URL being fetched. */
export function normalizeHeaders(headers: Record<string, string> = {}): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (key !== 'host') result[key] = value;
  }
  return result;
}

/**
 * The request for the next hop: `target` is the already resolved `Location`. 303 (and 301/302
 * after a POST) become a GET without a body; a hop to another origin loses its credentials.
 *
 * @example
 * nextHop({ url, method: 'POST', headers, body }, 303, new URL('/done', url)).method; // 'GET'
 */
export function nextHop(previous: Hop, status: number, target: URL): Hop {
  const headers = { ...previous.headers };
  let method = previous.method;
  let body = previous.body;
  const becomesGet =
    (status === 303 && method !== 'GET') ||
    ((status === 301 || status === 302) && method === 'POST');
  if (becomesGet) {
    method = 'GET';
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  if (target.origin !== previous.url.origin) {
    for (const name of CREDENTIAL_HEADERS) delete headers[name];
  }
  return body === undefined
    ? { url: target, method, headers }
    : { url: target, method, headers, body };
}
