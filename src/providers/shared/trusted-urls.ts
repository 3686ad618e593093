/**
 * Which URLs may receive a provider's credentials. Status, result and cancel URLs come from the
 * provider's answers, so a key or token goes only to hosts the adapter knows to be the
 * provider's own; any other host is fetched without it.
 */

/** Whether `url` parses and is served from `origin` (scheme, host and port). */
export function hasOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

export interface TrustedHosts {
  /** Origins besides the base URL's, e.g. `https://api.replicate.com`. */
  origins?: readonly string[];
  /** Domains whose hosts are trusted over HTTPS: the domain itself and any subdomain. */
  domains?: readonly string[];
}

/**
 * Whether a request to `url` may carry the credentials: `url` is on the configured base URL's
 * origin, on one of `trusted.origins`, or an HTTPS URL on one of `trusted.domains`.
 *
 * @example
 * mayCarryCredentials('https://api.eu.bfl.ai/v1/get_result?id=1', 'https://api.bfl.ai', {
 *   domains: ['bfl.ai'],
 * }); // true
 */
export function mayCarryCredentials(
  url: string,
  baseUrl: string,
  trusted: TrustedHosts = {},
): boolean {
  const { origins = [], domains = [] } = trusted;
  if (hasOrigin(url, baseUrl) || origins.some((origin) => hasOrigin(url, origin))) return true;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  // WHATWG URL lowercases the host of https URLs, so the comparison is case-insensitive.
  const host = target.hostname;
  return (
    target.protocol === 'https:' &&
    domains.some((domain) => host === domain || host.endsWith(`.${domain}`))
  );
}
