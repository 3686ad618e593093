import { isIP } from 'node:net';

/**
 * Just enough IP parsing to see through IPv6 spellings that carry an IPv4 address. Validation
 * is left to Node's `isIP`; nothing here guesses at strings that are not addresses.
 */

export type IpFamily = 4 | 6;

/** Parses an IPv6 address (already validated by `isIP`) into its eight 16-bit groups. */
export function ipv6Groups(address: string): number[] {
  let text = address;
  const tail = text.slice(text.lastIndexOf(':') + 1);
  if (tail.includes('.')) {
    // A trailing dotted quad (`::ffff:1.2.3.4`) is two groups written in decimal.
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, text.length - tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = '', right] = text.split('::');
  const head = left ? left.split(':') : [];
  if (right === undefined) return head.map((group) => parseInt(group, 16));
  const rest = right ? right.split(':') : [];
  const zeros = new Array<string>(8 - head.length - rest.length).fill('0');
  return [...head, ...zeros, ...rest].map((group) => parseInt(group, 16));
}

export function ipv4FromGroups(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * The address as it will be reached: the zone id dropped, and an IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d`, which a dual-stack socket sends to a.b.c.d) turned into its IPv4.
 * Returns null for anything that is not an IP address, so that callers fail closed.
 */
export function canonicalAddress(address: string): { address: string; family: IpFamily } | null {
  const bare = address.includes('%') ? address.slice(0, address.indexOf('%')) : address;
  const family = isIP(bare);
  if (family === 4) return { address: bare, family: 4 };
  if (family !== 6) return null;
  const groups = ipv6Groups(bare);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return { address: ipv4FromGroups(groups[6] ?? 0, groups[7] ?? 0), family: 4 };
  return { address: bare, family: 6 };
}
