import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';

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
 */

/** A key in fal's `key_id:key_secret` form. */
export const FAL_FAKE_KEY = 'fake-key-id:fake-key-secret';

export interface FalRecordedRequest {
  method: string;
  /** Path with query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON (undefined when empty). */
  body: unknown;
}

/** One literal HTTP answer. `rawBody` is sent as is (non-JSON answers); else `body` as JSON. */
export interface FalReply {
  status: number;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** One status poll: a pending state, or a literal answer (e.g. a 503 in the middle). */
export type FalQueueStep = 'IN_QUEUE' | 'IN_PROGRESS' | FalReply;

export interface FalScript {
  /** Answers the submission itself (no request is queued): auth, validation, 429, 5xx... */
  submit?: FalReply;
  /** Answers of successive status polls before COMPLETED. Default: IN_QUEUE, IN_PROGRESS. */
  queue?: FalQueueStep[];
  /** Extra fields of the COMPLETED status, e.g. `{error, error_type}` of a failed request. */
  completed?: Record<string, unknown>;
  /** Answers the response URL instead of the generated images. */
  result?: FalReply;
  /** Number of images in the result (default: the request's `num_images`). */
  images?: number;
  /** `has_nsfw_concepts` of the result (default: all false). */
  nsfw?: boolean[];
  /** The hosted "images" are bytes that are not an image. */
  notImage?: boolean;
  /** Origin of the status/response/cancel URLs handed out (default: this server's). */
  urlOrigin?: string;
}

export interface FalFakeOptions {
  key?: string;
  /** Whether status/result/cancel URLs need the key, as on fal (default true). */
  queueUrlsNeedAuth?: boolean;
  /** Top-level input fields the fake's model accepts; others get fal's 422. */
  knownFields?: string[];
}

export interface FalFake {
  /** Base URL, as FAL_BASE_URL (no trailing slash). */
  url: string;
  requests: FalRecordedRequest[];
  /** Queues behaviours for the next submissions, in order. */
  script(...scripts: FalScript[]): void;
  /** Forgets scripts, requests and recorded requests. */
  reset(): void;
  /** Resolves when a matching request has been received (already or later). */
  waitForRequest(predicate: (r: FalRecordedRequest) => boolean): Promise<FalRecordedRequest>;
  close(): Promise<void>;
}

/** Documented error bodies, for scripting. */
export const falErrors = {
  /** 422 model validation error (`{detail: [{loc, msg, type}]}`). */
  validation(field: string, msg: string, type = 'value_error'): FalReply {
    return { status: 422, body: { detail: [{ loc: ['body', field], msg, type }] } };
  },
  /** 422 content checker refusal. */
  contentPolicy(field = 'prompt'): FalReply {
    return {
      status: 422,
      body: {
        detail: [
          {
            loc: ['body', field],
            msg: 'The content was flagged by a content checker.',
            type: 'content_policy_violation',
            url: 'https://docs.fal.ai/errors#content_policy_violation',
          },
        ],
      },
    };
  },
  /** Infrastructure error `{detail, error_type}` with `X-Fal-Error-Type`. */
  infrastructure(errorType: string, status: number, detail = 'Request failed'): FalReply {
    return {
      status,
      body: { detail, error_type: errorType },
      headers: { 'x-fal-error-type': errorType },
    };
  },
  /** 403 of an account out of credits. */
  exhaustedBalance(): FalReply {
    return {
      status: 403,
      body: {
        detail:
          'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.',
      },
    };
  },
  rateLimited(retryAfterSeconds: number): FalReply {
    return {
      status: 429,
      body: { detail: 'Too many concurrent requests' },
      headers: { 'retry-after': String(retryAfterSeconds) },
    };
  },
};

const DEFAULT_FIELDS = [
  'prompt',
  'image_size',
  'num_images',
  'seed',
  'output_format',
  'enable_safety_checker',
  'num_inference_steps',
  'guidance_scale',
  'sync_mode',
  'acceleration',
  'negative_prompt',
  'image_url',
  'image_urls',
  'mask_url',
  'strength',
  'aspect_ratio',
  'safety_tolerance',
];

interface QueuedRequest {
  id: string;
  appPath: string;
  input: Record<string, unknown>;
  script: FalScript;
  polls: number;
  completed: boolean;
  canceled: boolean;
}

interface Hosted {
  bytes: Buffer;
  contentType: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function send(res: ServerResponse, reply: FalReply): Promise<void> {
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

const json = (status: number, body: unknown): FalReply => ({ status, body });

/** fal-style (pydantic) validation of the input, against the fake model's known fields. */
function validate(input: unknown, known: Set<string>): FalReply | undefined {
  if (!isRecord(input)) {
    return falErrors.validation('body', 'Input should be a valid dictionary', 'dict_type');
  }
  const detail: Array<Record<string, unknown>> = [];
  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      detail.push({
        loc: ['body', key],
        msg: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      });
    }
  }
  if (typeof input.prompt !== 'string') {
    detail.push({ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' });
  }
  const n = input.num_images;
  if (n !== undefined && (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 4)) {
    detail.push({
      loc: ['body', 'num_images'],
      msg: 'Input should be less than or equal to 4',
      type: 'less_than_equal',
    });
  }
  const format = input.output_format;
  if (format !== undefined && format !== 'jpeg' && format !== 'png') {
    detail.push({
      loc: ['body', 'output_format'],
      msg: "Input should be 'jpeg' or 'png'",
      type: 'enum',
    });
  }
  const size = input.image_size;
  if (size !== undefined && typeof size !== 'string') {
    const ok =
      isRecord(size) &&
      Number.isInteger(size.width) &&
      Number.isInteger(size.height) &&
      (size.width as number) > 0 &&
      (size.height as number) > 0;
    if (!ok) {
      detail.push({ loc: ['body', 'image_size'], msg: 'Invalid image size', type: 'value_error' });
    }
  }
  return detail.length > 0 ? json(422, { detail }) : undefined;
}

/** Starts the fake on 127.0.0.1 on a free port. */
export async function startFakeFal(options: FalFakeOptions = {}): Promise<FalFake> {
  const key = options.key ?? FAL_FAKE_KEY;
  const queueUrlsNeedAuth = options.queueUrlsNeedAuth ?? true;
  const known = new Set(options.knownFields ?? DEFAULT_FIELDS);
  const requests: FalRecordedRequest[] = [];
  const scripts: FalScript[] = [];
  const queued = new Map<string, QueuedRequest>();
  const hosted = new Map<string, Hosted>();
  let waiters: Array<{
    predicate: (r: FalRecordedRequest) => boolean;
    resolve: (r: FalRecordedRequest) => void;
  }> = [];
  let origin = '';

  function record(entry: FalRecordedRequest): void {
    requests.push(entry);
    waiters = waiters.filter((w) => {
      if (!w.predicate(entry)) return true;
      w.resolve(entry);
      return false;
    });
  }

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

  async function renderImages(request: QueuedRequest): Promise<Array<Record<string, unknown>>> {
    const { input, script } = request;
    const count = script.images ?? (typeof input.num_images === 'number' ? input.num_images : 1);
    const size = isRecord(input.image_size) ? input.image_size : {};
    const width = Math.min(Number(size.width) || 512, 2048);
    const height = Math.min(Number(size.height) || 512, 2048);
    const jpeg = input.output_format === 'jpeg';
    const contentType = jpeg ? 'image/jpeg' : 'image/png';
    const files = [];
    for (let i = 0; i < count; i++) {
      const canvas = sharp({
        create: { width, height, channels: 3, background: { r: 200, g: 40 + i * 40, b: 60 } },
      });
      const bytes = script.notImage
        ? Buffer.from('this is not an image, only some text')
        : await (jpeg ? canvas.jpeg() : canvas.png()).toBuffer();
      const name = `${request.id}-${i}.${jpeg ? 'jpeg' : 'png'}`;
      hosted.set(name, { bytes, contentType });
      files.push({ url: `${origin}/files/${name}`, content_type: contentType, width, height });
    }
    return files;
  }

  function urlsOf(request: QueuedRequest, script: FalScript) {
    const base = `${script.urlOrigin ?? origin}/${request.appPath}/requests/${request.id}`;
    return {
      request_id: request.id,
      response_url: base,
      status_url: `${base}/status`,
      cancel_url: `${base}/cancel`,
    };
  }

  async function submit(path: string, req: IncomingMessage, body: unknown): Promise<FalReply> {
    const denied = authFailure(req.headers);
    if (denied) return denied;
    const script = scripts.shift() ?? {};
    if (script.submit) return script.submit;
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return falErrors.validation('body', 'Input should be a valid dictionary', 'dict_type');
    }
    const invalid = validate(body, known);
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
    return json(200, { status: 'IN_QUEUE', queue_position: 0, ...urlsOf(request, script) });
  }

  function status(request: QueuedRequest): FalReply {
    const steps = request.script.queue ?? ['IN_QUEUE', 'IN_PROGRESS'];
    const step = steps[request.polls];
    request.polls++;
    if (request.canceled) {
      request.completed = true;
      return json(200, {
        status: 'COMPLETED',
        ...urlsOf(request, request.script),
        error: 'Request was cancelled',
        error_type: 'client_cancelled',
      });
    }
    if (step === undefined) {
      request.completed = true;
      return json(200, {
        status: 'COMPLETED',
        ...urlsOf(request, request.script),
        logs: null,
        metrics: { inference_time: 0.42 },
        ...request.script.completed,
      });
    }
    if (typeof step !== 'string') return step;
    const ahead = steps.slice(request.polls).filter((s) => s === 'IN_QUEUE').length;
    return json(202, {
      status: step,
      ...(step === 'IN_QUEUE' ? { queue_position: ahead } : { logs: null }),
      ...urlsOf(request, request.script),
    });
  }

  async function result(request: QueuedRequest): Promise<FalReply> {
    if (!request.completed) return json(400, { detail: 'Request is still in progress' });
    if (request.script.result) return request.script.result;
    const images = await renderImages(request);
    return json(200, {
      images,
      timings: { inference: 0.42 },
      seed: typeof request.input.seed === 'number' ? request.input.seed : 1234,
      has_nsfw_concepts: request.script.nsfw ?? images.map(() => false),
      prompt: request.input.prompt,
    });
  }

  async function route(req: IncomingMessage, body: unknown): Promise<FalReply> {
    const url = new URL(req.url ?? '/', origin);
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
    if (method === 'GET' && action === 'status') return status(request);
    if (method === 'GET' && action === undefined) return result(request);
    if (method === 'PUT' && action === 'cancel') {
      if (request.completed) return json(400, { status: 'ALREADY_COMPLETED' });
      request.canceled = true;
      return json(202, { status: 'CANCELLATION_REQUESTED' });
    }
    return json(405, { detail: 'Method Not Allowed' });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      record({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
      const path = new URL(req.url ?? '/', origin).pathname;
      const file = req.method === 'GET' ? hosted.get(path.replace(/^\/files\//, '')) : undefined;
      if (path.startsWith('/files/')) {
        if (!file) return send(res, json(404, { detail: 'Not Found' }));
        res.writeHead(200, { 'content-type': file.contentType });
        res.end(file.bytes);
        return;
      }
      await send(res, await route(req, body));
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `fake fal error: ${String(error)}` }));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    requests,
    script: (...next) => void scripts.push(...next),
    reset: () => {
      scripts.length = 0;
      requests.length = 0;
      queued.clear();
      hosted.clear();
    },
    waitForRequest: (predicate) => {
      const seen = requests.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
