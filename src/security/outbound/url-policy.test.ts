import { describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy.js';
import { checkUrl, type UrlRejection } from './url-policy.js';

const policy = new AddressPolicy();

describe('checkUrl', () => {
  it.each<[string, UrlRejection]>([
    ['not a url', 'invalid'],
    ['/relative/path.png', 'invalid'],
    [`https://example.com/${'a'.repeat(9000)}`, 'invalid'],
    ['file:///etc/passwd', 'scheme'],
    ['gopher://127.0.0.1:70/_stats', 'scheme'],
    ['ftp://example.com/a.png', 'scheme'],
    ['data:image/png;base64,iVBORw0KGgo=', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['ws://example.com/socket', 'scheme'],
    ['http://a@127.0.0.1/', 'credentials'],
    ['https://user:pass@example.com/a.png', 'credentials'],
    ['https://:pass@example.com/a.png', 'credentials'],
    ['http://example.com:22/', 'port'],
    ['http://example.com:8080/', 'port'],
    ['https://8.8.8.8:6379/', 'port'],
    ['http://127.0.0.1/', 'address'],
    ['http://127.1/', 'address'],
    ['http://0x7f.1/', 'address'],
    ['http://2130706433/', 'address'],
    ['http://0177.0.0.1/', 'address'],
    ['http://0/', 'address'],
    ['http://0.0.0.0/', 'address'],
    ['http://127.0.0.1:22/', 'address'],
    ['http://10.0.0.1/', 'address'],
    ['http://172.16.0.1/', 'address'],
    ['http://192.168.1.1/', 'address'],
    ['http://100.100.100.200/', 'address'],
    ['http://169.254.169.254/latest/meta-data/', 'address'],
    ['http://0xa9fea9fe/', 'address'],
    ['http://224.0.0.1/', 'address'],
    ['http://255.255.255.255/', 'address'],
    ['http://[::]/', 'address'],
    ['http://[::1]/', 'address'],
    ['http://[::ffff:127.0.0.1]/', 'address'],
    ['http://[::ffff:169.254.169.254]/', 'address'],
    ['http://[fd00:ec2::254]/', 'address'],
    ['http://[fe80::1]/', 'address'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'address'],
  ])('rejects %s (%s)', (url, reason) => {
    const result = checkUrl(url, policy);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  it('accepts public http(s) URLs and reports the effective port', () => {
    const https = checkUrl('https://images.example.com/a.png?x=1', policy);
    expect(https).toMatchObject({ ok: true, hostname: 'images.example.com', port: 443 });
    expect(checkUrl('http://8.8.8.8/a.png', policy)).toMatchObject({ ok: true, port: 80 });
    expect(checkUrl('https://[2606:4700:4700::1111]/', policy)).toMatchObject({
      ok: true,
      hostname: '2606:4700:4700::1111',
    });
    expect(checkUrl('https://example.com:443/', policy)).toMatchObject({ ok: true, port: 443 });
  });

  it('leaves names to the connect step: they resolve later', () => {
    expect(checkUrl('http://localhost/', policy).ok).toBe(true);
    expect(checkUrl('http://metadata.google.internal/', policy).ok).toBe(true);
  });

  it('lets an allow-listed host:port through, and only that port', () => {
    const allow = new AddressPolicy({
      allow: ['127.0.0.1:8080', 'fake-provider:4010', '[::1]:8080'],
    });
    expect(checkUrl('http://127.0.0.1:8080/a.png', allow).ok).toBe(true);
    expect(checkUrl('http://127.1:8080/a.png', allow).ok).toBe(true);
    expect(checkUrl('http://[::1]:8080/', allow).ok).toBe(true);
    expect(checkUrl('http://fake-provider:4010/v1/tasks/1', allow).ok).toBe(true);
    expect(checkUrl('http://127.0.0.1:8081/', allow)).toMatchObject({ reason: 'address' });
    expect(checkUrl('http://127.0.0.1/', allow)).toMatchObject({ reason: 'address' });
    expect(checkUrl('http://fake-provider:4011/', allow)).toMatchObject({ reason: 'port' });
    expect(checkUrl('http://a@127.0.0.1:8080/', allow)).toMatchObject({ reason: 'credentials' });
  });

  it('never echoes the address in its messages', () => {
    const result = checkUrl('http://169.254.169.254/', policy);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toContain('169.254');
  });
});
