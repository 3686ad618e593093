import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The whole request body as UTF-8 text. */
export async function readText(req: IncomingMessage): Promise<string> {
  return (await readBody(req)).toString('utf8');
}

/** `text` parsed as JSON, or the text itself when it is not JSON (so `''` stays `''`). */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Answers `body` as is, with exactly the headers given. */
export function sendText(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** Answers `body` as compact JSON (`application/json` unless `headers` says otherwise). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/**
 * Waits `ms` before an answer; resolves `true` as soon as the client goes away instead, so that a
 * "slow" behaviour never writes to a closed connection.
 */
export function clientLeftWithin(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
