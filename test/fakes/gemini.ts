import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { EditInput, GenerateInput, InputImage } from '../../src/providers/types.js';

/**
 * A fake of the Gemini API's generateContent route for image models, run as a real HTTP server on
 * 127.0.0.1. It answers as Google documents: camelCase JSON, one candidate whose parts hold text,
 * optional "thought" parts (Gemini 3 Pro) and the image as base64 `inlineData`; Google's error
 * envelope `{error:{code,message,status,details}}` for every failure.
 *
 * @example
 * const fake = await startFakeGemini();
 * fake.script({ kind: 'error', status: 503 }, { kind: 'image' });
 * // ...point the adapter at fake.url with FAKE_GEMINI_KEY...
 * await fake.close();
 */

export const FAKE_GEMINI_KEY = 'fake-gemini-key-0123456789';
export const FAKE_GEMINI_MODELS = [
  'gemini-2.5-flash-image',
  'gemini-3.1-flash-image-preview',
  'gemini-3-pro-image-preview',
] as const;

const COMMON_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
const MODEL_LIMITS: Record<string, { ratios: string[]; sizes: string[] }> = {
  'gemini-2.5-flash-image': { ratios: COMMON_RATIOS, sizes: [] },
  'gemini-3.1-flash-image-preview': {
    ratios: [...COMMON_RATIOS, '1:4', '4:1', '1:8', '8:1'],
    sizes: ['512', '1K', '2K', '4K'],
  },
  'gemini-3-pro-image-preview': { ratios: COMMON_RATIOS, sizes: ['1K', '2K', '4K'] },
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

/** One scripted answer; requests with nothing scripted get `{ kind: 'image' }`. */
export type FakeGeminiBehavior =
  | {
      kind: 'image';
      /** The text part beside the image; `false` for none. */
      text?: string | false;
      /** Thought parts (a thought text and a draft image) before the answer; default: pro only. */
      thoughts?: boolean;
      /** `null` leaves finishReason out. */
      finishReason?: string | null;
      /** Answer with snake_case keys (`inline_data`, `mime_type`), as some proxies do. */
      snakeCase?: boolean;
      mimeType?: 'image/png' | 'image/jpeg';
    }
  /** The prompt is refused before generation: `promptFeedback.blockReason`, no candidates. */
  | { kind: 'blocked'; blockReason: string }
  /** A candidate that stops with `finishReason` and no image (or with one, if `withImage`). */
  | { kind: 'finish'; finishReason: string; withImage?: boolean }
  /** finishReason STOP with a text part only. */
  | { kind: 'text-only'; text?: string }
  | { kind: 'no-candidates' }
  | { kind: 'corrupt-image'; mode: 'bad-base64' | 'not-an-image' }
  | { kind: 'non-json' }
  | { kind: 'rate-limited'; retryDelay?: string; retryAfter?: string; quotaId?: string }
  | {
      kind: 'error';
      status: number;
      message?: string;
      details?: unknown[];
      headers?: Record<string, string>;
    }
  /** Waits, then answers `then` (default: an image); gives up when the client goes away. */
  | { kind: 'slow'; delayMs: number; then?: FakeGeminiBehavior }
  /** Destroys the connection without an answer. */
  | { kind: 'hang-up' };

export interface FakeGemini {
  url: string;
  requests: RecordedRequest[];
  /** Queues the answers of the next requests, in order. */
  script(...behaviors: FakeGeminiBehavior[]): void;
  /** Clears the queue and the recorded requests. */
  reset(): void;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

const GOOGLE_STATUS: Record<number, [status: string, message: string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: ['UNAUTHENTICATED', 'Request had invalid authentication credentials.'],
  403: ['PERMISSION_DENIED', 'The caller does not have permission'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  429: ['RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'],
  500: [
    'INTERNAL',
    'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  ],
  503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
  504: ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'],
};

function googleError(code: number, message?: string, details?: unknown[]) {
  const [status, defaultMessage] = GOOGLE_STATUS[code] ?? ['UNKNOWN', 'Unknown error.'];
  return {
    error: { code, message: message ?? defaultMessage, status, ...(details ? { details } : {}) },
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body, null, 2));
}

const API_KEY_INVALID = [
  {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'API_KEY_INVALID',
    domain: 'googleapis.com',
    metadata: { service: 'generativelanguage.googleapis.com' },
  },
  {
    '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
    locale: 'en-US',
    message: 'API key not valid. Please pass a valid API key.',
  },
];

// ---- request validation: the fields the real API knows (proto JSON takes camel or snake case)

interface ListOf {
  listOf: Shape | 'any';
}
type Shape = { [field: string]: Shape | ListOf | 'any' };
const isList = (s: Shape | ListOf): s is ListOf => 'listOf' in s;
const PART: Shape = {
  text: 'any',
  inlineData: { mimeType: 'any', data: 'any' },
  fileData: { mimeType: 'any', fileUri: 'any' },
  thought: 'any',
  thoughtSignature: 'any',
  functionCall: 'any',
  functionResponse: 'any',
  executableCode: 'any',
  codeExecutionResult: 'any',
  videoMetadata: 'any',
  mediaResolution: 'any',
};
const GENERATION_FIELDS = [
  'stopSequences responseMimeType responseSchema responseJsonSchema candidateCount',
  'maxOutputTokens temperature topP topK seed presencePenalty frequencyPenalty logprobs',
  'responseLogprobs responseModalities speechConfig thinkingConfig mediaResolution',
  'enableEnhancedCivicAnswers',
]
  .join(' ')
  .split(' ');
const CONTENT: Shape = { role: 'any', parts: { listOf: PART } };
const REQUEST: Shape = {
  contents: { listOf: CONTENT },
  systemInstruction: CONTENT,
  safetySettings: { listOf: { category: 'any', threshold: 'any', method: 'any' } },
  tools: 'any',
  toolConfig: 'any',
  cachedContent: 'any',
  generationConfig: {
    ...Object.fromEntries(GENERATION_FIELDS.map((f) => [f, 'any' as const])),
    imageConfig: { aspectRatio: 'any', imageSize: 'any' },
  },
};

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The real API's message for the first unknown field, e.g. `Unknown name "x" at 'generation_config'`. */
function unknownField(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const sub = shape[camel(key)];
    const where = path ? ` at '${path}'` : '';
    if (!sub)
      return `Invalid JSON payload received. Unknown name "${key}"${where}: Cannot find field.`;
    const innerPath = `${path ? `${path}.` : ''}${snake(camel(key))}`;
    if (sub === 'any') continue;
    if (isList(sub)) {
      const item = sub.listOf;
      if (!Array.isArray(inner) || item === 'any') continue;
      for (const [i, element] of inner.entries()) {
        const found = unknownField(element, item, `${innerPath}[${i}]`);
        if (found) return found;
      }
      continue;
    }
    const found = unknownField(inner, sub, innerPath);
    if (found) return found;
  }
  return undefined;
}

function field(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const record = obj as Record<string, unknown>;
  return record[name] ?? record[snake(name)];
}

interface InlineImage {
  mimeType: string;
  data: string;
}

/** The inline images of the request, or the 400 message for the first bad one. */
function inlineImages(body: unknown): InlineImage[] | string {
  const images: InlineImage[] = [];
  const contents = field(body, 'contents');
  if (!Array.isArray(contents) || contents.length === 0) {
    return '* GenerateContentRequest.contents: contents is not specified\n';
  }
  for (const [c, content] of contents.entries()) {
    const parts = field(content, 'parts');
    for (const [p, part] of (Array.isArray(parts) ? parts : []).entries()) {
      const inline = field(part, 'inlineData');
      if (inline === undefined) continue;
      const data = field(inline, 'data');
      const mimeType = field(inline, 'mimeType');
      const where = `contents[${c}].parts[${p}].inline_data`;
      if (typeof data !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) {
        return `Invalid value at '${where}.data' (TYPE_BYTES), Base64 decoding failed`;
      }
      if (typeof mimeType !== 'string' || !/^image\/(png|jpeg|webp|heic|heif)$/.test(mimeType)) {
        return `Unsupported MIME type: ${String(mimeType)}`;
      }
      images.push({ mimeType, data });
    }
  }
  return images;
}

// ---- answers

function nearestRatio(width: number, height: number, ratios: string[]): string {
  const ratioOf = (r: string) => Math.log(Number(r.split(':')[0]) / Number(r.split(':')[1]));
  const wanted = Math.log(width / height);
  return ratios.reduce((a, b) =>
    Math.abs(ratioOf(b) - wanted) < Math.abs(ratioOf(a) - wanted) ? b : a,
  );
}

/**
 * Pixel size for a ratio and size tier: about tier² pixels, sides multiples of 16. Google's
 * tables differ by a few pixels per model (1K 16:9 is 1344x768 or 1376x768); close is enough.
 */
export function fakeImageDimensions(aspectRatio: string, imageSize: string) {
  const [a, b] = aspectRatio.split(':').map(Number) as [number, number];
  const side = { '512': 512, '1K': 1024, '2K': 2048, '4K': 4096 }[imageSize] ?? 1024;
  const round16 = (x: number) => Math.max(16, Math.round(x / 16) * 16);
  return { width: round16(side * Math.sqrt(a / b)), height: round16(side * Math.sqrt(b / a)) };
}

const imageCache = new Map<string, Promise<Buffer>>();
function renderImage(width: number, height: number, mimeType: string, background: string) {
  const key = `${width}x${height}:${mimeType}:${background}`;
  let image = imageCache.get(key);
  if (!image) {
    const canvas = sharp({ create: { width, height, channels: 3, background } });
    image = (
      mimeType === 'image/jpeg' ? canvas.jpeg() : canvas.png({ compressionLevel: 2 })
    ).toBuffer();
    imageCache.set(key, image);
  }
  return image;
}

function toSnake(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnake);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), toSnake(v)]));
}

interface Context {
  model: string;
  body: unknown;
  images: InlineImage[];
  thoughtsByDefault: boolean;
}

function usage(ctx: Context, outputTokens: number, thoughts: number) {
  const prompt = JSON.stringify(field(ctx.body, 'contents') ?? '').length;
  const text = Math.max(1, Math.round(Math.min(prompt, 4000) / 4));
  const image = ctx.images.length * 258;
  return {
    promptTokenCount: text + image,
    candidatesTokenCount: outputTokens,
    totalTokenCount: text + image + outputTokens + thoughts,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: text },
      ...(image ? [{ modality: 'IMAGE', tokenCount: image }] : []),
    ],
    ...(outputTokens
      ? { candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: outputTokens }] }
      : {}),
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
  };
}

async function imagePart(ctx: Context, mimeType: string, background: string) {
  const config = field(ctx.body, 'generationConfig');
  const imageConfig = field(config, 'imageConfig');
  const limits = MODEL_LIMITS[ctx.model]!;
  let ratio = field(imageConfig, 'aspectRatio');
  if (typeof ratio !== 'string') {
    // Without a ratio the model follows the first reference image, else draws a square.
    const first = ctx.images[0];
    const meta = first ? await sharp(Buffer.from(first.data, 'base64')).metadata() : undefined;
    ratio =
      meta?.width && meta.height ? nearestRatio(meta.width, meta.height, limits.ratios) : '1:1';
  }
  const size = field(imageConfig, 'imageSize');
  const { width, height } = fakeImageDimensions(
    ratio as string,
    typeof size === 'string' ? size : '1K',
  );
  const bytes = await renderImage(width, height, mimeType, background);
  return { inlineData: { mimeType, data: bytes.toString('base64') } };
}

const TOKENS_BY_SIZE: Record<string, number> = { '512': 747, '1K': 1120, '2K': 1120, '4K': 2000 };

async function answer(
  ctx: Context,
  behavior: FakeGeminiBehavior,
): Promise<{ status: number; body: unknown }> {
  const base = { modelVersion: ctx.model, responseId: randomUUID().replace(/-/g, '').slice(0, 22) };
  const size = field(field(field(ctx.body, 'generationConfig'), 'imageConfig'), 'imageSize');
  const imageTokens = ctx.model.startsWith('gemini-2.5')
    ? 1290
    : (TOKENS_BY_SIZE[String(size)] ?? 1120);
  switch (behavior.kind) {
    case 'image': {
      const modalities = field(field(ctx.body, 'generationConfig'), 'responseModalities');
      const wantsImage = !Array.isArray(modalities) || modalities.includes('IMAGE');
      const wantsText = !Array.isArray(modalities) || modalities.includes('TEXT');
      const thoughts = behavior.thoughts ?? ctx.thoughtsByDefault;
      const parts: unknown[] = [];
      if (thoughts) {
        parts.push({
          text: '**Composing the scene**\nI am sketching a first draft.',
          thought: true,
        });
        parts.push({ ...(await imagePart(ctx, 'image/png', '#333333')), thought: true });
      }
      const text = behavior.text ?? 'Here is the image you asked for.';
      if ((wantsText || !wantsImage) && text !== false) parts.push({ text });
      if (wantsImage) {
        const image = await imagePart(ctx, behavior.mimeType ?? 'image/png', '#cc3333');
        parts.push(thoughts ? { ...image, thoughtSignature: 'c2lnbmF0dXJl' } : image);
      }
      const candidate: Record<string, unknown> = { content: { parts, role: 'model' }, index: 0 };
      if (behavior.finishReason !== null) candidate.finishReason = behavior.finishReason ?? 'STOP';
      const body = {
        candidates: [candidate],
        usageMetadata: usage(ctx, wantsImage ? imageTokens : 12, thoughts ? 180 : 0),
        ...base,
      };
      return { status: 200, body: behavior.snakeCase ? toSnake(body) : body };
    }
    case 'blocked':
      return {
        status: 200,
        body: {
          promptFeedback: { blockReason: behavior.blockReason },
          usageMetadata: usage(ctx, 0, 0),
          ...base,
        },
      };
    case 'finish': {
      const candidate: Record<string, unknown> = { finishReason: behavior.finishReason, index: 0 };
      if (behavior.withImage) {
        candidate.content = {
          parts: [await imagePart(ctx, 'image/png', '#cc3333')],
          role: 'model',
        };
      }
      if (behavior.finishReason === 'IMAGE_OTHER') {
        candidate.finishMessage =
          'Unable to show the generated image. You will not be charged for this request. Try rephrasing the prompt.';
      }
      return {
        status: 200,
        body: { candidates: [candidate], usageMetadata: usage(ctx, 0, 0), ...base },
      };
    }
    case 'text-only': {
      const text = behavior.text ?? "I can't create that image, but I can describe it.";
      const candidate = {
        content: { parts: [{ text }], role: 'model' },
        finishReason: 'STOP',
        index: 0,
      };
      return {
        status: 200,
        body: { candidates: [candidate], usageMetadata: usage(ctx, 14, 0), ...base },
      };
    }
    case 'no-candidates':
      return { status: 200, body: { usageMetadata: usage(ctx, 0, 0), ...base } };
    case 'corrupt-image': {
      const data =
        behavior.mode === 'bad-base64'
          ? 'iVBORw0KGgo!!not*base64~~'
          : Buffer.from('definitely not a picture').toString('base64');
      const parts = [{ inlineData: { mimeType: 'image/png', data } }];
      const candidate = { content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 };
      return {
        status: 200,
        body: { candidates: [candidate], usageMetadata: usage(ctx, imageTokens, 0), ...base },
      };
    }
    default:
      throw new Error(`behavior ${behavior.kind} has no JSON answer`);
  }
}

function rateLimitBody(b: Extract<FakeGeminiBehavior, { kind: 'rate-limited' }>, model: string) {
  const quotaId = b.quotaId ?? 'GenerateRequestsPerMinutePerProjectPerModel';
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_paid_tier_requests',
          quotaId,
          quotaDimensions: { location: 'global', model },
          quotaValue: '10',
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
  ];
  if (b.retryDelay)
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: b.retryDelay });
  const message =
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';
  return googleError(429, message, details);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const ROUTE = /^\/v1beta\/models\/([^/:]+):generateContent$/;

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeGemini(
  options: { apiKey?: string; thoughts?: boolean } = {},
): Promise<FakeGemini> {
  const apiKey = options.apiKey ?? FAKE_GEMINI_KEY;
  const requests: RecordedRequest[] = [];
  const queue: FakeGeminiBehavior[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: string) {
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // kept as text; rejected below once auth passed
    }
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve();

    const route = ROUTE.exec(url.pathname);
    if (req.method !== 'POST' || !route) {
      return sendJson(
        res,
        404,
        googleError(404, `Method not found: ${req.method} ${url.pathname}`),
      );
    }
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (!key) {
      return sendJson(
        res,
        403,
        googleError(
          403,
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        ),
      );
    }
    if (key !== apiKey) {
      return sendJson(
        res,
        400,
        googleError(400, 'API key not valid. Please pass a valid API key.', API_KEY_INVALID),
      );
    }
    const model = decodeURIComponent(route[1]!);
    const limits = MODEL_LIMITS[model];
    if (!limits) {
      return sendJson(
        res,
        404,
        googleError(
          404,
          `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
        ),
      );
    }
    const invalid = (message: string) => sendJson(res, 400, googleError(400, message));
    // Unsure how Google words a wrong content type; it refuses the body as JSON, so do we.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return invalid('Invalid JSON payload received. Unexpected content type.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return invalid('Invalid JSON payload received. Unexpected token.');
    }
    const unknown = unknownField(body, REQUEST, '');
    if (unknown) return invalid(unknown);
    const images = inlineImages(body);
    if (typeof images === 'string') return invalid(images);
    const imageConfig = field(field(body, 'generationConfig'), 'imageConfig');
    const ratio = field(imageConfig, 'aspectRatio');
    if (ratio !== undefined && !limits.ratios.includes(String(ratio))) {
      return invalid(`Unsupported aspect ratio: ${String(ratio)}`);
    }
    const size = field(imageConfig, 'imageSize');
    // Unsure: gemini-2.5-flash-image documents no imageSize; the fake refuses one so that
    // tests prove the adapter leaves it out.
    if (size !== undefined && !limits.sizes.includes(String(size))) {
      return invalid(`Unsupported image size: ${String(size)}`);
    }

    const ctx: Context = {
      model,
      body,
      images,
      thoughtsByDefault: options.thoughts ?? model.startsWith('gemini-3-pro'),
    };
    let behavior = queue.shift() ?? { kind: 'image' };
    while (behavior.kind === 'slow') {
      const { delayMs, then } = behavior;
      const finished = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (!finished) return;
      behavior = then ?? { kind: 'image' };
    }
    switch (behavior.kind) {
      case 'hang-up':
        return req.socket.destroy();
      case 'non-json':
        res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
        return res.end('<html><body>Service temporarily unavailable</body></html>');
      case 'rate-limited':
        return sendJson(
          res,
          429,
          rateLimitBody(behavior, model),
          behavior.retryAfter ? { 'retry-after': behavior.retryAfter } : {},
        );
      case 'error':
        return sendJson(
          res,
          behavior.status,
          googleError(behavior.status, behavior.message, behavior.details),
          behavior.headers,
        );
      default: {
        const out = await answer(ctx, behavior);
        return sendJson(res, out.status, out.body);
      }
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    readBody(req)
      .then((raw) => handle(req, res, url, raw))
      .catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, googleError(500, `fake failed: ${String(error)}`));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...behaviors) => void queue.push(...behaviors),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---- inputs for adapter tests

/** A GenerateInput for tests, 1024x1024 at 1K unless overridden. */
export function geminiInput(overrides: Partial<GenerateInput> = {}): GenerateInput {
  return {
    model: 'gemini-3-pro-image-preview',
    prompt: 'a red fox in the snow',
    n: 1,
    size: { width: 1024, height: 1024, requested: '1024x1024', tier: '1K' },
    quality: 'auto',
    background: 'auto',
    outputFormat: 'png',
    outputCompression: undefined,
    moderation: undefined,
    seed: undefined,
    user: undefined,
    options: {},
    ...overrides,
  };
}

export function fakeInputImage(bytes: Buffer, width = 1, height = 1): InputImage {
  return {
    bytes,
    contentType: 'image/png',
    width,
    height,
    publicUrl: () => Promise.reject(new Error('Gemini takes no image URLs')),
  };
}

export function geminiEditInput(
  images: InputImage[],
  overrides: Partial<EditInput> = {},
): EditInput {
  return { ...geminiInput(), images, mask: undefined, inputFidelity: undefined, ...overrides };
}
