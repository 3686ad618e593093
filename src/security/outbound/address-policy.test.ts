import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AddressPolicy,
  canonicalAddress,
  isAddressAllowed,
  isDeniedAddress,
  parseAllowEntry,
} from './address-policy.js';

/** What `http://<spelling>/` means once the WHATWG parser has normalised it. */
function urlHost(spelling: string): string {
  return new URL(`http://${spelling}/`).hostname.replace(/^\[|\]$/g, '');
}

describe('isDeniedAddress', () => {
  it.each([
    // loopback and "this network"
    '127.0.0.1',
    '127.255.255.255',
    '0.0.0.0',
    '0.255.255.255',
    // private
    '10.0.0.0',
    '10.255.255.255',
    '172.16.0.0',
    '172.31.255.255',
    '192.168.0.1',
    '192.168.255.255',
    // CGNAT, link-local, metadata
    '100.64.0.0',
    '100.127.255.255',
    '100.100.100.200',
    '169.254.0.1',
    '169.254.169.254',
    // documentation, benchmarking, IETF
    '192.0.0.170',
    '192.0.2.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    // multicast, reserved, broadcast
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
  ])('denies IPv4 %s', (address) => {
    expect(isDeniedAddress(address)).toBe(true);
  });

  it.each([
    '::',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::127.0.0.1', // deprecated IPv4-compatible
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:0.0.0.0',
    '::ffff:0:7f00:1', // IPv4-translated
    'fc00::1',
    'fd00:ec2::254', // AWS metadata over IPv6
    'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'fe80::1',
    'fe80::1%eth0',
    'febf:ffff::1',
    'fec0::1',
    'ff02::1',
    'ff0e::101',
    '64:ff9b::a00:1',
    '64:ff9b::8.8.8.8',
    '64:ff9b:1::1',
    '100::1',
    '2001:db8::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    '2002:7f00:1::1', // 6to4 around 127.0.0.1
    '2002:a9fe:a9fe::', // 6to4 around 169.254.169.254
  ])('denies IPv6 %s', (address) => {
    expect(isDeniedAddress(address)).toBe(true);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.215.14',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '::ffff:8.8.8.8',
    '2002:808:808::1', // 6to4 around 8.8.8.8
  ])('allows public %s', (address) => {
    expect(isDeniedAddress(address)).toBe(false);
  });

  it.each(['', 'localhost', '127.1', '0x7f.1', '0177.0.0.1', '2130706433', '1.2.3.4.5', '[::1]'])(
    'fails closed on a non-address %j',
    (text) => {
      expect(isDeniedAddress(text)).toBe(true);
    },
  );

  it.each([
    ['127.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.000.000.001', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['0xa.1', '10.0.0.1'],
    ['167772161', '10.0.0.1'],
    ['0xa9.0xfe.0xa9.0xfe', '169.254.169.254'],
    ['2852039166', '169.254.169.254'],
    ['0300.0250.1.1', '192.168.1.1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['[0:0:0:0:0:ffff:a9fe:a9fe]', '::ffff:a9fe:a9fe'],
    ['[::]', '::'],
  ])('denies the odd spelling %s once normalised to %s', (spelling, normalised) => {
    expect(urlHost(spelling)).toBe(normalised);
    expect(isDeniedAddress(urlHost(spelling))).toBe(true);
  });

  it('denies all of 10/8 and their IPv4-mapped forms (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (low) => {
        const address = `10.${low >> 16}.${(low >> 8) & 0xff}.${low & 0xff}`;
        return isDeniedAddress(address) && isDeniedAddress(`::ffff:${address}`);
      }),
    );
  });

  it('gives an IPv4 address and its mapped form the same verdict (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        const mapped = `::ffff:${address}`;
        return isDeniedAddress(address) === isDeniedAddress(mapped);
      }),
    );
  });
});

describe('canonicalAddress', () => {
  it('turns IPv4-mapped IPv6 into IPv4 and drops zone ids', () => {
    expect(canonicalAddress('::ffff:7f00:1')).toEqual({ address: '127.0.0.1', family: 4 });
    expect(canonicalAddress('::FFFF:10.1.2.3')).toEqual({ address: '10.1.2.3', family: 4 });
    expect(canonicalAddress('fe80::1%lo')).toEqual({ address: 'fe80::1', family: 6 });
    expect(canonicalAddress('2001:db8::1')).toEqual({ address: '2001:db8::1', family: 6 });
    expect(canonicalAddress('example.com')).toBeNull();
  });
});

describe('isAddressAllowed', () => {
  it('applies the deny list and ports 80/443 by default', () => {
    expect(isAddressAllowed('93.184.215.14', 4, 443)).toBe(true);
    expect(isAddressAllowed('93.184.215.14', 4, 80)).toBe(true);
    expect(isAddressAllowed('93.184.215.14', 4, 22)).toBe(false);
    expect(isAddressAllowed('127.0.0.1', 4, 80)).toBe(false);
    expect(isAddressAllowed('::ffff:169.254.169.254', 6, 80)).toBe(false);
    expect(isAddressAllowed('2606:4700:4700::1111', 6, 443)).toBe(true);
  });

  it('fails closed when the family does not match the address', () => {
    expect(isAddressAllowed('93.184.215.14', 6, 443)).toBe(false);
    expect(isAddressAllowed('2606:4700:4700::1111', 4, 443)).toBe(false);
  });
});

describe('AddressPolicy', () => {
  it('exempts an allow-listed address on the default ports only', () => {
    const policy = new AddressPolicy({ allow: ['127.0.0.1'] });
    expect(policy.check({ address: '127.0.0.1', family: 4, port: 80 })).toBe('allowed');
    expect(policy.check({ address: '127.0.0.1', family: 4, port: 8080 })).toBe('denied_port');
    expect(policy.check({ address: '127.0.0.2', family: 4, port: 80 })).toBe('denied_address');
    expect(policy.check({ address: '::ffff:127.0.0.1', family: 6, port: 80 })).toBe('allowed');
  });

  it('opens exactly the port of a host:port entry', () => {
    const policy = new AddressPolicy({ allow: ['127.0.0.1:9000'] });
    expect(policy.check({ address: '127.0.0.1', family: 4, port: 9000 })).toBe('allowed');
    expect(policy.check({ address: '127.0.0.1', family: 4, port: 9001 })).toBe('denied_address');
    expect(policy.check({ address: '127.0.0.1', family: 4, port: 80 })).toBe('denied_address');
    expect(policy.check({ address: '93.184.215.14', family: 4, port: 9000 })).toBe('denied_port');
  });

  it('accepts CIDRs for both families', () => {
    const policy = new AddressPolicy({ allow: ['10.0.0.0/8', 'fd00::/8', '[::1]:8080'] });
    expect(policy.check({ address: '10.20.30.40', family: 4, port: 443 })).toBe('allowed');
    expect(policy.check({ address: '11.0.0.1', family: 4, port: 443 })).toBe('allowed');
    expect(policy.check({ address: '192.168.0.1', family: 4, port: 443 })).toBe('denied_address');
    expect(policy.check({ address: 'fd12::1', family: 6, port: 80 })).toBe('allowed');
    expect(policy.check({ address: 'fc00::1', family: 6, port: 80 })).toBe('denied_address');
    expect(policy.check({ address: '::1', family: 6, port: 8080 })).toBe('allowed');
    expect(policy.check({ address: '::1', family: 6, port: 80 })).toBe('denied_address');
  });

  it('exempts whatever an allow-listed hostname resolves to', () => {
    const policy = new AddressPolicy({ allow: ['MinIO.internal', 'fake-provider:4010'] });
    const minio = { address: '172.18.0.5', family: 4 as const, port: 443 };
    expect(policy.check({ ...minio, hostname: 'minio.internal' })).toBe('allowed');
    expect(policy.check({ ...minio, hostname: 'minio.internal.' })).toBe('allowed');
    expect(policy.check({ ...minio, hostname: 'other.internal' })).toBe('denied_address');
    expect(policy.check({ ...minio, port: 9000, hostname: 'minio.internal' })).toBe('denied_port');
    const fake = { address: '127.0.0.1', family: 4 as const, hostname: 'fake-provider' };
    expect(policy.check({ ...fake, port: 4010 })).toBe('allowed');
    expect(policy.check({ ...fake, port: 4011 })).toBe('denied_address');
  });

  it('honours configured default ports', () => {
    const policy = new AddressPolicy({ ports: [443] });
    expect(policy.check({ address: '8.8.8.8', family: 4, port: 443 })).toBe('allowed');
    expect(policy.check({ address: '8.8.8.8', family: 4, port: 80 })).toBe('denied_port');
  });

  it('decides ports from a hostname alone when it can', () => {
    const policy = new AddressPolicy({ allow: ['fake:4010', '10.0.0.0/8:9000'] });
    expect(policy.mayUsePort('anything.example', 443)).toBe(true);
    expect(policy.mayUsePort('fake', 4010)).toBe(true);
    expect(policy.mayUsePort('other', 4010)).toBe(false);
    // Might resolve into 10/8: the connect step decides.
    expect(policy.mayUsePort('other', 9000)).toBe(true);
    expect(policy.mayUsePort('other', 22)).toBe(false);
  });
});

describe('parseAllowEntry', () => {
  it.each([
    ['localhost', { host: 'localhost' }],
    ['Minio.Local.:9000', { host: 'minio.local', port: 9000 }],
    ['127.0.0.1', {}],
    ['127.0.0.1:8080', { port: 8080 }],
    ['127.0.0.0/8', {}],
    ['::1', {}],
    ['[::1]', {}],
    ['[::1]:8080', { port: 8080 }],
    ['fc00::/7', {}],
    ['  10.0.0.0/8  ', {}],
  ])('parses %j', (text, expected) => {
    const entry = parseAllowEntry(text);
    expect(entry.host).toBe('host' in expected ? expected.host : undefined);
    expect(entry.port).toBe('port' in expected ? expected.port : undefined);
    expect(entry.host !== undefined || entry.net !== undefined).toBe(true);
  });

  it('normalises odd IPv4 spellings like URLs do', () => {
    const entry = parseAllowEntry('127.1:8080');
    expect(entry.net?.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(entry.host).toBeUndefined();
  });

  it.each([
    '',
    'a b',
    'http://example.com',
    'host:',
    'host:0',
    'host:70000',
    'host:abc',
    '10.0.0.0/33',
    '10.0.0.0/x',
    'nothost/8',
    '[::1',
    '999.1.1.1.1:80',
    'user@host',
  ])('rejects %j', (text) => {
    expect(() => parseAllowEntry(text)).toThrow(/PIXAPI_OUTBOUND_ALLOW/);
  });

  it('ignores blank entries in the list', () => {
    expect(new AddressPolicy({ allow: ['', ' '] }).entries).toHaveLength(0);
  });
});
