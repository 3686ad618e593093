import { createServer as createTlsServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  PNG,
  bigClosed,
  bigWritten,
  canary,
  fakeLookup,
  listen,
  makeClient,
  origin,
  other,
  rejection,
  startServer,
  useOutboundServers,
  type Recorded,
} from '../../../test/helpers/outbound-fixtures.js';

// Every socket goes to loopback; see test/helpers/outbound-fixtures.ts for how.
useOutboundServers();

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
