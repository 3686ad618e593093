import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canary,
  canaryV6,
  fakeLookup,
  origin,
  rejection,
  useOutboundServers,
} from '../../../test/helpers/outbound-fixtures.js';
import { OutboundClient } from './client.js';

// Every socket goes to loopback; see test/helpers/outbound-fixtures.ts for how.
useOutboundServers();

const MESSAGES = {
  address: /non-public address/,
  port: /port/,
  scheme: /http and https/,
  credentials: /user name or password/,
  invalid: /not a valid/,
  redirects: /redirects more than 3 times/,
};

/** `{canary}` is a port a loopback listener waits on; `{origin}` an allow-listed test server. */
const HOSTILE: Array<[string, keyof typeof MESSAGES]> = [
  ['http://127.0.0.1:{canary}/', 'address'],
  ['http://127.1:{canary}/', 'address'],
  ['http://0x7f.1:{canary}/', 'address'],
  ['http://0x7f000001:{canary}/', 'address'],
  ['http://2130706433:{canary}/', 'address'],
  ['http://0177.0.0.1:{canary}/', 'address'],
  ['http://127.000.000.001:{canary}/', 'address'],
  ['http://0:{canary}/', 'address'],
  ['http://0.0.0.0:{canary}/', 'address'],
  ['http://[::]:{canary}/', 'address'],
  ['http://[::1]:{canary}/', 'address'],
  ['http://[::ffff:127.0.0.1]:{canary}/', 'address'],
  ['http://[0:0:0:0:0:ffff:7f00:1]:{canary}/', 'address'],
  ['http://[::ffff:169.254.169.254]/', 'address'],
  ['http://169.254.169.254/latest/meta-data/', 'address'],
  ['http://[fd00:ec2::254]/latest/meta-data/', 'address'],
  ['http://100.100.100.200/latest/meta-data/', 'address'],
  ['http://10.0.0.1/', 'address'],
  ['http://192.168.1.1/', 'address'],
  ['http://172.16.0.1/', 'address'],
  ['http://127.0.0.1:{origin}.evil/', 'invalid'],
  ['http://a@127.0.0.1:{canary}/', 'credentials'],
  ['http://user:secret@images.example.test/', 'credentials'],
  ['http://public.example.test:22/', 'port'],
  ['http://public.example.test:99999/', 'invalid'],
  ['file:///etc/passwd', 'scheme'],
  ['gopher://127.0.0.1:{canary}/_GET%20/', 'scheme'],
  ['ftp://127.0.0.1:{canary}/', 'scheme'],
  ['dict://127.0.0.1:{canary}/info', 'scheme'],
  ['data:image/png;base64,iVBORw0KGgo=', 'scheme'],
  ['not even a url', 'invalid'],
  ['http://localhost:{canary}/', 'address'],
  ['http://loopback.example.test:{canary}/', 'address'],
  ['http://zero.example.test:{canary}/', 'address'],
  ['http://v6-loopback.example.test:{canary}/', 'address'],
  ['http://mixed-loopback.example.test:{canary}/', 'address'],
  ['http://ten.example.test/', 'address'],
  ['http://cgnat.example.test/', 'address'],
  ['http://metadata.example.test/latest/meta-data/', 'address'],
  ['http://mapped.example.test/', 'address'],
  ['http://nat64.example.test/', 'address'],
  ['http://ula.example.test/', 'address'],
  ['http://mixed.example.test/', 'address'],
  ['https://metadata.example.test/', 'address'],
  ['http://garbage.example.test/', 'address'],
  ['http://127.0.0.1:{origin}/to-canary', 'address'],
  ['http://127.0.0.1:{origin}/to-canary-name', 'address'],
  ['http://127.0.0.1:{origin}/to-mapped', 'address'],
  ['http://127.0.0.1:{origin}/to-metadata', 'address'],
  ['http://127.0.0.1:{origin}/to-metadata-name', 'address'],
  ['http://127.0.0.1:{origin}/to-ten', 'address'],
  ['http://127.0.0.1:{origin}/to-file', 'scheme'],
  ['http://127.0.0.1:{origin}/to-userinfo', 'credentials'],
  ['http://127.0.0.1:{origin}/loop', 'redirects'],
];

describe('hostile URLs', () => {
  const violations: string[] = [];
  let client: OutboundClient;

  beforeAll(() => {
    client = new OutboundClient({
      allow: [`127.0.0.1:${origin.port}`],
      // The canary's port is open to public hosts, so only the address check stands between
      // these URLs and the listener.
      ports: [80, 443, canary.port],
      lookup: fakeLookup(),
      connectHook: (address, port) => {
        if (address === '127.0.0.1' && port === origin.port) return;
        violations.push(`${address}:${port}`);
        throw new Error(`test: refused to connect to ${address}:${port}`);
      },
    });
  });
  afterAll(() => client.close());

  it('has at least 30 of them', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE)('refuses %s (%s)', async (template, reason) => {
    const url = template
      .replaceAll('{canary}', String(canary.port))
      .replaceAll('{origin}', String(origin.port));
    for (const call of [
      () => client.fetchImage(url),
      () => client.fetch(url, { method: 'POST', body: 'x' }),
    ]) {
      const error = await rejection(call());
      expect(error).toMatchObject({
        status: 400,
        type: 'invalid_request_error',
        code: 'image_url_rejected',
        param: 'image',
      });
      expect(error.message).toMatch(MESSAGES[reason]);
      expect(error.message).not.toMatch(/127\.|169\.254|10\.0\.0\.1|::1/);
    }
    expect(canary.connections).toBe(0);
    expect(canaryV6?.connections ?? 0).toBe(0);
    expect(violations).toEqual([]);
  });

  it('follows a redirect loop only 3 times', async () => {
    const before = origin.requests.filter((r) => r.url === '/loop').length;
    await rejection(client.fetchImage(`${origin.origin}/loop`));
    expect(origin.requests.filter((r) => r.url === '/loop').length - before).toBe(4);
  });
});
