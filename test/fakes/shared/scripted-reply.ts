import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** One literal HTTP answer. `rawBody` is sent as is (non-JSON answers); else `body` as JSON. */
export interface ScriptedReply {
  status: number;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** Sends `reply` after its delay, unless the client has gone away meanwhile. */
export async function sendReply(res: ServerResponse, reply: ScriptedReply): Promise<void> {
  if (reply.delayMs) await sleep(reply.delayMs);
  if (res.destroyed) return;
  const isRaw = reply.rawBody !== undefined;
  const text = isRaw ? reply.rawBody : reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': isRaw ? 'text/html; charset=utf-8' : 'application/json',
    ...reply.headers,
  });
  res.end(text);
}
