import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonOrText, readText, sendJson } from '../shared/http.js';
import { solidImage } from '../shared/images.js';
import { RequestLog } from '../shared/request-log.js';
import { listenLocal } from '../shared/server.js';

export const XAI_FAKE_KEY = 'xai-fake-key-0123456789';

export interface XaiRecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeXai {
  /** The base URL, with `/v1`, as XAI_BASE_URL takes it. */
  url: string;
  requests: XaiRecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

const RATIOS = new Set([
  '1:1',
  '16:9',
  '9:16',
  '4:3',
  '3:4',
  '3:2',
  '2:3',
  '2:1',
  '1:2',
  '20:9',
  '9:20',
  '19.5:9',
  '9:19.5',
]);
const FIELDS = new Set([
  'model',
  'prompt',
  'n',
  'response_format',
  'aspect_ratio',
  'resolution',
  'user',
]);
const EDIT_FIELDS = new Set([...FIELDS, 'image', 'images']);

class XaiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new XaiError(400, 'invalid_request_error', message);

function isImageRef(value: unknown): boolean {
  const ref = value as { url?: unknown };
  return (
    typeof ref === 'object' &&
    ref !== null &&
    typeof ref.url === 'string' &&
    /^(data:image\/|https?:)/.test(ref.url)
  );
}

/** The pixel size xAI renders for a ratio (about one megapixel, multiples of 8). */
function sizeOf(ratio: string): { width: number; height: number } {
  const [w, h] = ratio.split(':').map(Number) as [number, number];
  const scale = Math.sqrt((1024 * 1024) / (w * h));
  return { width: Math.round((w * scale) / 8) * 8, height: Math.round((h * scale) / 8) * 8 };
}

/** Checks a body as xAI's Images API does; answers the images as JPEG (what xAI writes). */
async function answer(body: unknown, edit: boolean) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Request body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  const known = edit ? EDIT_FIELDS : FIELDS;
  for (const key of Object.keys(fields)) {
    if (!known.has(key)) throw invalid(`Unknown field: ${key}`);
  }
  if (fields.model !== 'grok-imagine-image') {
    throw new XaiError(404, 'model_not_found', `The model ${String(fields.model)} does not exist.`);
  }
  if (typeof fields.prompt !== 'string' || fields.prompt === '')
    throw invalid('prompt is required');
  const n = fields.n ?? 1;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 10)
    throw invalid('n must be 1 to 10');
  const ratio = fields.aspect_ratio ?? '1:1';
  if (!RATIOS.has(String(ratio))) throw invalid(`Unsupported aspect_ratio: ${String(ratio)}`);
  if (
    fields.response_format !== undefined &&
    !['url', 'b64_json'].includes(String(fields.response_format))
  ) {
    throw invalid('response_format must be url or b64_json');
  }
  if (edit) {
    const list = fields.images;
    const ok =
      fields.image !== undefined
        ? list === undefined && isImageRef(fields.image)
        : Array.isArray(list) && list.length >= 1 && list.length <= 3 && list.every(isImageRef);
    if (!ok) throw invalid('Provide image, or images with 1 to 3 entries of {url}.');
  }
  const { width, height } = sizeOf(String(ratio));
  const bytes = await solidImage({ width, height, background: '#2a6', format: 'jpeg' });
  return {
    data: Array.from({ length: n as number }, () => ({
      b64_json: bytes.toString('base64'),
      revised_prompt: '',
    })),
  };
}

/**
 * A fake of xAI's Images API on 127.0.0.1: `POST /v1/images/generations` and JSON
 * `POST /v1/images/edits`, Bearer auth, OpenAI-shaped answers and errors, `aspect_ratio` instead
 * of `size`, 1 to 3 inline source images for edits, unknown fields refused.
 */
export async function startFakeXai(): Promise<FakeXai> {
  const log = new RequestLog<XaiRecordedRequest>();
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0]!;
    const body = jsonOrText(await readText(req));
    log.record({ method: req.method ?? '', path, headers: req.headers, body });
    if (req.headers.authorization !== `Bearer ${XAI_FAKE_KEY}`) {
      throw new XaiError(401, 'invalid_api_key', 'Incorrect API key provided.');
    }
    if (req.method === 'POST' && path === '/v1/images/generations')
      return sendJson(res, 200, await answer(body, false));
    if (req.method === 'POST' && path === '/v1/images/edits')
      return sendJson(res, 200, await answer(body, true));
    throw new XaiError(404, 'not_found', `No route ${req.method ?? ''} ${path}`);
  }
  const server = await listenLocal(handle, (res, error) => {
    const e = error instanceof XaiError ? error : new XaiError(500, 'server_error', String(error));
    sendJson(res, e.status, {
      error: { message: e.message, type: 'invalid_request_error', param: null, code: e.code },
    });
  });
  return {
    url: `${server.origin}/v1`,
    requests: log.entries,
    reset: () => void log.entries.splice(0),
    close: () => server.close(),
  };
}
