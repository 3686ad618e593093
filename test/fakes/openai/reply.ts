import type { ServerResponse } from 'node:http';
import { sendJson, sendText } from '../shared/http.js';

/** Answers a string or a Buffer as is (`text/plain` unless `headers` says otherwise), else JSON. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    sendText(res, status, body, { 'content-type': 'text/plain', ...headers });
  } else {
    sendJson(res, status, body, headers);
  }
}
