import { BlockList, isIP } from 'node:net';
import { normalizeHostname, parseAllowEntry, type AllowEntry } from './allow-list.js';
import { canonicalAddress, ipv4FromGroups, ipv6Groups, type IpFamily } from './ip-address.js';

export { parseAllowEntry, type AllowEntry } from './allow-list.js';
export { canonicalAddress, type IpFamily } from './ip-address.js';

/**
 * Which addresses and ports an outbound request may reach. Addresses are compared as bytes with
 * Node's `BlockList`, never as strings: `127.1`, `::ffff:7f00:1` and `0177.0.0.1` are all one
 * address once parsed, and string prefixes miss most of them. (The `ip` package does the same
 * job with an unpatched CVE, so it is not used.)
 */

/** Why a target was refused; the client turns each into a short, address-free message. */
export type AddressVerdict = 'allowed' | 'denied_address' | 'denied_port';

export interface AddressTarget {
  /** The resolved or literal address; IPv6 without brackets. */
  address: string;
  family: IpFamily;
  port: number;
  /** The hostname from the URL, so that allow-listed names exempt what they resolve to. */
  hostname?: string;
}

/** Ranges that are not the public internet, or that reach the host itself (`0.0.0.0`). */
const DENIED_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"; on Linux 0.0.0.0 connects to the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT; also Alibaba Cloud's metadata (100.100.100.200)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, and cloud metadata at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1..3)
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, up to and including 255.255.255.255
];

const DENIED_IPV6: ReadonlyArray<readonly [string, number]> = [
  ['::', 96], // `::`, `::1` and the deprecated IPv4-compatible form `::a.b.c.d`
  ['::ffff:0:0:0', 96], // IPv4-translated (RFC 2765)
  ['64:ff9b::', 96], // NAT64: would reach whatever IPv4 the gateway sees, private included
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: embeds an obfuscated IPv4
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

const DENIED = buildDenyList();

function buildDenyList(): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of DENIED_IPV4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of DENIED_IPV6) list.addSubnet(net, prefix, 'ipv6');
  return list;
}

/**
 * True when the address lies in a denied range, or is not an address at all. 6to4 addresses
 * (`2002:AABB:CCDD::/48`) embed an IPv4 that is checked in turn.
 */
export function isDeniedAddress(address: string): boolean {
  const canonical = canonicalAddress(address);
  if (!canonical) return true;
  if (canonical.family === 4) return DENIED.check(canonical.address, 'ipv4');
  if (DENIED.check(canonical.address, 'ipv6')) return true;
  const groups = ipv6Groups(canonical.address);
  if (groups[0] === 0x2002) {
    return DENIED.check(ipv4FromGroups(groups[1] ?? 0, groups[2] ?? 0), 'ipv4');
  }
  return false;
}

const DEFAULT_PORTS: readonly number[] = [80, 443];

export interface AddressPolicyOptions {
  /** Raw `PIXAPI_OUTBOUND_ALLOW` entries. */
  allow?: readonly string[];
  /** Ports any public host may be reached on (default 80 and 443). */
  ports?: readonly number[];
}

/**
 * The deny list plus the operator's exemptions. An allow entry exempts its addresses (or what
 * its hostname resolves to) from the deny list; an entry with a port does so on that port only,
 * and is the only way to reach a port outside `ports`.
 *
 * @example
 * const policy = new AddressPolicy({ allow: ['127.0.0.1:9000'] });
 * policy.check({ address: '127.0.0.1', family: 4, port: 9000 }); // 'allowed'
 * policy.check({ address: '127.0.0.1', family: 4, port: 80 }); // 'denied_address'
 */
export class AddressPolicy {
  readonly entries: readonly AllowEntry[];
  private readonly ports: ReadonlySet<number>;

  constructor(options: AddressPolicyOptions = {}) {
    this.entries = (options.allow ?? []).filter((e) => e.trim()).map(parseAllowEntry);
    this.ports = new Set(options.ports ?? DEFAULT_PORTS);
  }

  check(target: AddressTarget): AddressVerdict {
    const bare = target.address.replace(/%.*$/, '');
    const canonical = isIP(bare) === target.family ? canonicalAddress(bare) : null;
    if (!canonical) return 'denied_address';
    const hostname = target.hostname === undefined ? undefined : normalizeHostname(target.hostname);
    const matching = this.entries.filter(
      (entry) =>
        (entry.port === undefined || entry.port === target.port) &&
        (entry.host !== undefined
          ? entry.host === hostname
          : entry.net?.check(canonical.address, canonical.family === 4 ? 'ipv4' : 'ipv6')),
    );
    if (matching.length === 0 && isDeniedAddress(canonical.address)) return 'denied_address';
    if (!this.ports.has(target.port) && !matching.some((e) => e.port === target.port)) {
      return 'denied_port';
    }
    return 'allowed';
  }

  /**
   * The port check that can be made from a hostname alone, before any DNS lookup. An entry that
   * names addresses on this port might match what the name resolves to, so it defers the
   * decision to the connect step, which checks address and port together.
   */
  mayUsePort(hostname: string, port: number): boolean {
    if (this.ports.has(port)) return true;
    const host = normalizeHostname(hostname);
    return this.entries.some(
      (entry) => entry.port === port && (entry.host === undefined || entry.host === host),
    );
  }
}

const DEFAULT_POLICY = new AddressPolicy();

/**
 * The whole decision for one address: not in a denied range (unless allow-listed) and on an
 * allowed port. Pure; without a policy it applies the built-in deny list and ports 80/443.
 *
 * @example
 * isAddressAllowed('93.184.215.14', 4, 443); // true
 * isAddressAllowed('::ffff:169.254.169.254', 6, 80); // false
 */
export function isAddressAllowed(
  address: string,
  family: IpFamily,
  port: number,
  policy: AddressPolicy = DEFAULT_POLICY,
): boolean {
  return policy.check({ address, family, port }) === 'allowed';
}
