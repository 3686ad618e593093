import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import sharp from 'sharp';
import { Response as UndiciResponse } from 'undici';

/**
 * A fake of OpenAI's Images API (`/v1/images/generations`, `/v1/images/edits`, SSE streaming)
 * on 127.0.0.1, answering as OpenAI documents: Bearer auth with OpenAI's 401 bodies, bodies
 * validated against OpenAI's published request schemas (unknown fields answer OpenAI's
 * `unknown_parameter` 400), real PNG/JPEG/WebP outputs of the requested size, `usage` for GPT
 * image models and `revised_prompt` for DALL·E 3. Tests script failures per request.
 *
 * `mode: 'compatible'` plays a self-hosted OpenAI-style server instead (LocalAI,
 * stable-diffusion.cpp): no auth, only a few known fields, `url` outputs that it serves itself.
 */

export type FakeOpenAIBehaviour =
  /** 500 and 503 with OpenAI's `server_error` body; 502 with a proxy's HTML page. */
  | { type: 'server_error'; status?: 500 | 502 | 503 }
  /** 429 `rate_limit_exceeded`, with the headers given ("Please try again in 12s" in the text). */
  | { type: 'rate_limit'; retryAfter?: string; retryAfterMs?: string }
  /** 429 `insufficient_quota`: the account is out of credit. */
  | { type: 'insufficient_quota' }
  /** 400 `moderation_blocked` (GPT image models) or `content_policy_violation` (DALL·E). */
  | { type: 'moderation_blocked' }
  /** Any status and body, as given. */
  | { type: 'http_error'; status: number; body: unknown; headers?: Record<string, string> }
  /** 200 with a body that is not JSON. */
  | { type: 'non_json' }
  /** 200 JSON without `data`. */
  | { type: 'no_data' }
  /** 200 with valid base64 that is not an image. */
  | { type: 'not_an_image' }
  /** Answers normally after `ms` (nothing if the client goes away first). */
  | { type: 'slow'; ms: number }
  /** Answers `url` outputs served by the fake (relative to the server when asked). */
  | { type: 'url_outputs'; relative?: boolean }
  /** A streamed answer that sends `partials` partial images, then an `error` event. */
  | { type: 'stream_error'; code?: string; errorType?: string; partials?: number }
  /** A streamed answer that ends without its `completed` event. */
  | { type: 'stream_without_completed' }
  /** A streamed answer that waits `ms` between its partial images and the final image. */
  | { type: 'stream_slow'; ms: number };

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** JSON bodies parsed; multipart text parts (repeated names as arrays). */
  body: Record<string, unknown> | undefined;
  files: RecordedFile[];
}

export interface FakeOpenAIOptions {
  mode?: 'openai' | 'compatible';
  /** The key that the fake accepts (openai mode). */
  apiKey?: string;
  /** Compatible mode: fields accepted besides model, prompt, n, size and response_format. */
  extraFields?: string[];
  /** OpenAI's OpenAPI extract; by default the copy in test/fixtures. */
  schemaPath?: string;
}

export interface FakeOpenAI {
  /** The base URL, with `/v1`, as `OPENAI_BASE_URL` takes it. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Queues a behaviour for the next `times` image requests (after auth and validation). */
  script(behaviour: FakeOpenAIBehaviour, times?: number): void;
  /** Forgets scripted behaviours and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

class FakeError {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function openaiError(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | null,
) {
  return new FakeError(status, { error: { message, type, param, code } });
}

function invalid(message: string, param: string | null, code: string | null) {
  return openaiError(400, message, 'invalid_request_error', param, code);
}

// ---------- request schemas ----------

const DEFAULT_SCHEMA = fileURLToPath(
  new URL('../fixtures/openai-images.openapi.json', import.meta.url),
);

/** OpenAPI 3.0's `nullable` as JSON Schema 2020-12 (Ajv refuses `nullable` without `type`). */
function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalizeNullable(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else if (Array.isArray(out.anyOf)) {
      out.anyOf = [...out.anyOf, { type: 'null' }];
    }
  }
  return out;
}

interface Validators {
  generation: ValidateFunction;
  editForm: ValidateFunction;
  editJson: ValidateFunction;
}

function loadValidators(path: string): Validators {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as {
    components: { schemas: Record<string, Json> };
  };
  const components = normalizeNullable(doc.components) as { schemas: Record<string, Json> };
  for (const name of ['CreateImageRequest', 'CreateImageEditRequest', 'EditImageBodyJsonParam']) {
    components.schemas[name]!.additionalProperties = false;
  }
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true, coerceTypes });
    for (const format of ['binary', 'unixtime', 'uri']) ajv.addFormat(format, true);
    ajv.addSchema({ $id: 'openai-images', components });
    return (name: string) => ajv.getSchema(`openai-images#/components/schemas/${name}`)!;
  };
  const json = make(false);
  // Multipart text parts are strings: coerce them as OpenAI's server does.
  const form = make(true);
  return {
    generation: json('CreateImageRequest'),
    editForm: form('CreateImageEditRequest'),
    editJson: json('EditImageBodyJsonParam'),
  };
}

function schemaError(errors: ErrorObject[] | null | undefined): FakeError {
  const all = errors ?? [];
  const unknown = all.find((e) => e.keyword === 'additionalProperties');
  if (unknown) {
    const name = String(unknown.params.additionalProperty);
    return invalid(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
  }
  const missing = all.find((e) => e.keyword === 'required');
  if (missing) {
    const name = String(missing.params.missingProperty);
    return invalid(`Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
  }
  const first = all.find((e) => e.keyword !== 'anyOf') ?? all[0];
  const param = first?.instancePath.split('/')[1] ?? null;
  if (first?.keyword === 'type') {
    return invalid(
      `Invalid type for '${param}': expected ${String(first.params.type)}.`,
      param,
      'invalid_type',
    );
  }
  if (first?.keyword === 'enum') {
    const values = (first.params.allowedValues as unknown[]).filter((v) => v !== null);
    return invalid(
      `Invalid value. Supported values are: ${values.map((v) => `'${String(v)}'`).join(', ')}.`,
      param,
      'invalid_value',
    );
  }
  return invalid(
    `Invalid '${param}': ${first?.message ?? 'invalid value'}.`,
    param,
    'invalid_value',
  );
}

// ---------- models and sizes ----------

const isGpt = (model: string) => /^(gpt-image-|chatgpt-image-)/.test(model);
const isDallE3 = (model: string) => model === 'dall-e-3';
const KNOWN =
  /^(gpt-image-(1|1-mini|1\.5|2)(-\d{4}-\d{2}-\d{2})?|chatgpt-image-latest|dall-e-[23])$/;
const GPT_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];
const DALL_E_3_SIZES = ['1024x1024', '1792x1024', '1024x1792'];
const DALL_E_2_SIZES = ['256x256', '512x512', '1024x1024'];

function parseSize(size: string): { width: number; height: number } | undefined {
  const m = /^(\d+)x(\d+)$/.exec(size);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}

function gptImage2SizeOk(size: string): boolean {
  const s = parseSize(size);
  if (!s) return size === 'auto';
  const { width: w, height: h } = s;
  const pixels = w * h;
  return (
    w % 16 === 0 &&
    h % 16 === 0 &&
    Math.max(w, h) <= 3840 &&
    Math.max(w / h, h / w) <= 3 &&
    pixels >= 655_360 &&
    pixels <= 8_294_400
  );
}

function checkSize(model: string, size: string): void {
  const listed = isDallE3(model)
    ? DALL_E_3_SIZES
    : model === 'dall-e-2'
      ? DALL_E_2_SIZES
      : GPT_SIZES;
  const ok = model.startsWith('gpt-image-2') ? gptImage2SizeOk(size) : listed.includes(size);
  if (!ok) {
    throw invalid(
      `Invalid value: '${size}'. Supported values are: ${listed.map((s) => `'${s}'`).join(', ')}.`,
      'size',
      'invalid_value',
    );
  }
}

/** The per-model rules that the schema alone does not hold. */
function checkModelRules(body: Json, edit: boolean): void {
  const model = typeof body.model === 'string' ? body.model : edit ? 'gpt-image-1.5' : 'dall-e-2';
  if (!KNOWN.test(model)) {
    throw openaiError(
      404,
      `The model '${model}' does not exist.`,
      'invalid_request_error',
      'model',
      'model_not_found',
    );
  }
  const present = (name: string) => body[name] !== undefined && body[name] !== null;
  if (isGpt(model)) {
    if (present('response_format'))
      throw invalid(
        "Unknown parameter: 'response_format'.",
        'response_format',
        'unknown_parameter',
      );
    if (present('style'))
      throw invalid("Unknown parameter: 'style'.", 'style', 'unknown_parameter');
    if (body.quality === 'standard' || body.quality === 'hd') {
      throw invalid(
        `Invalid value: '${String(body.quality)}'. Supported values are: 'low', 'medium', 'high', and 'auto'.`,
        'quality',
        'invalid_value',
      );
    }
    if (body.background === 'transparent' && body.output_format === 'jpeg') {
      throw invalid(
        'Transparent background requires output_format png or webp.',
        'background',
        'invalid_value',
      );
    }
    if (model.startsWith('gpt-image-1-mini') && present('input_fidelity')) {
      throw invalid(
        `input_fidelity is not supported for ${model}.`,
        'input_fidelity',
        'unsupported_parameter',
      );
    }
  } else {
    for (const name of [
      'output_format',
      'output_compression',
      'background',
      'moderation',
      'partial_images',
      'input_fidelity',
    ]) {
      if (present(name)) throw invalid(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
    }
    if (body.stream === true)
      throw invalid(`Streaming is not supported for ${model}.`, 'stream', 'unsupported_parameter');
  }
  if (isDallE3(model)) {
    if (edit) throw invalid('dall-e-3 does not support image edits.', 'model', 'invalid_value');
    if (present('n') && body.n !== 1)
      throw invalid('You must provide n=1 for this model.', 'n', 'invalid_value');
    if (present('quality') && !['standard', 'hd'].includes(String(body.quality))) {
      throw invalid(
        `Invalid value: '${String(body.quality)}'. Supported values are: 'standard' and 'hd'.`,
        'quality',
        'invalid_value',
      );
    }
  }
  if (typeof body.size === 'string') checkSize(model, body.size);
}

// ---------- images ----------

const COLOURS = ['#c33', '#36c', '#3a3', '#c93', '#939', '#399'];
type Format = 'png' | 'jpeg' | 'webp';

async function makeImage(
  width: number,
  height: number,
  format: Format,
  index: number,
  transparent: boolean,
) {
  const colour = COLOURS[index % COLOURS.length]!;
  const image = sharp({
    create: {
      width,
      height,
      channels: 4,
      background: transparent ? { r: 0, g: 0, b: 0, alpha: 0 } : colour,
    },
  });
  if (format === 'jpeg')
    return image.flatten({ background: colour }).jpeg({ quality: 60 }).toBuffer();
  if (format === 'webp') return image.webp({ quality: 60 }).toBuffer();
  return image.png({ compressionLevel: 2 }).toBuffer();
}

// ---------- HTTP plumbing ----------

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const raw = typeof body === 'string' || Buffer.isBuffer(body);
  res.writeHead(status, { 'content-type': raw ? 'text/plain' : 'application/json', ...headers });
  res.end(raw ? body : JSON.stringify(body));
}

function mask(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : '*****';
}

interface ParsedRequest {
  body: Json;
  files: RecordedFile[];
  multipart: boolean;
}

async function parseRequest(
  req: IncomingMessage,
  raw: Buffer,
  edit: boolean,
): Promise<ParsedRequest> {
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('application/json')) {
    try {
      const body: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new Error('not an object');
      return { body: body as Json, files: [], multipart: false };
    } catch {
      throw invalid(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        null,
        null,
      );
    }
  }
  if (edit && contentType.startsWith('multipart/form-data')) {
    const form = await new UndiciResponse(raw, {
      headers: { 'content-type': contentType },
    }).formData();
    const body: Json = {};
    const files: RecordedFile[] = [];
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        const prev = body[name];
        body[name] =
          prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      } else {
        files.push({
          field: name,
          filename: value.name,
          contentType: value.type,
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { body, files, multipart: true };
  }
  throw invalid(
    `Invalid Content-Type header (${contentType || 'none'}), expected ${edit ? 'multipart/form-data or application/json' : 'application/json'}.`,
    null,
    'invalid_content_type',
  );
}

const EXTENSIONS: Record<string, string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/webp': ['webp'],
};

/** OpenAI checks each upload's type and that it decodes; returns the first image's size. */
async function checkFiles(files: RecordedFile[]): Promise<{ width: number; height: number }> {
  const images = files.filter((f) => f.field === 'image' || f.field === 'image[]');
  if (images.length === 0)
    throw invalid("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
  if (images.length > 16) throw invalid('Too many images: at most 16.', 'image', 'invalid_value');
  const unknown = files.find((f) => !['image', 'image[]', 'mask'].includes(f.field));
  if (unknown)
    throw invalid(`Unknown parameter: '${unknown.field}'.`, unknown.field, 'unknown_parameter');
  let first: { width: number; height: number } | undefined;
  for (const file of files) {
    const ext = file.filename.split('.').pop()?.toLowerCase() ?? '';
    if (
      !EXTENSIONS[file.contentType]?.includes(ext) ||
      (file.field === 'mask' && file.contentType !== 'image/png')
    ) {
      throw invalid(
        `Invalid file '${file.field}': unsupported mimetype ('${file.contentType}'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.`,
        file.field,
        'unsupported_file_mimetype',
      );
    }
    const meta = await sharp(file.bytes)
      .metadata()
      .catch(() => undefined);
    if (!meta?.width || !meta.height) {
      throw invalid(
        `Invalid image file for '${file.field}', please check your image file.`,
        file.field,
        'invalid_image_file',
      );
    }
    if (file.field !== 'mask') first ??= { width: meta.width, height: meta.height };
  }
  return first!;
}

// ---------- the server ----------

interface Answer {
  model: string;
  n: number;
  width: number;
  height: number;
  format: Format;
  transparent: boolean;
  wantsUrl: boolean;
  edit: boolean;
  body: Json;
  inputImages: number;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const mode = options.mode ?? 'openai';
  const apiKey = options.apiKey ?? 'sk-fake-openai-test-key-0123456789';
  const validators =
    mode === 'openai' ? loadValidators(options.schemaPath ?? DEFAULT_SCHEMA) : undefined;
  const compatibleFields = new Set([
    'model',
    'prompt',
    'n',
    'size',
    'response_format',
    ...(options.extraFields ?? []),
  ]);
  const requests: RecordedRequest[] = [];
  const queue: FakeOpenAIBehaviour[] = [];
  const hosted = new Map<string, { bytes: Buffer; type: string }>();
  let baseOrigin = '';

  function host(bytes: Buffer, format: Format, relative: boolean): string {
    const name = `${randomBytes(8).toString('hex')}.${format === 'jpeg' ? 'jpg' : format}`;
    hosted.set(name, { bytes, type: `image/${format}` });
    return relative ? `/files/${name}` : `${baseOrigin}/files/${name}`;
  }

  function checkAuth(req: IncomingMessage): void {
    if (mode !== 'openai') return;
    const header = req.headers.authorization;
    if (!header) {
      throw invalid401(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        null,
      );
    }
    const given = header.replace(/^Bearer\s+/i, '');
    if (!/^Bearer\s+/i.test(header) || given !== apiKey) {
      throw invalid401(
        `Incorrect API key provided: ${mask(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_api_key',
      );
    }
  }

  function invalid401(message: string, code: string | null) {
    return openaiError(401, message, 'invalid_request_error', null, code);
  }

  async function validate(parsed: ParsedRequest, edit: boolean): Promise<Answer> {
    const { body } = parsed;
    let inputSize: { width: number; height: number } | undefined;
    if (mode === 'compatible') {
      const unknown = Object.keys(body).find((k) => !compatibleFields.has(k));
      if (unknown) throw invalid(`Unknown parameter: '${unknown}'.`, unknown, 'unknown_parameter');
      if (typeof body.prompt !== 'string')
        throw invalid(
          "Missing required parameter: 'prompt'.",
          'prompt',
          'missing_required_parameter',
        );
      if (edit) inputSize = await checkFiles(parsed.files);
    } else {
      const form = parsed.multipart
        ? { ...body, image: parsed.files.filter((f) => f.field !== 'mask').map(() => 'file') }
        : body;
      if (parsed.multipart && parsed.files.some((f) => f.field === 'mask')) form.mask = 'file';
      delete form['image[]'];
      const validator = !edit
        ? validators!.generation
        : parsed.multipart
          ? validators!.editForm
          : validators!.editJson;
      if (!validator(form)) throw schemaError(validator.errors);
      // The multipart validator coerced "2" to 2 and "true" to true in `form`.
      Object.assign(
        body,
        Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'image' && k !== 'mask')),
      );
      checkModelRules(body, edit);
      if (edit && parsed.multipart) inputSize = await checkFiles(parsed.files);
    }
    const model = typeof body.model === 'string' ? body.model : edit ? 'gpt-image-1.5' : 'dall-e-2';
    const size = typeof body.size === 'string' ? body.size : 'auto';
    const dims = parseSize(size) ?? (edit && inputSize ? inputSize : { width: 1024, height: 1024 });
    const n = Number(body.n ?? 1);
    return {
      model,
      n,
      ...dims,
      format:
        (mode === 'openai' && isGpt(model)
          ? (body.output_format as Format | undefined)
          : undefined) ?? 'png',
      transparent: body.background === 'transparent',
      // DALL·E answers URLs unless asked for base64; compatible servers answer URLs anyway.
      wantsUrl: mode === 'compatible' || (!isGpt(model) && body.response_format !== 'b64_json'),
      edit,
      body,
      inputImages: parsed.files.filter((f) => f.field !== 'mask').length,
    };
  }

  function usage(a: Answer) {
    const text = Math.ceil(String(a.body.prompt ?? '').length / 4);
    const image = a.inputImages * 194;
    const output = 1056 * a.n;
    return {
      input_tokens: text + image,
      output_tokens: output,
      total_tokens: text + image + output,
      input_tokens_details: { text_tokens: text, image_tokens: image },
    };
  }

  async function answer(
    res: ServerResponse,
    a: Answer,
    behaviour: FakeOpenAIBehaviour | undefined,
  ) {
    if (behaviour?.type === 'non_json')
      return send(res, 200, '<html><body>upstream connect error</body></html>', {
        'content-type': 'application/json',
      });
    if (behaviour?.type === 'no_data') return send(res, 200, { created: now() });
    const urls = behaviour?.type === 'url_outputs' || a.wantsUrl;
    const relative = behaviour?.type === 'url_outputs' && behaviour.relative === true;
    const data: Json[] = [];
    for (let i = 0; i < a.n; i++) {
      const bytes =
        behaviour?.type === 'not_an_image'
          ? Buffer.from('this is certainly not an image')
          : await makeImage(a.width, a.height, a.format, i, a.transparent);
      const item: Json = urls
        ? { url: host(bytes, a.format, relative) }
        : { b64_json: bytes.toString('base64') };
      if (isDallE3(a.model) && mode === 'openai')
        item.revised_prompt = `A vivid rendering of: ${String(a.body.prompt)}`;
      data.push(item);
    }
    const result: Json = { created: now(), data };
    if (isGpt(a.model) && mode === 'openai') {
      const size = `${a.width}x${a.height}`;
      result.background = a.transparent ? 'transparent' : 'opaque';
      result.output_format = a.format;
      if (['1024x1024', '1024x1536', '1536x1024'].includes(size)) result.size = size;
      result.quality = ['low', 'medium', 'high'].includes(String(a.body.quality))
        ? a.body.quality
        : 'medium';
      result.usage = usage(a);
    }
    send(res, 200, result);
  }

  async function streamAnswer(
    res: ServerResponse,
    a: Answer,
    behaviour: FakeOpenAIBehaviour | undefined,
  ) {
    const prefix = a.edit ? 'image_edit' : 'image_generation';
    const partials =
      behaviour?.type === 'stream_error'
        ? (behaviour.partials ?? 1)
        : Number(a.body.partial_images ?? 0);
    const common = {
      size: GPT_SIZES.includes(`${a.width}x${a.height}`) ? `${a.width}x${a.height}` : 'auto',
      quality: ['low', 'medium', 'high'].includes(String(a.body.quality)) ? a.body.quality : 'auto',
      background: a.transparent ? 'transparent' : 'opaque',
      output_format: a.format,
    };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    const write = async (event: string, data: Json) => {
      // Split each event across two writes so that readers meet chunk boundaries.
      const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      const cut = Math.floor(text.length / 2);
      res.write(text.slice(0, cut));
      await new Promise((resolve) => setImmediate(resolve));
      res.write(text.slice(cut));
    };
    for (let i = 0; i < a.n; i++) {
      const partial = (await makeImage(64, 64, 'png', i, a.transparent)).toString('base64');
      for (let p = 0; p < partials; p++) {
        await write(`${prefix}.partial_image`, {
          type: `${prefix}.partial_image`,
          b64_json: partial,
          created_at: now(),
          ...common,
          partial_image_index: p,
        });
      }
      if (behaviour?.type === 'stream_error') {
        const code = behaviour.code ?? 'server_error';
        await write('error', {
          type: 'error',
          error: {
            type: behaviour.errorType ?? 'server_error',
            code,
            message: `Stream failed: ${code}`,
            param: null,
          },
        });
        return res.end();
      }
      if (behaviour?.type === 'stream_without_completed') return res.end();
      if (behaviour?.type === 'stream_slow') {
        const closed = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), behaviour.ms);
          res.once('close', () => {
            clearTimeout(timer);
            resolve(true);
          });
        });
        if (closed) return;
      }
      const bytes = await makeImage(a.width, a.height, a.format, i, a.transparent);
      await write(`${prefix}.completed`, {
        type: `${prefix}.completed`,
        b64_json: bytes.toString('base64'),
        created_at: now(),
        ...common,
        usage: usage(a),
      });
    }
    res.end();
  }

  function scriptedFailure(behaviour: FakeOpenAIBehaviour, model: string): FakeError | undefined {
    switch (behaviour.type) {
      case 'server_error': {
        const status = behaviour.status ?? 500;
        if (status === 502)
          return new FakeError(
            502,
            '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>',
            { 'content-type': 'text/html' },
          );
        const message =
          status === 503
            ? 'The engine is currently overloaded, please try again later.'
            : 'The server had an error while processing your request. Sorry about that!';
        return openaiError(status, message, 'server_error', null, null);
      }
      case 'rate_limit': {
        const headers: Record<string, string> = {
          'x-ratelimit-limit-requests': '5',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '12s',
        };
        if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
        if (behaviour.retryAfterMs !== undefined)
          headers['retry-after-ms'] = behaviour.retryAfterMs;
        const error = openaiError(
          429,
          `Rate limit reached for ${model} in organization org-fake on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in 12s.`,
          'requests',
          null,
          'rate_limit_exceeded',
        );
        return new FakeError(429, error.body, headers);
      }
      case 'insufficient_quota':
        return openaiError(
          429,
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
          'insufficient_quota',
          null,
          'insufficient_quota',
        );
      case 'moderation_blocked':
        return isGpt(model)
          ? openaiError(
              400,
              'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID req_fake.',
              'image_generation_user_error',
              null,
              'moderation_blocked',
            )
          : invalid(
              'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
              null,
              'content_policy_violation',
            );
      case 'http_error':
        return new FakeError(behaviour.status, behaviour.body, behaviour.headers);
      default:
        return undefined;
    }
  }

  async function handleImages(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    edit: boolean,
  ) {
    const raw = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body: undefined,
      files: [],
    };
    requests.push(recorded);
    checkAuth(req);
    const parsed = await parseRequest(req, raw, edit);
    recorded.body = { ...parsed.body };
    recorded.files = parsed.files;
    const a = await validate(parsed, edit);
    const behaviour = queue.shift();
    if (behaviour) {
      const failure = scriptedFailure(behaviour, a.model);
      if (failure) throw failure;
      if (behaviour.type === 'slow') {
        const gone = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), behaviour.ms);
          res.once('close', () => {
            clearTimeout(timer);
            resolve(true);
          });
        });
        if (gone) return;
      }
    }
    if (a.body.stream === true && mode === 'openai') return streamAnswer(res, a, behaviour);
    return answer(res, a, behaviour);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const requestId = `req_${randomBytes(12).toString('hex')}`;
    res.setHeader('x-request-id', requestId);
    const route = async () => {
      if (req.method === 'GET' && path.startsWith('/files/')) {
        const file = hosted.get(path.slice('/files/'.length));
        return file
          ? send(res, 200, file.bytes, { 'content-type': file.type })
          : send(res, 404, 'not found');
      }
      if (req.method === 'POST' && path === '/v1/images/generations')
        return handleImages(req, res, path, false);
      if (req.method === 'POST' && path === '/v1/images/edits')
        return handleImages(req, res, path, true);
      throw openaiError(
        404,
        `Invalid URL (${req.method ?? 'GET'} ${path})`,
        'invalid_request_error',
        null,
        null,
      );
    };
    route().catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof FakeError) return send(res, error.status, error.body, error.headers);
      console.error('fake openai failed', error);
      send(res, 500, {
        error: {
          message: `fake failure: ${String(error)}`,
          type: 'fake_error',
          param: null,
          code: null,
        },
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseOrigin = `http://127.0.0.1:${port}`;

  return {
    url: `${baseOrigin}/v1`,
    apiKey,
    requests,
    script(behaviour, times = 1) {
      for (let i = 0; i < times; i++) queue.push(behaviour);
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
