import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type LookupFunction, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { PixapiError } from '../../src/errors.js';
import { OutboundClient, type OutboundClientOptions } from '../../src/security/outbound/client.js';

/*
 * The fixture servers of the outbound client tests. Every socket these tests open goes to
 * 127.0.0.1 or ::1. Private and metadata ranges are reached only through the injected resolver,
 * and a connect hook throws (and records a violation) before any socket to an unexpected
 * address could be opened.
 */

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface TestServer {
  port: number;
  origin: string;
  connections: number;
  requests: Recorded[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, recorded: Recorded) => void;

export async function listen(server: Server, host: string, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export async function startServer(
  handler: Handler,
  host = '127.0.0.1',
  port = 0,
): Promise<TestServer> {
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

export function fakeLookup(calls: string[] = []): LookupFunction {
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

export async function rejection(promise: Promise<unknown>): Promise<PixapiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PixapiError);
    return error as PixapiError;
  }
  throw new Error('expected the request to be refused');
}

const clients: OutboundClient[] = [];
export function makeClient(options: Partial<OutboundClientOptions> = {}): OutboundClient {
  const client = new OutboundClient({ allow: [], lookup: fakeLookup(), ...options });
  clients.push(client);
  return client;
}

export const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(10_000)]);
const trickles = new Set<NodeJS.Timeout>();
// Live bindings: set by useOutboundServers' beforeAll and by the /big route, read by the tests.
export let canary: TestServer;
export let canaryV6: TestServer | undefined;
export let origin: TestServer;
export let other: TestServer;
export let bigWritten = 0;
export let bigClosed: Promise<void> = Promise.resolve();

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

/**
 * Starts the canary (a loopback listener no test may reach), the allow-listed origin and a second
 * origin for the calling test file, and closes the clients `makeClient` made after each test.
 */
export function useOutboundServers(): void {
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
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
    await Promise.all(
      [canary, canaryV6, origin, other].map((server) => server?.close() ?? Promise.resolve()),
    );
  });
}
