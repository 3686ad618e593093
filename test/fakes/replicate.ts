import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';

/**
 * A fake of Replicate's HTTP API on 127.0.0.1, answering as Replicate's docs describe:
 * `POST /v1/models/{owner}/{name}/predictions` with `{input}` and `POST /v1/predictions` with
 * `{version, input}` create a prediction (201); `GET /v1/predictions/{id}` polls it; `POST
 * .../cancel` cancels it. `Prefer: wait[=N]` is honoured: a prediction that finishes within the
 * wait is answered finished, otherwise it comes back `starting` once the (time-compressed) wait
 * is over. Outputs are hosted by this server (like replicate.delivery, without auth).
 *
 * Each creation takes the next scripted behaviour (`script(...)`), or the default: done at
 * once, succeeded with `num_outputs` images.
 */

export const REPLICATE_FAKE_TOKEN = 'r8_FakeTokenForTests0000000000000000000';
/** A version id the fake knows (64 hex digits, like Replicate's). */
export const REPLICATE_FAKE_VERSION =
  '5599ed30703defd1d160a25a63321b4dec97101d98b4674bcc56e41f62f35637';

export interface ReplicateRecordedRequest {
  method: string;
  /** Path with query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON (undefined when empty). */
  body: unknown;
}

/** One literal HTTP answer. `rawBody` is sent as is (non-JSON answers); else `body` as JSON. */
export interface ReplicateReply {
  status: number;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** One poll of the prediction: a pending state, or a literal answer (e.g. a 503). */
export type ReplicateStep = 'starting' | 'processing' | ReplicateReply;

export type ReplicateFinal =
  | {
      status: 'succeeded';
      /** Number of outputs (default: the input's `num_outputs`, else 1). */
      outputs?: number;
      /** One URL string instead of a list (as FLUX Kontext answers). */
      single?: boolean;
      /** Replaces the generated `output` (e.g. `[]` or `null`). */
      output?: unknown;
      /** The hosted outputs are bytes that are not an image. */
      notImage?: boolean;
    }
  | { status: 'failed'; error: string }
  | { status: 'canceled' };

export interface ReplicateScript {
  /** Answers the creation request itself (no prediction is made): 401, 422, 429, 5xx... */
  create?: ReplicateReply;
  /** Answers of successive polls before the final state (default none: done at once). */
  steps?: ReplicateStep[];
  /** The final state (default: succeeded). */
  final?: ReplicateFinal;
  /** Extra delay before answering the creation request. */
  createDelayMs?: number;
  /** Origin of the `urls` handed out (default: this server's). */
  urlOrigin?: string;
}

export interface ReplicateFakeOptions {
  token?: string;
  /** Official models the fake serves (`owner/name`). */
  models?: string[];
  /** Versions the fake serves. */
  versions?: string[];
  /**
   * How long, at most, a `Prefer: wait` creation is held when the prediction is not done (the
   * real API holds the full N seconds; tests need no such wait). Default 10 ms.
   */
  maxHoldMs?: number;
  /** Whether the prediction URLs need the token, as on Replicate (default true). */
  predictionUrlsNeedAuth?: boolean;
}

export interface ReplicateFake {
  /** Base URL, as REPLICATE_BASE_URL (no trailing slash). */
  url: string;
  requests: ReplicateRecordedRequest[];
  /** Queues behaviours for the next creations, in order. */
  script(...scripts: ReplicateScript[]): void;
  /** Forgets scripts, predictions and recorded requests. */
  reset(): void;
  /** Resolves when a matching request has been received (already or later). */
  waitForRequest(
    predicate: (r: ReplicateRecordedRequest) => boolean,
  ): Promise<ReplicateRecordedRequest>;
  close(): Promise<void>;
}

const problem = (status: number, title: string, detail: string, extra = {}): ReplicateReply => ({
  status,
  body: { title, detail, status, ...extra },
});

/** Documented error answers, for scripting. */
export const replicateErrors = {
  /** 429 with Replicate's body; `retry-after` only when `header` is set. */
  throttled(seconds: number, header = false): ReplicateReply {
    return {
      status: 429,
      body: {
        detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        status: 429,
      },
      headers: header ? { 'retry-after': String(seconds) } : {},
    };
  },
  insufficientCredit(): ReplicateReply {
    return problem(
      402,
      'Insufficient credit',
      'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.',
    );
  },
  notFound(): ReplicateReply {
    return problem(404, 'Not found', 'The requested resource could not be found.');
  },
  serverError(status = 500): ReplicateReply {
    return problem(status, 'Internal server error', 'Something went wrong.');
  },
};

/** Replicate's 422 for invalid bodies: a detail line per problem plus `invalid_fields`. */
function validationFailed(
  fields: Array<{ type: string; field: string; description: string }>,
): ReplicateReply {
  const detail = fields.map((f) => `- ${f.field ? `${f.field}: ` : ''}${f.description}\n`).join('');
  return problem(422, 'Input validation failed', detail, { invalid_fields: fields });
}

const ASPECT_RATIOS = [
  '1:1',
  '16:9',
  '21:9',
  '3:2',
  '2:3',
  '4:5',
  '5:4',
  '3:4',
  '4:3',
  '9:16',
  '9:21',
  'match_input_image',
];

/** Checks the inputs the FLUX models declare; like Cog, other input fields are ignored. */
function validateInput(input: unknown) {
  const invalid: Array<{ type: string; field: string; description: string }> = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    invalid.push({
      type: 'invalid_type',
      field: 'input',
      description: 'Invalid type. Expected: object',
    });
    return invalid;
  }
  const fields = input as Record<string, unknown>;
  if (typeof fields.prompt !== 'string') {
    invalid.push({ type: 'required', field: 'input', description: 'prompt is required' });
  }
  const ratio = fields.aspect_ratio;
  if (ratio !== undefined && !ASPECT_RATIOS.includes(String(ratio))) {
    invalid.push({
      type: 'enum',
      field: 'input.aspect_ratio',
      description: `aspect_ratio must be one of the following: ${ASPECT_RATIOS.map((r) => `"${r}"`).join(', ')}`,
    });
  }
  const format = fields.output_format;
  if (format !== undefined && !['webp', 'jpg', 'png'].includes(String(format))) {
    invalid.push({
      type: 'enum',
      field: 'input.output_format',
      description: 'output_format must be one of the following: "webp", "jpg", "png"',
    });
  }
  const n = fields.num_outputs;
  if (n !== undefined && (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 4)) {
    invalid.push({
      type: 'number_lte',
      field: 'input.num_outputs',
      description: 'Must be less than or equal to 4',
    });
  }
  if (fields.seed !== undefined && !Number.isInteger(fields.seed)) {
    invalid.push({
      type: 'invalid_type',
      field: 'input.seed',
      description: 'Invalid type. Expected: integer',
    });
  }
  return invalid;
}

interface FakePrediction {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  script: ReplicateScript;
  polls: number;
  canceled: boolean;
  createdAt: string;
  output?: unknown;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function send(res: ServerResponse, reply: ReplicateReply): Promise<void> {
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

/** The seconds of a `Prefer: wait` / `wait=N` header; undefined when absent or invalid (ignored, per RFC 7240). */
function preferWait(header: string | undefined): number | undefined {
  if (!header) return undefined;
  for (const part of header.split(',').map((p) => p.trim())) {
    if (part === 'wait') return 60;
    const match = /^wait=(\d+)$/.exec(part);
    if (match) {
      const seconds = Number(match[1]);
      return seconds >= 1 && seconds <= 60 ? seconds : undefined;
    }
  }
  return undefined;
}

/** Starts the fake on 127.0.0.1 on a free port. */
export async function startFakeReplicate(
  options: ReplicateFakeOptions = {},
): Promise<ReplicateFake> {
  const token = options.token ?? REPLICATE_FAKE_TOKEN;
  const models = new Set(
    options.models ?? [
      'black-forest-labs/flux-schnell',
      'black-forest-labs/flux-dev',
      'black-forest-labs/flux-kontext-pro',
    ],
  );
  const versions = new Set(options.versions ?? [REPLICATE_FAKE_VERSION]);
  const maxHoldMs = options.maxHoldMs ?? 10;
  const predictionUrlsNeedAuth = options.predictionUrlsNeedAuth ?? true;
  const requests: ReplicateRecordedRequest[] = [];
  const scripts: ReplicateScript[] = [];
  const predictions = new Map<string, FakePrediction>();
  const hosted = new Map<string, { bytes: Buffer; contentType: string }>();
  let waiters: Array<{
    predicate: (r: ReplicateRecordedRequest) => boolean;
    resolve: (r: ReplicateRecordedRequest) => void;
  }> = [];
  let origin = '';

  function record(entry: ReplicateRecordedRequest): void {
    requests.push(entry);
    waiters = waiters.filter((w) => {
      if (!w.predicate(entry)) return true;
      w.resolve(entry);
      return false;
    });
  }

  function authFailure(headers: IncomingHttpHeaders): ReplicateReply | undefined {
    const header = headers.authorization;
    if (!header) {
      return problem(401, 'Unauthenticated', 'You did not pass an authentication token');
    }
    // Replicate accepts both schemes.
    if (header === `Bearer ${token}` || header === `Token ${token}`) return undefined;
    return problem(401, 'Unauthenticated', 'You did not pass a valid authentication token');
  }

  async function renderOutputs(p: FakePrediction, final: ReplicateFinal & { status: 'succeeded' }) {
    if (final.output !== undefined) return final.output;
    const requested = typeof p.input.num_outputs === 'number' ? p.input.num_outputs : 1;
    const count = final.outputs ?? requested;
    const format = typeof p.input.output_format === 'string' ? p.input.output_format : 'webp';
    const urls: string[] = [];
    for (let i = 0; i < count; i++) {
      const canvas = sharp({
        create: {
          width: 96,
          height: 64,
          channels: 3,
          background: { r: 30, g: 90 + i * 40, b: 200 },
        },
      });
      const encoded =
        format === 'png' ? canvas.png() : format === 'jpg' ? canvas.jpeg() : canvas.webp();
      const bytes = final.notImage
        ? Buffer.from('<html>definitely not an image</html>')
        : await encoded.toBuffer();
      const name = `${p.id}/out-${i}.${format}`;
      hosted.set(name, { bytes, contentType: `image/${format === 'jpg' ? 'jpeg' : format}` });
      urls.push(`${origin}/files/${name}`);
    }
    return final.single ? urls[0] : urls;
  }

  async function view(p: FakePrediction, status: string): Promise<Record<string, unknown>> {
    const base = `${p.script.urlOrigin ?? origin}/v1/predictions/${p.id}`;
    const final = p.script.final ?? { status: 'succeeded' };
    let output: unknown = null;
    let error: unknown = null;
    if (status === 'succeeded' && final.status === 'succeeded') {
      p.output ??= await renderOutputs(p, final);
      output = p.output;
    }
    if (status === 'failed' && final.status === 'failed') error = final.error;
    const done = ['succeeded', 'failed', 'canceled'].includes(status);
    return {
      id: p.id,
      model: p.model,
      version: p.version,
      input: p.input,
      logs: '',
      output,
      data_removed: false,
      error,
      status,
      created_at: p.createdAt,
      started_at: status === 'starting' ? null : p.createdAt,
      completed_at: done ? new Date().toISOString() : null,
      urls: { get: base, cancel: `${base}/cancel`, web: `https://replicate.com/p/${p.id}` },
      metrics: done ? { predict_time: 0.42 } : {},
    };
  }

  function finalStatus(p: FakePrediction): string {
    return p.canceled ? 'canceled' : (p.script.final ?? { status: 'succeeded' }).status;
  }

  async function createPrediction(
    req: IncomingMessage,
    body: unknown,
    model: string | undefined,
  ): Promise<ReplicateReply> {
    const denied = authFailure(req.headers);
    if (denied) return denied;
    const script = scripts.shift() ?? {};
    if (script.createDelayMs) await sleep(script.createDelayMs);
    if (script.create) return script.create;
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      // Unsure of Replicate's exact answer to a non-JSON body; a 415 problem is assumed.
      return problem(415, 'Unsupported media type', 'Request body must be JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return validationFailed([
        { type: 'invalid_type', field: '', description: 'Invalid type. Expected: object' },
      ]);
    }
    const fields = body as Record<string, unknown>;
    const allowed = ['input', 'webhook', 'webhook_events_filter', 'stream'];
    if (model === undefined) allowed.push('version');
    const invalid = Object.keys(fields)
      .filter((k) => !allowed.includes(k))
      .map((k) => ({
        type: 'additional_property_not_allowed',
        field: '',
        description: `Additional property ${k} is not allowed`,
      }));
    if (model === undefined && fields.version === undefined) {
      invalid.unshift({ type: 'required', field: '', description: 'version is required' });
    }
    if (fields.input === undefined) {
      invalid.push({ type: 'required', field: '', description: 'input is required' });
    } else {
      invalid.push(...validateInput(fields.input));
    }
    if (invalid.length > 0) return validationFailed(invalid);
    if (model !== undefined && !models.has(model)) return replicateErrors.notFound();
    const version = model === undefined ? String(fields.version) : REPLICATE_FAKE_VERSION;
    if (!versions.has(version)) {
      return problem(
        422,
        'Invalid version or not permitted',
        "The specified version does not exist (or perhaps you don't have permission to use it?)",
      );
    }
    const prediction: FakePrediction = {
      id: randomBytes(13).toString('hex').slice(0, 26),
      model: model ?? 'someone/some-model',
      version,
      input: fields.input as Record<string, unknown>,
      script,
      polls: 0,
      canceled: false,
      createdAt: new Date().toISOString(),
    };
    predictions.set(prediction.id, prediction);
    const wait = preferWait(
      typeof req.headers.prefer === 'string' ? req.headers.prefer : undefined,
    );
    const pending = (script.steps ?? []).length > 0;
    if (wait !== undefined && !pending) {
      return { status: 201, body: await view(prediction, finalStatus(prediction)) };
    }
    if (wait !== undefined) await sleep(Math.min(wait * 1000, maxHoldMs));
    return { status: 201, body: await view(prediction, 'starting') };
  }

  async function poll(p: FakePrediction): Promise<ReplicateReply> {
    const step = p.canceled ? undefined : (p.script.steps ?? [])[p.polls];
    p.polls++;
    if (step === undefined) return { status: 200, body: await view(p, finalStatus(p)) };
    if (typeof step !== 'string') return step;
    return { status: 200, body: await view(p, step) };
  }

  async function route(req: IncomingMessage, body: unknown): Promise<ReplicateReply> {
    const path = new URL(req.url ?? '/', origin).pathname;
    const method = req.method ?? 'GET';
    const modelMatch = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path);
    if (method === 'POST' && modelMatch) {
      return createPrediction(req, body, `${modelMatch[1]}/${modelMatch[2]}`);
    }
    if (method === 'POST' && path === '/v1/predictions') {
      return createPrediction(req, body, undefined);
    }
    const predictionMatch = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(path);
    if (predictionMatch) {
      const denied = predictionUrlsNeedAuth ? authFailure(req.headers) : undefined;
      if (denied) return denied;
      const prediction = predictions.get(predictionMatch[1] ?? '');
      if (!prediction) return replicateErrors.notFound();
      if (method === 'GET' && !predictionMatch[2]) return poll(prediction);
      if (method === 'POST' && predictionMatch[2]) {
        const steps = prediction.script.steps ?? [];
        if (prediction.polls < steps.length) prediction.canceled = true;
        return { status: 200, body: await view(prediction, finalStatus(prediction)) };
      }
    }
    return replicateErrors.notFound();
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
      if (req.method === 'GET' && path.startsWith('/files/')) {
        const file = hosted.get(path.slice('/files/'.length));
        if (!file) return send(res, replicateErrors.notFound());
        res.writeHead(200, { 'content-type': file.contentType });
        res.end(file.bytes);
        return;
      }
      await send(res, await route(req, body));
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `fake replicate error: ${String(error)}`, status: 500 }));
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
      predictions.clear();
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
