import type { ServerResponse } from 'node:http';
import type { FakeOpenAIBehaviour } from './behaviours.js';
import { makeImage } from './images.js';
import type { Format } from './images.js';
import { isDallE3, isGpt } from './models.js';
import { send } from './reply.js';
import type { Json, Mode } from './types.js';
import type { Answer } from './validation.js';

/** What the JSON answer needs from the server: its mode, and a place to host `url` outputs. */
export interface AnswerContext {
  mode: Mode;
  host(bytes: Buffer, format: Format, relative: boolean): string;
}

export function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Token usage as GPT image models report it. */
export function usage(a: Answer) {
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

/** The JSON answer: `data` with base64 or URL images, and what GPT image models add. */
export async function answer(
  res: ServerResponse,
  a: Answer,
  behaviour: FakeOpenAIBehaviour | undefined,
  { mode, host }: AnswerContext,
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
