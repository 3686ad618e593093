import { invalid, openaiError } from './errors.js';
import type { Json } from './types.js';

/** The models the fake knows, their sizes, and the per-model rules of OpenAI's Images API. */

export const isGpt = (model: string) => /^(gpt-image-|chatgpt-image-)/.test(model);
export const isDallE3 = (model: string) => model === 'dall-e-3';
const KNOWN =
  /^(gpt-image-(1|1-mini|1\.5|2|2\.6-flare|2\.6-sunburst)(-\d{4}-\d{2}-\d{2})?|chatgpt-image-latest|dall-e-[23])$/;

/**
 * OpenAI's published lifecycle (developers.openai.com/api/docs/deprecations): the first day an
 * id no longer answers (404 `model_not_found`), and when the newest ids appeared, so that a fake
 * with a pinned clock knows the models of its day.
 */
export const SHUTDOWNS: Readonly<Record<string, string>> = {
  'dall-e-2': '2026-05-12',
  'dall-e-3': '2026-05-12',
  'gpt-image-1': '2026-10-23',
  'gpt-image-1.5': '2026-12-01',
  'gpt-image-1.5-2025-12-16': '2026-12-01',
  'gpt-image-1-mini': '2026-12-01',
  'chatgpt-image-latest': '2026-12-01',
};
const RELEASES: Readonly<Record<string, string>> = {
  'gpt-image-2.6-flare': '2026-11-04',
  'gpt-image-2.6-sunburst': '2026-11-04',
};
const day = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Whether OpenAI serves `model` at `now`. */
export function isLive(model: string, now: number): boolean {
  const shutdown = SHUTDOWNS[model];
  const release = RELEASES[model];
  return (
    KNOWN.test(model) && (!shutdown || now < day(shutdown)) && (!release || now >= day(release))
  );
}

/** The ids `GET /v1/models` lists at `now` (image models only: all this fake knows). */
export function liveModels(now: number): string[] {
  const ids = [
    'gpt-image-1',
    'gpt-image-1-mini',
    'gpt-image-1.5',
    'gpt-image-1.5-2025-12-16',
    'gpt-image-2',
    'gpt-image-2.6-flare',
    'gpt-image-2.6-sunburst',
    'chatgpt-image-latest',
    'dall-e-2',
    'dall-e-3',
  ];
  return ids.filter((id) => isLive(id, now));
}
export const GPT_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];
const DALL_E_3_SIZES = ['1024x1024', '1792x1024', '1024x1792'];
const DALL_E_2_SIZES = ['256x256', '512x512', '1024x1024'];

export function parseSize(size: string): { width: number; height: number } | undefined {
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

/**
 * OpenAI's `GET /v1/models` answer at `now`: each live id as a `Model` object whose optional
 * `shutdown_date` is the announced date (YYYY-MM-DD) or null.
 */
export function modelList(now: number): Json {
  return {
    object: 'list',
    data: liveModels(now).map((id) => ({
      id,
      object: 'model',
      created: 1_700_000_000,
      owned_by: 'system',
      shutdown_date: SHUTDOWNS[id] ?? null,
    })),
  };
}

/** The per-model rules that the schema alone does not hold. */
export function checkModelRules(body: Json, edit: boolean, now: number): void {
  const model = typeof body.model === 'string' ? body.model : edit ? 'gpt-image-1.5' : 'dall-e-2';
  if (KNOWN.test(model) && !isLive(model, now) && SHUTDOWNS[model]) {
    // What OpenAI answers for an id past its shutdown.
    throw openaiError(
      404,
      `The model \`${model}\` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations`,
      'invalid_request_error',
      null,
      'model_not_found',
    );
  }
  if (!isLive(model, now)) {
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
