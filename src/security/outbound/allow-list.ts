import { BlockList, isIP } from 'node:net';
import { canonicalAddress } from './ip-address.js';

/**
 * The operator's exemptions (`PIXAPI_OUTBOUND_ALLOW`), for services that live on private
 * addresses on purpose: a local fake provider, MinIO in the same compose file.
 */

/** One parsed `PIXAPI_OUTBOUND_ALLOW` entry: a hostname, or addresses, optionally on one port. */
export interface AllowEntry {
  source: string;
  /** Lower-case hostname without a trailing dot (name entries). */
  host?: string;
  /** The addresses covered (IP and CIDR entries). */
  net?: BlockList;
  /** When set, the entry covers only this port, and opens it even if it is not 80/443. */
  port?: number;
}

const HOSTNAME_CHARS = /^[a-z0-9._-]+$/i;

function parsePort(text: string, source: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new Error(`PIXAPI_OUTBOUND_ALLOW: bad port in "${source}"`);
  }
  return port;
}

/**
 * Parses one allow-list entry: `host`, `host:port`, `1.2.3.4`, `1.2.3.4:8080`, `10.0.0.0/8`,
 * `::1`, `[::1]:8080`, `fc00::/7`. Throws on anything else, so a typo fails at start-up instead
 * of silently allowing nothing (or everything).
 */
export function parseAllowEntry(text: string): AllowEntry {
  const source = text.trim();
  let hostPart = source;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(source);
  if (bracketed) {
    hostPart = bracketed[1] ?? '';
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2], source);
  } else if (source.split(':').length === 2) {
    const [host = '', portText = ''] = source.split(':');
    hostPart = host;
    port = parsePort(portText, source);
  }
  const entry = (fields: Omit<AllowEntry, 'source' | 'port'>): AllowEntry =>
    port === undefined ? { source, ...fields } : { source, port, ...fields };

  const slash = hostPart.indexOf('/');
  if (slash !== -1) {
    const network = hostPart.slice(0, slash);
    const prefixText = hostPart.slice(slash + 1);
    const family = isIP(network);
    const prefix = Number(prefixText);
    const max = family === 4 ? 32 : 128;
    if (!family || !/^\d+$/.test(prefixText) || prefix > max) {
      throw new Error(`PIXAPI_OUTBOUND_ALLOW: bad CIDR "${source}"`);
    }
    const net = new BlockList();
    net.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return entry({ net });
  }
  if (!hostPart || (!isIP(hostPart) && !HOSTNAME_CHARS.test(hostPart))) {
    throw new Error(`PIXAPI_OUTBOUND_ALLOW: bad entry "${source}"`);
  }
  // Normalise as URLs will be: `127.1` in the config must mean what `http://127.1/` means.
  let literal = hostPart;
  if (!isIP(hostPart)) {
    try {
      literal = new URL(`http://${hostPart}/`).hostname;
    } catch {
      throw new Error(`PIXAPI_OUTBOUND_ALLOW: bad entry "${source}"`);
    }
  }
  const canonical = canonicalAddress(literal.replace(/^\[|\]$/g, ''));
  if (canonical) {
    const net = new BlockList();
    net.addAddress(canonical.address, canonical.family === 4 ? 'ipv4' : 'ipv6');
    return entry({ net });
  }
  return entry({ host: normalizeHostname(literal) });
}

export function normalizeHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}
