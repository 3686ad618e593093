import { isIP } from 'node:net';
import type { AddressPolicy } from './address-policy.js';

/**
 * The checks that can be made on a URL before any DNS lookup or connection. The WHATWG parser
 * does the normalising (`127.1`, `0x7f.1`, `2130706433`, `0177.0.0.1` and `0` all come out in
 * dotted form, `[::ffff:127.0.0.1]` as `[::ffff:7f00:1]`), so literal addresses are checked as
 * the socket would see them. Names are checked again, address by address, in the connect step.
 */

export type UrlRejection = 'invalid' | 'scheme' | 'credentials' | 'port' | 'address';

export type UrlCheck =
  | { ok: true; url: URL; hostname: string; port: number }
  | { ok: false; reason: UrlRejection; message: string };

/** Messages say what is wrong without echoing addresses back to the client. */
export const URL_REJECTION_MESSAGES: Record<UrlRejection, string> = {
  invalid: 'The URL is not a valid absolute URL.',
  scheme: 'Only http and https URLs can be fetched.',
  credentials: 'URLs with a user name or password are not accepted.',
  port: 'The URL uses a port that this server does not fetch from (80 and 443 are allowed).',
  address: 'The URL resolves to a non-public address.',
};

/** Far above any real image or polling URL; keeps pathological input out of the parser. */
const MAX_URL_LENGTH = 8192;

function reject(reason: UrlRejection): UrlCheck {
  return { ok: false, reason, message: URL_REJECTION_MESSAGES[reason] };
}

/** The URL's host without IPv6 brackets, as the connect step receives it. */
export function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Parses and checks a URL against the policy.
 *
 * @example
 * checkUrl('http://0x7f.1/', policy); // { ok: false, reason: 'address', ... }
 * checkUrl('https://images.example.com/a.png', policy); // { ok: true, port: 443, ... }
 */
export function checkUrl(input: string | URL, policy: AddressPolicy): UrlCheck {
  let url: URL;
  try {
    const text = String(input);
    if (text.length > MAX_URL_LENGTH) return reject('invalid');
    url = new URL(text);
  } catch {
    return reject('invalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject('scheme');
  // Credentials in a URL are a classic parser-confusion trick (`http://good@evil/`), and no
  // image host needs them.
  if (url.username || url.password) return reject('credentials');
  const hostname = bareHostname(url);
  if (!hostname) return reject('invalid');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;

  const family = isIP(hostname);
  if (family === 4 || family === 6) {
    // A literal skips DNS, so this is the full check; the connect step repeats it anyway.
    const verdict = policy.check({ address: hostname, family, port, hostname });
    if (verdict === 'denied_address') return reject('address');
    if (verdict === 'denied_port') return reject('port');
  } else if (!policy.mayUsePort(hostname, port)) {
    return reject('port');
  }
  return { ok: true, url, hostname, port };
}
