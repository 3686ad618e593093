import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { sendFile } from './hosted-files.js';
import type { Site } from './hosted-files.js';
import { jsonOrText, readText } from './http.js';
import { sendReply } from './scripted-reply.js';
import type { ScriptedReply } from './scripted-reply.js';
import { listenLocal } from './server.js';
import type { LocalServer } from './server.js';

/** A request as the queue-style fakes (fal, Replicate) record it. */
export interface RecordedJsonRequest {
  method: string;
  /** Path with query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON (undefined when empty). */
  body: unknown;
}

export interface ReplyServerOptions {
  log: { record(entry: RecordedJsonRequest): void };
  site: Site;
  /** The answer under `/files/` to anything but a GET of a hosted file. */
  fileNotFound: ScriptedReply;
  /** Answers every other request, from its parsed body. */
  route(req: IncomingMessage, body: unknown): Promise<ScriptedReply>;
  /** The JSON body of the 500 that answers a failure of the fake itself. */
  failureBody(error: unknown): unknown;
}

/**
 * Serves a fake whose routes compute `ScriptedReply` values: records each request, serves the
 * hosted files, and sends what `route` answers. The caller sets `site.origin` once it listens.
 */
export function serveReplies(options: ReplyServerOptions): Promise<LocalServer> {
  const { log, site } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await readText(req);
    const body = text === '' ? undefined : jsonOrText(text);
    log.record({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
    const path = new URL(req.url ?? '/', site.origin).pathname;
    if (path.startsWith('/files/')) {
      const file = req.method === 'GET' ? site.files.find(path) : undefined;
      return file ? sendFile(res, file) : sendReply(res, options.fileNotFound);
    }
    await sendReply(res, await options.route(req, body));
  };
  return listenLocal(handle, (res, error) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify(options.failureBody(error)));
  });
}
