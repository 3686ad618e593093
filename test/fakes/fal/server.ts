import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { HostedFiles } from '../shared/hosted-files.js';
import type { Site } from '../shared/hosted-files.js';
import { serveReplies } from '../shared/reply-server.js';
import { RequestLog } from '../shared/request-log.js';
import { falErrors, json } from './behaviours.js';
import type { FalReply, FalScript } from './behaviours.js';
import { result, status, urlsOf } from './queue.js';
import type { QueuedRequest } from './queue.js';
import { FAL_FAKE_KEY } from './types.js';
import type { FalFake, FalFakeOptions, FalRecordedRequest } from './types.js';
import { DEFAULT_FIELDS, MODEL_FIELDS, validate } from './validation.js';

/**
 * A fake of fal.ai's queue API (https://queue.fal.run) on 127.0.0.1, answering as fal's docs
 * describe: `POST /{model_id}` → `{request_id, status_url, response_url, cancel_url}`; the
 * status URL answers 202 `IN_QUEUE`/`IN_PROGRESS`, then 200 `COMPLETED`; the response URL the
 * result `{images: [{url, content_type, width, height}], seed, has_nsfw_concepts}` whose image
 * URLs this server hosts itself (like fal's CDN, without auth); `PUT` on the cancel URL.
 * Like fal, the status/result URLs drop a model's subpath (`fal-ai/flux/schnell` →
 * `/fal-ai/flux/requests/{id}`), which is why clients must use the URLs and not build them.
 *
 * Each submission takes the next scripted behaviour (`script(...)`), or the default success.
 *
 * Starts the fake on 127.0.0.1 on a free port.
 */
export async function startFakeFal(options: FalFakeOptions = {}): Promise<FalFake> {
  const key = options.key ?? FAL_FAKE_KEY;
  const queueUrlsNeedAuth = options.queueUrlsNeedAuth ?? true;
  const configured = options.knownFields ? new Set(options.knownFields) : undefined;
  const knownFor = (path: string) =>
    configured ??
    new Set(MODEL_FIELDS[path.split('/').filter(Boolean).join('/')] ?? DEFAULT_FIELDS);
  const log = new RequestLog<FalRecordedRequest>();
  const scripts: FalScript[] = [];
  const queued = new Map<string, QueuedRequest>();
  const site: Site = { origin: '', files: new HostedFiles() };

  /** fal's 401s: a malformed header, or a key that names no user. */
  function authFailure(headers: IncomingHttpHeaders): FalReply | undefined {
    const header = headers.authorization;
    if (header === `Key ${key}`) return undefined;
    // Unsure which body fal gives for a missing header; the malformed-header one is used.
    if (!header || !/^Key [^:\s]+:\S+$/.test(header)) {
      return json(401, {
        detail: "Invalid Key Authorization header format. Expected '<key_id>:<key_secret>'.",
      });
    }
    return json(401, { detail: 'No user found for Key ID and Secret' });
  }

  async function submit(path: string, req: IncomingMessage, body: unknown): Promise<FalReply> {
    const denied = authFailure(req.headers);
    if (denied) return denied;
    const script = scripts.shift() ?? {};
    if (script.submit) return script.submit;
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return falErrors.validation('body', 'Input should be a valid dictionary', 'dict_type');
    }
    const invalid = validate(body, knownFor(path));
    if (invalid) return invalid;
    const segments = path.split('/').filter(Boolean);
    const request: QueuedRequest = {
      id: randomUUID(),
      appPath: segments.slice(0, 2).join('/'),
      input: body as Record<string, unknown>,
      script,
      polls: 0,
      completed: false,
      canceled: false,
    };
    queued.set(request.id, request);
    return json(200, { status: 'IN_QUEUE', queue_position: 0, ...urlsOf(request, script, site) });
  }

  async function route(req: IncomingMessage, body: unknown): Promise<FalReply> {
    const url = new URL(req.url ?? '/', site.origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const marker = path.indexOf('/requests/');
    if (marker < 0) {
      if (method === 'POST') return submit(path, req, body);
      return json(405, { detail: 'Method Not Allowed' });
    }
    if (queueUrlsNeedAuth) {
      const denied = authFailure(req.headers);
      if (denied) return denied;
    }
    const [id, action] = path.slice(marker + '/requests/'.length).split('/');
    const request = id ? queued.get(id) : undefined;
    if (!request) return json(404, { detail: 'Request not found' });
    if (method === 'GET' && action === 'status') return status(request, site);
    if (method === 'GET' && action === undefined) return result(request, site);
    if (method === 'PUT' && action === 'cancel') {
      if (request.completed) return json(400, { status: 'ALREADY_COMPLETED' });
      request.canceled = true;
      return json(202, { status: 'CANCELLATION_REQUESTED' });
    }
    return json(405, { detail: 'Method Not Allowed' });
  }

  const server = await serveReplies({
    log,
    site,
    fileNotFound: json(404, { detail: 'Not Found' }),
    route,
    failureBody: (error) => ({ detail: `fake fal error: ${String(error)}` }),
  });
  site.origin = server.origin;

  return {
    url: site.origin,
    requests: log.entries,
    script: (...next) => void scripts.push(...next),
    reset: () => {
      scripts.length = 0;
      log.clear();
      queued.clear();
      site.files.clear();
    },
    waitForRequest: (predicate) => log.waitFor(predicate),
    close: server.close,
  };
}
