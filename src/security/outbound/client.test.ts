import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type LookupFunction, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PixapiError } from '../../errors.js';
import { OutboundClient, type OutboundClientOptions } from './client.js';

/*
 * Every socket these tests open goes to 127.0.0.1 or ::1. Private and metadata ranges are
 * reached only through the injected resolver, and a connect hook throws (and records a
 * violation) before any socket to an unexpected address could be opened.
 */

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  port: number;
  origin: string;
  connections: number;
  requests: Recorded[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, recorded: Recorded) => void;

async function listen(server: Server, host: string, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function startServer(handler: Handler, host = '127.0.0.1', port = 0): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(recorded);
      handler(req, res, recorded);
    });
  });
  const state: TestServer = {
    port: 0,
    origin: '',
    connections: 0,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  server.on('connection', () => (state.connections += 1));
  state.port = await listen(server, host, port);
  state.origin = `http://${host.includes(':') ? `[${host}]` : host}:${state.port}`;
  return state;
}

/** The injected resolver: public-looking names mapped to chosen (mostly hostile) addresses. */
const DNS: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  'loopback.example.test': ['127.0.0.1'],
  'images.example.test': ['127.0.0.1'],
  'secure.example.test': ['127.0.0.1'],
  'zero.example.test': ['0.0.0.0'],
  'ten.example.test': ['10.0.0.1'],
  'cgnat.example.test': ['100.64.0.1'],
  'metadata.example.test': ['169.254.169.254'],
  'v6-loopback.example.test': ['::1'],
  'mapped.example.test': ['::ffff:10.0.0.1'],
  'nat64.example.test': ['64:ff9b::a00:1'],
  'ula.example.test': ['fd00::1'],
  'mixed.example.test': ['93.184.215.14', '10.0.0.1'],
  'mixed-loopback.example.test': ['93.184.215.14', '127.0.0.1'],
  'public.example.test': ['93.184.215.14'],
  'garbage.example.test': ['not-an-address'],
};

function fakeLookup(calls: string[] = []): LookupFunction {
  return (hostname, _options, callback) => {
    calls.push(hostname);
    const answers = DNS[hostname];
    setImmediate(() => {
      if (!answers) {
        callback(Object.assign(new Error(`not found: ${hostname}`), { code: 'ENOTFOUND' }), []);
      } else {
        callback(
          null,
          answers.map((address) => ({ address, family: isIP(address) || 4 })),
        );
      }
    });
  };
}

async function rejection(promise: Promise<unknown>): Promise<PixapiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PixapiError);
    return error as PixapiError;
  }
  throw new Error('expected the request to be refused');
}

const clients: OutboundClient[] = [];
function makeClient(options: Partial<OutboundClientOptions> = {}): OutboundClient {
  const client = new OutboundClient({ allow: [], lookup: fakeLookup(), ...options });
  clients.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(10_000)]);
const trickles = new Set<NodeJS.Timeout>();
let canary: TestServer;
let canaryV6: TestServer | undefined;
let origin: TestServer;
let other: TestServer;
let bigWritten = 0;
let bigClosed: Promise<void> = Promise.resolve();

function routes(req: IncomingMessage, res: ServerResponse, recorded: Recorded): void {
  const redirect = (status: number, location: string): void => {
    res.writeHead(status, { location }).end('moved');
  };
  const path = req.url ?? '/';
  const chain = /^\/chain\/(\d+)$/.exec(path);
  if (chain) {
    const left = Number(chain[1]);
    return left > 0 ? redirect(302, `/chain/${left - 1}`) : void res.end('end of chain');
  }
  switch (path) {
    case '/image.png':
      return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    case '/echo':
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(recorded));
    case '/missing':
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('nope');
    case '/empty':
      return void res.writeHead(204).end();
    case '/see-other':
      return redirect(303, '/echo');
    case '/temporary':
      return redirect(307, '/echo');
    case '/found':
      return redirect(302, '/echo');
    case '/relative':
      return redirect(302, 'echo');
    case '/loop':
      return redirect(302, '/loop');
    case '/to-other':
      return redirect(302, `${other.origin}/echo`);
    case '/to-canary':
      return redirect(302, `http://127.0.0.1:${canary.port}/`);
    case '/to-canary-name':
      return redirect(307, `http://loopback.example.test:${canary.port}/`);
    case '/to-metadata':
      return redirect(302, 'http://169.254.169.254/latest/meta-data/');
    case '/to-metadata-name':
      return redirect(301, 'http://metadata.example.test/latest/meta-data/');
    case '/to-ten':
      return redirect(308, 'http://ten.example.test/');
    case '/to-file':
      return redirect(302, 'file:///etc/passwd');
    case '/to-userinfo':
      return redirect(302, `http://a@127.0.0.1:${origin.port}/echo`);
    case '/to-mapped':
      return redirect(302, `http://[::ffff:127.0.0.1]:${canary.port}/`);
    case '/big': {
      // 64 MB at most, and only while the client keeps reading.
      const chunk = Buffer.alloc(64 * 1024, 7);
      bigClosed = new Promise((resolve) => res.once('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const pump = (): void => {
        while (bigWritten < 64 * 1024 * 1024 && !res.destroyed) {
          bigWritten += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    case '/declared-big':
      res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) });
      return void res.write('just the start');
    case '/hang':
      return; // never answers; the client's timeout or abort ends it
    case '/stall':
      res.writeHead(200, { 'content-type': 'image/png' });
      return void res.write('half an image');
    case '/trickle': {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 20);
      trickles.add(timer);
      res.once('close', () => clearInterval(timer));
      return;
    }
    default:
      res.writeHead(200).end('ok');
  }
}

beforeAll(async () => {
  canary = await startServer((_req, res) => res.end('canary reached'));
  try {
    canaryV6 = await startServer((_req, res) => res.end('canary reached'), '::1', canary.port);
  } catch {
    canaryV6 = undefined; // no IPv6 loopback here; the address checks still run
  }
  origin = await startServer(routes);
  other = await startServer(routes);
});

afterAll(async () => {
  for (const timer of trickles) clearInterval(timer);
  await Promise.all([canary, canaryV6, origin, other].map((server) => server?.close()));
});

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

describe('OutboundClient end to end', () => {
  it('fetches image bytes from an allow-listed loopback host:port', async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const bytes = await client.fetchImage(`${origin.origin}/image.png`);
    expect(bytes.equals(PNG)).toBe(true);
  });

  it('connects to the checked address but keeps the name in Host', async () => {
    const hooked: string[] = [];
    const lookups: string[] = [];
    const client = makeClient({
      allow: [`images.example.test:${origin.port}`],
      lookup: fakeLookup(lookups),
      connectHook: (address, port) => void hooked.push(`${address}:${port}`),
    });
    const response = await client.fetch(`http://images.example.test:${origin.port}/echo`);
    const echoed = (await response.json()) as Recorded;
    expect(echoed.headers.host).toBe(`images.example.test:${origin.port}`);
    expect(hooked).toEqual([`127.0.0.1:${origin.port}`]);
    expect(lookups).toEqual(['images.example.test']);
  });

  it('connects to the very address the lookup answered, once checked', async () => {
    const hooked: string[] = [];
    const lookups: string[] = [];
    const client = makeClient({
      lookup: fakeLookup(lookups),
      connectHook: (address, port) => {
        hooked.push(`${address}:${port}`);
        throw new Error('test: no connections outside loopback');
      },
    });
    const error = await rejection(client.fetchImage('http://public.example.test/cat.png'));
    expect(error.code).toBe('image_url_unreachable');
    expect(hooked).toEqual(['93.184.215.14:80']);
    expect(lookups).toEqual(['public.example.test']);
  });

  it('sends the TLS server name of the URL while connecting to the checked address', async () => {
    const names: string[] = [];
    const server = createTlsServer({
      SNICallback: (name, callback) => {
        names.push(name);
        callback(new Error('test server has no certificate'));
      },
    });
    const port = await listen(server, '127.0.0.1');
    try {
      const client = makeClient({ allow: [`secure.example.test:${port}`] });
      const error = await rejection(client.fetch(`https://secure.example.test:${port}/`));
      expect(error.code).toBe('image_url_unreachable');
      expect(names).toEqual(['secure.example.test']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('returns non-2xx responses from fetch() as they are', async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const missing = await client.fetch(`${origin.origin}/missing`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('nope');
    const empty = await client.fetch(`${origin.origin}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('sends method, headers and body, and reports the final URL', async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const response = await client.fetch(`${origin.origin}/relative`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Test': 'yes', Host: 'evil.test' },
      body: Buffer.from('{"a":1}'),
    });
    expect(response.url).toBe(`${origin.origin}/echo`);
    const echoed = (await response.json()) as Recorded;
    // 302 after a POST becomes a GET, and a caller cannot choose the Host.
    expect(echoed).toMatchObject({ method: 'GET', body: '' });
    expect(echoed.headers['x-test']).toBe('yes');
    expect(echoed.headers['content-type']).toBeUndefined();
    expect(echoed.headers.host).toBe(`127.0.0.1:${origin.port}`);
  });

  it('turns 303 into GET and keeps method and body on 307', async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const init = {
      method: 'POST' as const,
      body: 'payload',
      headers: { 'content-type': 'text/plain' },
    };
    const seeOther = (await (
      await client.fetch(`${origin.origin}/see-other`, init)
    ).json()) as Recorded;
    expect(seeOther).toMatchObject({ method: 'GET', body: '' });
    const temporary = (await (
      await client.fetch(`${origin.origin}/temporary`, init)
    ).json()) as Recorded;
    expect(temporary).toMatchObject({ method: 'POST', body: 'payload' });
  });

  it('drops Authorization on a cross-origin redirect only', async () => {
    const client = makeClient({
      allow: [`127.0.0.1:${origin.port}`, `127.0.0.1:${other.port}`],
    });
    const headers = { authorization: 'Bearer upstream-secret' };
    const same = (await (
      await client.fetch(`${origin.origin}/found`, { headers })
    ).json()) as Recorded;
    expect(same.headers.authorization).toBe('Bearer upstream-secret');
    const cross = (await (
      await client.fetch(`${origin.origin}/to-other`, { headers })
    ).json()) as Recorded;
    expect(cross.headers.host).toBe(`127.0.0.1:${other.port}`);
    expect(cross.headers.authorization).toBeUndefined();
  });

  it('follows up to 3 redirects', async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const response = await client.fetch(`${origin.origin}/chain/3`);
    expect(await response.text()).toBe('end of chain');
    const error = await rejection(client.fetch(`${origin.origin}/chain/4`));
    expect(error.code).toBe('image_url_rejected');
  });

  it('refuses a redirect to a loopback port that is not allow-listed', async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const error = await rejection(client.fetchImage(`${origin.origin}/to-canary`));
    expect(error.code).toBe('image_url_rejected');
    expect(canary.connections).toBe(0);
  });

  it('aborts a body as soon as it passes the byte cap', async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const error = await rejection(
      client.fetchImage(`${origin.origin}/big`, { maxBytes: 256 * 1024, param: 'mask' }),
    );
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large', param: 'mask' });
    await bigClosed;
    expect(bigWritten).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const error = await rejection(client.fetch(`${origin.origin}/declared-big`));
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it.each([
    ['/hang', { headersMs: 100 }],
    ['/stall', { bodyMs: 100 }],
    ['/trickle', { totalMs: 300 }],
  ])('times out on %s', async (path, timeouts) => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`], timeouts });
    const error = await rejection(client.fetchImage(`${origin.origin}${path}`));
    expect(error).toMatchObject({ status: 400, code: 'image_url_timeout', param: 'image' });
  });

  it('times out a DNS lookup that never answers', async () => {
    const client = makeClient({ lookup: () => undefined, timeouts: { connectMs: 100 } });
    const error = await rejection(client.fetchImage('https://slow-dns.example.test/a.png'));
    expect(error.code).toBe('image_url_timeout');
  });

  it("rethrows the caller's abort reason", async () => {
    const client = makeClient({ allow: [`127.0.0.1:${origin.port}`] });
    const reason = new Error('client went away');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    const pending = client.fetchImage(`${origin.origin}/hang`, { signal: controller.signal });
    await expect(pending).rejects.toBe(reason);
    const before = origin.requests.length;
    const early = client.fetchImage(`${origin.origin}/echo`, { signal: AbortSignal.abort(reason) });
    await expect(early).rejects.toBe(reason);
    expect(origin.requests.length).toBe(before);
  });

  it('reports upstream errors and unreachable hosts as image_url_unreachable', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const client = makeClient({
      allow: [`127.0.0.1:${origin.port}`, `127.0.0.1:${closed.port}`],
    });
    const notFound = await rejection(client.fetchImage(`${origin.origin}/missing`));
    expect(notFound).toMatchObject({ status: 400, code: 'image_url_unreachable', param: 'image' });
    expect(notFound.message).toContain('404');
    const refused = await rejection(client.fetchImage(`http://127.0.0.1:${closed.port}/`));
    expect(refused.code).toBe('image_url_unreachable');
    const unknown = await rejection(client.fetchImage('http://no-such-name.example.test/'));
    expect(unknown.code).toBe('image_url_unreachable');
  });

  it('names the caller-chosen param in errors', async () => {
    const client = makeClient();
    const mask = await rejection(client.fetchImage('http://127.0.0.1/', { param: 'mask' }));
    expect(mask.param).toBe('mask');
    const poll = await rejection(client.fetch('http://127.0.0.1/', { param: null }));
    expect(poll.param).toBeNull();
  });
});
