import http from 'node:http';
import sharp from 'sharp';
import net, { type LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from './helpers/server.js';

/**
 * RELIABILITY.md, "Fetching URLs on a client's behalf", end to end through POST /v1/images/edits.
 * Every hostile URL aims at loopback (a canary listener counts connections) or, for other
 * ranges, at names that an injected resolver maps there while a connect hook records any
 * attempt: no test ever opens a connection outside 127.0.0.0/8.
 */

let server: TestServer;
let canary: net.Server;
let canaryPort: number;
let canaryConnections = 0;
let redirector: http.Server;
let redirectorPort: number;
let validImage: string;
const connectAttempts: string[] = [];

const NAMES: Record<string, Array<{ address: string; family: 4 | 6 }>> = {
  'public.example.test': [{ address: '127.0.0.1', family: 4 }],
  localhost: [{ address: '127.0.0.1', family: 4 }],
  '127.0.0.1.nip.io': [{ address: '127.0.0.1', family: 4 }],
  'v6.example.test': [{ address: '::1', family: 6 }],
  'mixed.example.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
  'internal.example.test': [{ address: '10.0.0.1', family: 4 }],
  'metadata.example.test': [{ address: '169.254.169.254', family: 4 }],
  'mapped.example.test': [{ address: '::ffff:10.0.0.1', family: 6 }],
};

const lookup = ((hostname: string, options: unknown, callback: unknown) => {
  const done = (typeof options === 'function' ? options : callback) as (
    err: NodeJS.ErrnoException | null,
    addresses: Array<{ address: string; family: number }>,
  ) => void;
  const found = NAMES[hostname];
  if (!found) {
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
    });
    return done(error, []);
  }
  done(null, found);
}) as LookupFunction;

beforeAll(async () => {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  validImage = `data:image/png;base64,${png.toString('base64')}`;
  canary = net.createServer((socket) => {
    canaryConnections++;
    socket.destroy();
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  canaryPort = (canary.address() as net.AddressInfo).port;
  redirector = http.createServer((req, res) => {
    const targets: Record<string, string> = {
      '/to-canary': `http://127.0.0.1:${canaryPort}/x.png`,
      '/to-named': `http://public.example.test:${canaryPort}/x.png`,
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      '/to-mapped': `http://[::ffff:127.0.0.1]:${canaryPort}/x.png`,
    };
    const location = targets[req.url ?? ''];
    res.writeHead(location ? 302 : 404, location ? { location } : {}).end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  redirectorPort = (redirector.address() as net.AddressInfo).port;
  server = await startTestServer({
    env: { PIXAPI_OUTBOUND_ALLOW: `127.0.0.1:${redirectorPort}` },
    outbound: {
      lookup,
      // The canary's port counts as a normal web port here, so that only the address rules
      // stand between a hostile URL and the canary.
      ports: [80, 443, canaryPort],
      connectHook: (address) => {
        connectAttempts.push(address);
        if (!address.startsWith('127.') && address !== '::1') {
          throw new Error(`test tried to connect to ${address}`);
        }
      },
    },
  });
});

afterAll(async () => {
  await server?.close();
  await new Promise((r) => canary?.close(r));
  await new Promise((r) => redirector?.close(r));
});

function hostileUrls(): string[] {
  const c = canaryPort;
  const r = `http://127.0.0.1:${redirectorPort}`;
  return [
    `http://127.0.0.1:${c}/x.png`,
    `http://127.1:${c}/x.png`,
    `http://0x7f.1:${c}/x.png`,
    `http://2130706433:${c}/x.png`,
    `http://0177.0.0.1:${c}/x.png`,
    `http://0:${c}/x.png`,
    `http://0.0.0.0:${c}/x.png`,
    `http://[::]:${c}/x.png`,
    `http://[::1]:${c}/x.png`,
    `http://[::ffff:127.0.0.1]:${c}/x.png`,
    `http://[::ffff:7f00:1]:${c}/x.png`,
    `http://[64:ff9b::7f00:1]:${c}/x.png`,
    `https://127.0.0.1:${c}/x.png`,
    `http://a@127.0.0.1:${c}/x.png`,
    `http://user:pass@public.example.test:${c}/x.png`,
    `http://localhost:${c}/x.png`,
    `http://public.example.test:${c}/x.png`,
    `http://127.0.0.1.nip.io:${c}/x.png`,
    `http://v6.example.test:${c}/x.png`,
    `http://mixed.example.test:${c}/x.png`,
    `http://internal.example.test:${c}/x.png`,
    `http://mapped.example.test:${c}/x.png`,
    'http://metadata.example.test/latest/meta-data/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    'http://[fd00::1]/x.png',
    'http://[fe80::1]/x.png',
    'http://100.64.0.1/x.png',
    'http://192.168.1.1/x.png',
    'http://172.16.0.1/x.png',
    'http://10.0.0.1/x.png',
    'http://224.0.0.1/x.png',
    'http://127.0.0.1:22/x.png',
    `gopher://127.0.0.1:${c}/_x`,
    'ftp://public.example.test/x.png',
    'file:///etc/passwd',
    `${r}/to-canary`,
    `${r}/to-named`,
    `${r}/to-metadata`,
    `${r}/to-mapped`,
  ];
}

describe('hostile image URLs', () => {
  it('are each refused with 400 image_url_rejected, with no connection made and nothing charged', async () => {
    const { apiKey } = await server.account(5);
    const urls = hostileUrls();
    expect(urls.length).toBeGreaterThanOrEqual(30);
    for (const url of urls) {
      for (const field of ['image', 'mask'] as const) {
        const body =
          field === 'image'
            ? { model: 'local-placeholder', prompt: 'x', image: url }
            : { model: 'local-placeholder', prompt: 'x', image: validImage, mask: url };
        const res = await api(server.url, 'POST', '/v1/images/edits', { key: apiKey, body });
        const error = (res.body as { error?: { code: string; param: string } }).error;
        expect([res.status, error?.code, error?.param], `${field}: ${url}`).toEqual([
          400,
          'image_url_rejected',
          field,
        ]);
      }
    }
    expect(canaryConnections).toBe(0);
    expect(connectAttempts.filter((a) => !a.startsWith('127.'))).toEqual([]);
    expect((await api(server.url, 'GET', '/v1/account', { key: apiKey })).body.balance).toBe(5);
  });

  it('still reaches an allowed host (the allow list is what lets tests use loopback)', async () => {
    const res = await api(server.url, 'POST', '/v1/images/edits', {
      key: server.adminKey,
      body: {
        model: 'local-placeholder',
        prompt: 'x',
        image: `http://127.0.0.1:${redirectorPort}/missing.png`,
      },
    });
    expect((res.body as { error: { code: string } }).error.code).toBe('image_url_unreachable');
    expect(connectAttempts).toContain('127.0.0.1');
  });
});
