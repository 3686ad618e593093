import type { Dispatcher } from 'undici';

/** Reading undici response bodies into memory, with the byte cap counted while they stream. */

type Body = Dispatcher.ResponseData['body'];

/**
 * The whole body, or null as soon as it passes `maxBytes`: the body is then destroyed, which
 * aborts the request, so the rest is never downloaded.
 */
export async function readCapped(body: Body, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      abandon(body);
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Stops a body and closes its connection. undici's body emits an abort error when destroyed
 * unread, and an error without a listener would crash the process.
 */
export function abandon(body: Body): void {
  body.on('error', () => undefined);
  body.destroy();
}

export function firstHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}
