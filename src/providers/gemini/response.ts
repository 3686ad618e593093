import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import { parseJsonOrUndefined } from '../shared/http.js';
import { imageFormatOf } from '../shared/image-bytes.js';
import type { ImagesUsage } from '../types.js';
import { toImagesUsage, usageSchema } from './usage.js';

/**
 * finishReasons that mean a safety or policy system withheld the image (→ `safety`).
 *
 * PROVIDERS.md also lists NO_IMAGE and OTHER under safety. Google documents NO_IMAGE as "the model
 * was expected to generate an image, but none was generated" and OTHER as an unspecified reason;
 * neither names a policy, and NO_IMAGE mostly answers prompts that read as questions. Calling them
 * a content-policy violation would tell the client something false, so they are `terminal`
 * (below). IMAGE_OTHER stays here: it is documented as unspecified too, but it comes with
 * "Unable to show the generated image ... you will not be charged", i.e. the output filter.
 */
export const SAFETY_FINISH_REASONS: ReadonlySet<string> = new Set([
  'SAFETY',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'RECITATION',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'IMAGE_OTHER',
]);

/** finishReasons where the model declined to draw for no stated policy reason (→ `terminal`). */
export const DECLINED_FINISH_REASONS: ReadonlySet<string> = new Set(['NO_IMAGE', 'OTHER']);

const inlineDataSchema = z.looseObject({ mimeType: z.string().optional(), data: z.string() });
const partSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  inlineData: inlineDataSchema.optional(),
});
const candidateSchema = z.looseObject({
  content: z.looseObject({ parts: z.array(partSchema).nullish() }).nullish(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
});
const responseSchema = z.looseObject({
  candidates: z.array(candidateSchema).nullish(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).nullish(),
  usageMetadata: usageSchema.nullish(),
});

export interface GeminiImage {
  bytes: Buffer;
  mimeType: string;
  usage: ImagesUsage | undefined;
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Renames snake_case keys to camelCase at every depth. The REST API answers in camelCase, but
 * proxies and SDK dumps give `inline_data`/`mime_type`/`finish_reason`; this reads both.
 */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[camel(key)] = camelKeys(inner);
  return out;
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Strict base64 (standard or URL-safe alphabet) to bytes, refusing what does not start like a
 * PNG, JPEG, WebP or GIF, so that corrupted data never passes for an image (Buffer.from alone
 * skips invalid characters).
 */
export function decodeImageData(data: string): Buffer | undefined {
  const compact = data.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  return imageFormatOf(bytes) === undefined ? undefined : bytes;
}

function invalid(message: string, upstreamCode?: string): UpstreamFailure {
  return new UpstreamFailure('invalid_response', message, { status: 200, upstreamCode });
}

/**
 * Reads one generateContent answer (HTTP 200) into its image, or throws the UpstreamFailure it
 * amounts to: a prompt block or a safety finishReason → `safety`; NO_IMAGE/OTHER → `terminal`;
 * anything else without a decodable image → `invalid_response`.
 *
 * Thought parts (`thought: true`, the interim drafts of Gemini 3 Pro) and text parts are skipped;
 * the first remaining image is the answer (one image per call).
 *
 * A missing finishReason is tolerated when an image is there: the REST API always sets it, but
 * proxies in front of it (GEMINI_BASE_URL) sometimes drop it, and the image itself is checked.
 * Any other finishReason than STOP fails the call, per PROVIDERS.md, even with an image.
 */
export function fromGenerateContentResponse(bodyText: string): GeminiImage {
  const json = parseJsonOrUndefined(bodyText);
  if (json === undefined) throw invalid('Gemini answered HTTP 200 with a body that is not JSON');
  const parsed = responseSchema.safeParse(camelKeys(json));
  if (!parsed.success) throw invalid('Gemini answered HTTP 200 with an unexpected JSON shape');
  const { candidates, promptFeedback, usageMetadata } = parsed.data;

  const blockReason = promptFeedback?.blockReason;
  if (blockReason && blockReason !== 'BLOCK_REASON_UNSPECIFIED') {
    throw new UpstreamFailure('safety', `Gemini blocked the prompt (${blockReason})`, {
      status: 200,
      upstreamCode: blockReason,
    });
  }
  const candidate = candidates?.[0];
  if (!candidate) throw invalid('Gemini answered without a candidate');
  const finishReason = candidate.finishReason;
  if (finishReason && SAFETY_FINISH_REASONS.has(finishReason)) {
    throw new UpstreamFailure('safety', `Gemini withheld the image (${finishReason})`, {
      status: 200,
      upstreamCode: finishReason,
    });
  }
  if (finishReason && DECLINED_FINISH_REASONS.has(finishReason)) {
    throw new UpstreamFailure('terminal', `Gemini made no image (${finishReason})`, {
      status: 200,
      upstreamCode: finishReason,
    });
  }

  const parts = (candidate.content?.parts ?? []).filter((p) => p.thought !== true);
  const image = parts.find(
    (p) => p.inlineData && (p.inlineData.mimeType ?? 'image/').startsWith('image/'),
  )?.inlineData;
  if (!image) {
    const text = parts
      .map((p) => p.text ?? '')
      .join(' ')
      .trim();
    const said = text ? `; it said: ${text.slice(0, 200)}` : '';
    throw invalid(
      `Gemini answered without an image (${finishReason ?? 'no finishReason'})${said}`,
      finishReason,
    );
  }
  if (finishReason !== undefined && finishReason !== 'STOP') {
    throw invalid(`Gemini stopped with ${finishReason}`, finishReason);
  }
  const bytes = decodeImageData(image.data);
  if (!bytes) throw invalid('Gemini answered with an image part that is not a decodable image');
  return {
    bytes,
    mimeType: image.mimeType ?? 'image/png',
    usage: usageMetadata ? toImagesUsage(usageMetadata) : undefined,
  };
}
