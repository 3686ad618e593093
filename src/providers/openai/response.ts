import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import { imageFormatOf } from '../shared/image-bytes.js';
import type { ImagesUsage, ProviderImage } from '../types.js';

const usageSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  total_tokens: z.number(),
  input_tokens_details: z.object({ text_tokens: z.number(), image_tokens: z.number() }),
});

const itemSchema = z.object({
  b64_json: z.string().nullish(),
  url: z.string().nullish(),
  revised_prompt: z.string().nullish(),
});

const responseSchema = z.object({ data: z.array(z.unknown()), usage: z.unknown().optional() });

export interface ParsedImages {
  images: ProviderImage[];
  usage?: ImagesUsage;
  /** Items that held no usable image (logged by the caller, never returned). */
  dropped: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** PNG, JPEG or WebP by their first bytes: the formats Pixapi accepts from providers. */
function looksLikeImage(bytes: Buffer): boolean {
  const format = imageFormatOf(bytes);
  return format === 'png' || format === 'jpeg' || format === 'webp';
}

/**
 * The common case without scanning the text twice: plain standard base64 with no whitespace.
 * Node's decoder skips characters it does not know, so the output is shorter than the text
 * promises exactly when something was skipped; `-` and `_` (base64url, which Node accepts) are
 * refused here. Undefined sends the text to the strict path.
 */
function decodeCleanBase64(b64: string): Buffer | undefined {
  if (b64.length === 0 || b64.length % 4 === 1 || b64.includes('-') || b64.includes('_')) {
    return undefined;
  }
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length === Math.floor(((b64.length - padding) * 3) / 4) ? bytes : undefined;
}

/**
 * Decodes a base64 image strictly: Node's decoder silently skips bad characters, which would
 * turn a broken answer into junk bytes. Tolerates a `data:image/...;base64,` prefix, which some
 * self-hosted servers add.
 */
export function decodeBase64Image(text: string): Buffer | undefined {
  const fast = text.startsWith('data:') ? undefined : decodeCleanBase64(text);
  if (fast) return looksLikeImage(fast) ? fast : undefined;
  const b64 = text.replace(/^data:image\/[a-z0-9.+-]+;base64,/i, '').replace(/\s+/g, '');
  if (b64 === '' || !BASE64.test(b64) || b64.length % 4 === 1) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  return looksLikeImage(bytes) ? bytes : undefined;
}

/** Usage in OpenAI's shape, or undefined when absent or malformed (it never fails an answer). */
export function parseUsage(value: unknown): ImagesUsage | undefined {
  const parsed = usageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  return {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    total_tokens: u.total_tokens,
    input_tokens_details: {
      text_tokens: u.input_tokens_details.text_tokens,
      image_tokens: u.input_tokens_details.image_tokens,
    },
  };
}

function outputUrl(url: string, baseUrl: string): ProviderImage | undefined {
  if (url.startsWith('data:')) {
    const bytes = decodeBase64Image(url);
    return bytes ? { bytes } : undefined;
  }
  try {
    // Self-hosted servers sometimes answer a path relative to themselves.
    const resolved = new URL(url, `${baseUrl}/`);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:'
      ? { url: resolved.href }
      : undefined;
  } catch {
    return undefined;
  }
}

function toImage(item: unknown, baseUrl: string): ProviderImage | undefined {
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const { b64_json, url, revised_prompt } = parsed.data;
  let image: ProviderImage | undefined;
  if (b64_json) {
    const bytes = decodeBase64Image(b64_json);
    image = bytes ? { bytes } : undefined;
  } else if (url) {
    image = outputUrl(url, baseUrl);
  }
  if (image && revised_prompt) image.revisedPrompt = revised_prompt;
  return image;
}

/**
 * Reads `{created, data: [{b64_json} | {url}, revised_prompt?], usage?}`. Items without a usable
 * image are dropped; an answer with none at all is `invalid_response`.
 *
 * @param baseUrl resolves relative output URLs.
 * @example
 * fromOpenAIImagesResponse({ created: 1, data: [{ b64_json: pngBase64 }] }, 'https://api.openai.com/v1')
 * // { images: [{ bytes: <Buffer 89 50 4e 47 ...> }], dropped: 0 }
 */
export function fromOpenAIImagesResponse(
  provider: string,
  json: unknown,
  baseUrl: string,
): ParsedImages {
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    throw new UpstreamFailure('invalid_response', `${provider} answered without a data array`);
  }
  const images: ProviderImage[] = [];
  for (const item of parsed.data.data) {
    const image = toImage(item, baseUrl);
    if (image) images.push(image);
  }
  if (images.length === 0) {
    throw new UpstreamFailure('invalid_response', `${provider} answered without a usable image`);
  }
  const usage = parseUsage(parsed.data.usage);
  return {
    images,
    ...(usage ? { usage } : {}),
    dropped: parsed.data.data.length - images.length,
  };
}
