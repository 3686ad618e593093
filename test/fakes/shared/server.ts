import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  /** `http://127.0.0.1:{port}`. */
  origin: string;
  /** Drops the open connections and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves `handle` on 127.0.0.1 and a free port. What `handle` throws or rejects with goes to
 * `fail`, which answers it in the provider's own shape (or gives up on a reply already begun).
 */
export async function listenLocal(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>,
  fail: (res: ServerResponse, error: unknown) => void,
): Promise<LocalServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => fail(res, error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
