import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/**
 * A fake of Black Forest Labs' Flux API (docs.bfl.ai), run as a real HTTP server on 127.0.0.1:
 * - `POST /v1/{model}` with `x-key`: validates the body like BFL's FastAPI schemas (unknown
 *   fields → 422 `extra_forbidden`, wrong types and ranges → 422) and answers
 *   `{id, polling_url, cost, input_mp, output_mp}`.
 * - `GET /v1/get_result?id=` (and `/regional/v1/get_result?id=`, a second polling path standing
 *   in for a regional host): `{id, status, result, progress, details, preview}`.
 * - `GET /results/{id}/sample.{jpeg|png}?se=..&sig=..`: the signed output URL, a real image.
 * Each submission that passes auth and validation takes the next scripted behaviour; with none
 * scripted, a task goes Pending once, then Ready.
 */

export type BflStatus =
  | 'Pending'
  | 'Queued'
  | 'Processing'
  | 'Ready'
  | 'Error'
  | 'Failed'
  | 'Task not found'
  | 'Request Moderated'
  | 'Content Moderated';

/** One answer of the polling URL; the last step repeats. */
export type BflPollStep =
  | BflStatus
  | { kind: 'http'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'non-json' }
  | { kind: 'ready-without-sample' };

export type BflBehaviour =
  | {
      kind: 'task';
      /** Default `['Pending', 'Ready']`. */
      steps?: BflPollStep[];
      /** `junk`: the sample URL serves bytes that are not an image. */
      sample?: 'image' | 'junk';
      /** The origin written into polling_url (e.g. `https://api.eu.bfl.ai`); default the fake's. */
      pollingOrigin?: string;
      /** Use the second, "regional" polling path. */
      regional?: boolean;
      /** `none`: the polling URL answers without x-key (a URL of some other host). */
      pollingAuth?: 'key' | 'none';
      /** Answer `{id}` only, as older API versions did. */
      omitPollingUrl?: boolean;
    }
  | { kind: 'http'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'non-json' }
  | { kind: 'wrong-shape' }
  | { kind: 'slow'; delayMs: number; then?: BflBehaviour };

/** BFL's error answers (bodies as observed or, where marked, approximated). */
export const bflErrors = {
  insufficientCredits: (): BflBehaviour => ({
    kind: 'http',
    status: 402,
    // Approximate wording.
    body: { detail: 'Insufficient credits. Add credits to your account to continue.' },
  }),
  rateLimited: (retryAfter = '3'): BflBehaviour => ({
    kind: 'http',
    status: 429,
    headers: { 'retry-after': retryAfter },
    // Approximate wording: BFL caps active tasks per account (24 by default).
    body: { detail: 'You have reached the maximum number of active tasks (24).' },
  }),
  serverError: (status = 500): BflBehaviour => ({
    kind: 'http',
    status,
    body: { detail: status === 503 ? 'Service Unavailable' : 'Internal Server Error' },
  }),
  badRequest: (detail = 'Invalid request'): BflBehaviour => ({
    kind: 'http',
    status: 400,
    body: { detail },
  }),
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else the raw text ('' for none). */
  body: unknown;
}

export interface FakeBfl {
  /** The base URL to configure, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Queues behaviours for the next submissions, in order. */
  script(...behaviours: BflBehaviour[]): void;
  /** Clears the script, the tasks and the recorded requests. */
  reset(): void;
  /** The recorded `POST /v1/{model}` requests. */
  submissions(): RecordedRequest[];
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Request validation, in the shape of FastAPI/pydantic 422 answers.

interface Issue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
}

type Check = (value: unknown) => Pick<Issue, 'type' | 'msg'> | undefined;

const str: Check = (v) =>
  v === null || typeof v === 'string'
    ? undefined
    : { type: 'string_type', msg: 'Input should be a valid string' };

const bool: Check = (v) =>
  typeof v === 'boolean'
    ? undefined
    : { type: 'bool_type', msg: 'Input should be a valid boolean' };

function int(min?: number, max?: number, multipleOf?: number): Check {
  return (v) => {
    if (v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      return { type: 'int_type', msg: 'Input should be a valid integer' };
    }
    if (min !== undefined && v < min) {
      return { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${min}` };
    }
    if (max !== undefined && v > max) {
      return { type: 'less_than_equal', msg: `Input should be less than or equal to ${max}` };
    }
    if (multipleOf !== undefined && v % multipleOf !== 0) {
      return { type: 'multiple_of', msg: `Input should be a multiple of ${multipleOf}` };
    }
    return undefined;
  };
}

function num(min: number, max: number): Check {
  return (v) => {
    if (typeof v !== 'number') return { type: 'float_type', msg: 'Input should be a valid number' };
    if (v < min || v > max)
      return { type: 'value_error', msg: `Value must be between ${min} and ${max}` };
    return undefined;
  };
}

const outputFormat: Check = (v) =>
  v === null || v === 'jpeg' || v === 'png'
    ? undefined
    : { type: 'enum', msg: "Input should be 'jpeg' or 'png'" };

const aspectRatio: Check = (v) => {
  const match = typeof v === 'string' ? /^(\d+):(\d+)$/.exec(v) : null;
  const ratio = match ? Number(match[1]) / Number(match[2]) : NaN;
  if (!(ratio >= 9 / 21 - 1e-9 && ratio <= 21 / 9 + 1e-9)) {
    return { type: 'value_error', msg: 'Value error, Aspect ratio must be between 21:9 and 9:21' };
  }
  return undefined;
};

/** Base64 of a PNG/JPEG/WebP (no `data:` prefix), or an http(s) URL. */
const image: Check = (v) => {
  if (v === null) return undefined;
  if (typeof v !== 'string') return { type: 'string_type', msg: 'Input should be a valid string' };
  if (/^https?:\/\//.test(v)) return undefined;
  const bytes = /^[A-Za-z0-9+/]+=*$/.test(v) ? Buffer.from(v, 'base64') : Buffer.alloc(0);
  const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const jpeg = bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
  const webp = bytes.subarray(8, 12).toString('latin1') === 'WEBP';
  return png || jpeg || webp
    ? undefined
    : {
        type: 'value_error',
        msg: 'Value error, Input image must be a base64 encoded image or a URL',
      };
};

const webhook = { webhook_url: str, webhook_secret: str };
const inputImages = (count: number) =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      i === 0 ? 'input_image' : `input_image_${i + 1}`,
      image,
    ]),
  );

const FLUX_2_FIELDS: Record<string, Check> = {
  prompt: str,
  ...inputImages(8),
  seed: int(),
  width: int(64, undefined, 16),
  height: int(64, undefined, 16),
  safety_tolerance: int(0, 5),
  output_format: outputFormat,
  ...webhook,
};

const KONTEXT_FIELDS: Record<string, Check> = {
  prompt: str,
  ...inputImages(4),
  seed: int(),
  aspect_ratio: aspectRatio,
  output_format: outputFormat,
  prompt_upsampling: bool,
  safety_tolerance: int(0, 6),
  ...webhook,
};

const SCHEMAS: Record<string, Record<string, Check>> = {
  'flux-2-pro': FLUX_2_FIELDS,
  'flux-2-max': FLUX_2_FIELDS,
  'flux-2-flex': {
    ...FLUX_2_FIELDS,
    prompt_upsampling: bool,
    guidance: num(1.5, 10),
    steps: int(1, 50),
  },
  'flux-pro-1.1': {
    prompt: str,
    image_prompt: image,
    width: int(256, 1440, 32),
    height: int(256, 1440, 32),
    prompt_upsampling: bool,
    seed: int(),
    safety_tolerance: int(0, 6),
    output_format: outputFormat,
    ...webhook,
  },
  'flux-pro-1.1-ultra': {
    prompt: str,
    prompt_upsampling: bool,
    seed: int(),
    aspect_ratio: aspectRatio,
    safety_tolerance: int(0, 6),
    output_format: outputFormat,
    raw: bool,
    image_prompt: image,
    image_prompt_strength: num(0, 1),
    ...webhook,
  },
  'flux-kontext-pro': KONTEXT_FIELDS,
  'flux-kontext-max': KONTEXT_FIELDS,
};

function validate(model: string, body: Record<string, unknown>): Issue[] {
  const schema = SCHEMAS[model] ?? {};
  const issues: Issue[] = [];
  if (typeof body.prompt !== 'string') {
    issues.push({ type: 'missing', loc: ['body', 'prompt'], msg: 'Field required', input: body });
  }
  for (const [field, value] of Object.entries(body)) {
    const check = schema[field];
    if (!check) {
      issues.push({
        type: 'extra_forbidden',
        loc: ['body', field],
        msg: 'Extra inputs are not permitted',
        input: value,
      });
      continue;
    }
    const problem = check(value);
    if (problem) issues.push({ ...problem, loc: ['body', field], input: value });
  }
  if (
    typeof body.width === 'number' &&
    typeof body.height === 'number' &&
    body.width * body.height > 4_194_304
  ) {
    issues.push({
      type: 'value_error',
      loc: ['body'],
      msg: 'Value error, Image must be at most 4 megapixels',
      input: body,
    });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// The server.

interface Task {
  id: string;
  steps: BflPollStep[];
  polls: number;
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  sample: 'image' | 'junk';
  pollingAuth: 'key' | 'none';
  prompt: string;
  seed: number;
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Output size: the requested pixels, or a small image of the requested aspect ratio. */
function outputSize(body: Record<string, unknown>): { width: number; height: number } {
  if (typeof body.width === 'number' && typeof body.height === 'number' && body.width > 0) {
    return { width: body.width, height: body.height };
  }
  const match =
    typeof body.aspect_ratio === 'string' ? /^(\d+):(\d+)$/.exec(body.aspect_ratio) : null;
  if (match) return { width: Number(match[1]) * 16, height: Number(match[2]) * 16 };
  return { width: 1024, height: 1024 };
}

export async function startFakeBfl(options: { apiKey?: string } = {}): Promise<FakeBfl> {
  const apiKey = options.apiKey ?? 'bfl-test-key';
  const requests: RecordedRequest[] = [];
  const tasks = new Map<string, Task>();
  const imageCache = new Map<string, Promise<Buffer>>();
  const timers = new Set<NodeJS.Timeout>();
  let queue: BflBehaviour[] = [];
  let origin = '';

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const renderImage = (width: number, height: number, format: 'jpeg' | 'png') => {
    const key = `${width}x${height}.${format}`;
    let cached = imageCache.get(key);
    if (!cached) {
      const img = sharp({ create: { width, height, channels: 3, background: '#c33' } });
      cached = (format === 'png' ? img.png() : img.jpeg()).toBuffer();
      imageCache.set(key, cached);
    }
    return cached;
  };

  /** FastAPI's APIKeyHeader: 401 without the header, 403 with a wrong key. */
  const authFailure = (req: IncomingMessage, res: ServerResponse): boolean => {
    const key = req.headers['x-key'];
    if (key === undefined) {
      json(res, 401, { detail: 'Not authenticated' });
      return true;
    }
    if (key !== apiKey) {
      json(res, 403, { detail: 'Not authenticated - Invalid Authentication' });
      return true;
    }
    return false;
  };

  const answerSubmission = async (
    res: ServerResponse,
    model: string,
    body: Record<string, unknown>,
    behaviour: BflBehaviour,
    aborted: () => boolean,
  ): Promise<void> => {
    switch (behaviour.kind) {
      case 'slow':
        await delay(behaviour.delayMs);
        if (aborted()) return;
        return answerSubmission(res, model, body, behaviour.then ?? { kind: 'task' }, aborted);
      case 'http':
        return json(res, behaviour.status, behaviour.body ?? {}, behaviour.headers);
      case 'non-json':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
        return;
      case 'wrong-shape':
        return json(res, 200, { ok: true });
      case 'task': {
        const id = randomUUID();
        const format = body.output_format === 'png' ? 'png' : 'jpeg';
        tasks.set(id, {
          id,
          steps: behaviour.steps ?? ['Pending', 'Ready'],
          polls: 0,
          format,
          ...outputSize(body),
          sample: behaviour.sample ?? 'image',
          pollingAuth: behaviour.pollingAuth ?? 'key',
          prompt: String(body.prompt),
          seed: typeof body.seed === 'number' ? body.seed : 1234,
        });
        const path = behaviour.regional ? '/regional/v1/get_result' : '/v1/get_result';
        const pollingUrl = `${behaviour.pollingOrigin ?? origin}${path}?id=${id}`;
        const answer = behaviour.omitPollingUrl
          ? { id }
          : { id, polling_url: pollingUrl, cost: 3, input_mp: 0, output_mp: 1 };
        return json(res, 200, answer);
      }
    }
  };

  const answerPoll = (req: IncomingMessage, res: ServerResponse, id: string) => {
    const task = tasks.get(id);
    if (!task) {
      if (authFailure(req, res)) return;
      return json(res, 200, {
        id,
        status: 'Task not found',
        result: null,
        progress: null,
        details: null,
      });
    }
    if (task.pollingAuth === 'key' && authFailure(req, res)) return;
    const step = task.steps[Math.min(task.polls, task.steps.length - 1)] ?? 'Ready';
    task.polls += 1;
    const base = { id, result: null, progress: null, details: null, preview: null };
    if (typeof step === 'object') {
      if (step.kind === 'http') return json(res, step.status, step.body ?? {}, step.headers);
      if (step.kind === 'non-json') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('upstream connect error');
        return;
      }
      return json(res, 200, { ...base, status: 'Ready', result: { prompt: task.prompt } });
    }
    switch (step) {
      case 'Ready': {
        const sample = `${origin}/results/${id}/sample.${task.format}?se=2026-12-31T00%3A00%3A00Z&sig=fake`;
        return json(res, 200, {
          ...base,
          status: 'Ready',
          result: {
            sample,
            prompt: task.prompt,
            seed: task.seed,
            start_time: 1,
            end_time: 2,
            duration: 1,
          },
          progress: 1,
        });
      }
      case 'Pending':
      case 'Queued':
      case 'Processing':
        return json(res, 200, { ...base, status: step, progress: 0.5 });
      case 'Request Moderated':
      case 'Content Moderated':
        return json(res, 200, {
          ...base,
          status: step,
          details: { 'Moderation Reasons': ['Derivative Works Filter'] },
        });
      case 'Error':
      case 'Failed':
        return json(res, 200, { ...base, status: step, details: { error: 'Generation failed' } });
      case 'Task not found':
        return json(res, 200, { ...base, status: step });
    }
  };

  const answerSample = async (res: ServerResponse, id: string, ext: string) => {
    const task = tasks.get(id);
    if (!task || ext !== task.format) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<Error><Code>BlobNotFound</Code></Error>');
      return;
    }
    const bytes =
      task.sample === 'junk'
        ? Buffer.from('this is not an image at all')
        : await renderImage(task.width, task.height, task.format);
    res.writeHead(200, { 'content-type': `image/${task.format}`, 'content-length': bytes.length });
    res.end(bytes);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      const raw = await readBody(req);
      let body: unknown = raw;
      try {
        body = raw === '' ? '' : JSON.parse(raw);
      } catch {
        // Recorded as text.
      }
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      });
      let closed = false;
      res.on('close', () => {
        closed = true;
      });

      const submit = /^\/v1\/([^/]+)$/.exec(url.pathname);
      const sample = /^\/results\/([^/]+)\/sample\.(\w+)$/.exec(url.pathname);
      if (req.method === 'GET' && /^(\/regional)?\/v1\/get_result$/.test(url.pathname)) {
        return answerPoll(req, res, url.searchParams.get('id') ?? '');
      }
      if (req.method === 'GET' && sample)
        return answerSample(res, sample[1] ?? '', sample[2] ?? '');
      if (req.method !== 'POST' || !submit || !SCHEMAS[submit[1] ?? '']) {
        return json(res, 404, { detail: 'Not Found' });
      }
      const model = submit[1] ?? '';
      if (authFailure(req, res)) return;
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return json(res, 422, {
          detail: [
            {
              type: 'model_attributes_type',
              loc: ['body'],
              msg: 'Input should be a valid dictionary or object to extract fields from',
              input: raw,
            },
          ],
        });
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return json(res, 422, {
          detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }],
        });
      }
      const fields = body as Record<string, unknown>;
      const issues = validate(model, fields);
      if (issues.length > 0) return json(res, 422, { detail: issues });
      const behaviour = queue.shift() ?? { kind: 'task' };
      await answerSubmission(res, model, fields, behaviour, () => closed);
    })().catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { detail: `fake failure: ${String(error)}` });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    apiKey,
    requests,
    script: (...behaviours) => {
      queue.push(...behaviours);
    },
    reset: () => {
      queue = [];
      tasks.clear();
      requests.length = 0;
    },
    submissions: () => requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/')),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
