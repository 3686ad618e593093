import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { UpstreamAnswer } from '../../src/providers/shared/http.js';
import type { GenerateInput } from '../../src/providers/types.js';

/**
 * What an adapter receives for a plain generation; tests override only what they are about.
 *
 * @example generateInput({ model: 'flux-2-pro', size: sized(256, 192, 'free') })
 */
export function generateInput(overrides: Partial<GenerateInput> = {}): GenerateInput {
  return {
    model: 'gpt-image-1.5',
    prompt: 'a red fox in the snow',
    n: 1,
    size: sized(1024, 1024, '1K'),
    quality: 'auto',
    background: 'auto',
    outputFormat: 'png',
    outputCompression: undefined,
    moderation: undefined,
    seed: undefined,
    user: undefined,
    options: {},
    ...overrides,
  };
}

/** A size as the client asked it (`WxH` unless `requested` says otherwise). */
export function sized(
  width: number,
  height: number,
  tier: string,
  requested = `${width}x${height}`,
): GenerateInput['size'] {
  return { width, height, requested, tier };
}

/** An upstream answer for the pure error classifiers; no JSON means an HTML error page. */
export function upstreamAnswer(
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): UpstreamAnswer {
  const map = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    json,
    text: json === undefined ? '<html>502 Bad Gateway</html>' : JSON.stringify(json),
    headers: { get: (name) => map.get(name.toLowerCase()) ?? null },
  };
}

/** A TCP relay on another 127.0.0.1 port to `port`: another origin for the same fake. */
export async function startRelay(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    const drop = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
