import { nearestAspectRatio } from '../shared/aspect-ratio.js';
import type { EditInput, GenerateInput } from '../types.js';
import { compact, optionsWithout, type WireFields } from '../openai/request.js';

/**
 * Pure mapping of Pixapi's request to xAI's Images API (`grok-imagine-image`): OpenAI's shape,
 * but sized by `aspect_ratio` (no `size`, `quality`, `background` or `output_format`), and edits
 * as JSON with the source images inline (1 to 3).
 */

/** The ratios xAI documents for grok-imagine-image. */
export const XAI_ASPECT_RATIOS = [
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
] as const;

export const XAI_MAX_INPUT_IMAGES = 3;

const ADAPTER_OWNED = ['model', 'prompt', 'n', 'response_format', 'image', 'images'];

/**
 * @example
 * toXaiGenerationBody({ model: 'grok-imagine-image', prompt: 'a fox', n: 2, size: 1536x1024 ... })
 * // { model: 'grok-imagine-image', prompt: 'a fox', n: 2, response_format: 'b64_json',
 * //   aspect_ratio: '3:2' }
 */
export function toXaiGenerationBody(input: GenerateInput): WireFields {
  return compact({
    model: input.model,
    prompt: input.prompt,
    n: input.n,
    // Pixapi stores the bytes either way; base64 saves a download from xAI's temporary URLs.
    response_format: 'b64_json',
    aspect_ratio: nearestAspectRatio(input.size.width, input.size.height, XAI_ASPECT_RATIOS),
    user: input.user,
    ...optionsWithout(input.options, ADAPTER_OWNED),
  });
}

function dataUrl(image: EditInput['images'][number]): { type: 'image_url'; url: string } {
  return {
    type: 'image_url',
    url: `data:${image.contentType};base64,${image.bytes.toString('base64')}`,
  };
}

/**
 * One source image as `image`, several as `images` (unsure: xAI's reference shows `image` for
 * one; the list form is what its multi-image edit examples send). No mask: xAI edits by prompt.
 * An edit keeps the source's framing unless the client asked a size.
 */
export function toXaiEditBody(input: EditInput): WireFields {
  const images = input.images.slice(0, XAI_MAX_INPUT_IMAGES).map(dataUrl);
  const body = toXaiGenerationBody(input);
  if (input.size.requested === 'auto') delete body.aspect_ratio;
  return images.length === 1 ? { ...body, image: images[0] } : { ...body, images };
}
