import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import { decodeDataUri } from '../shared/image-bytes.js';
import type { PollStep } from '../shared/polling.js';
import type { ProviderImage } from '../types.js';

/** Pure parsing of fal's queue answers: the submission, the status and the result. */

const submitSchema = z.object({
  request_id: z.string().min(1),
  status_url: z.url({ protocol: /^https?$/ }),
  response_url: z.url({ protocol: /^https?$/ }),
  // Documented; tolerated when missing (no cancel then).
  cancel_url: z.url({ protocol: /^https?$/ }).optional(),
});

export type FalSubmission = z.infer<typeof submitSchema>;

/** The answer to `POST {base}/{model_id}`; anything without the URLs is invalid_response. */
export function parseFalSubmission(json: unknown): FalSubmission {
  const parsed = submitSchema.safeParse(json);
  if (!parsed.success) {
    throw new UpstreamFailure('invalid_response', 'fal: queue answer without request URLs');
  }
  return parsed.data;
}

const statusSchema = z.object({
  status: z.string(),
  queue_position: z.number().nullish(),
  error: z.string().nullish(),
  error_type: z.string().nullish(),
});

/** A finished request, possibly failed (`error` set). */
export interface FalCompletion {
  error: string | undefined;
  errorType: string | undefined;
}

/**
 * One status poll: IN_QUEUE / IN_PROGRESS → not done; COMPLETED → done (an `error` field is
 * kept for the caller to classify). `FAILED` / `CANCELED` are not in fal's documented enum but
 * appear in some descriptions of the API: tolerated as completions with an error.
 */
export function fromFalStatus(json: unknown): PollStep<FalCompletion> {
  const parsed = statusSchema.safeParse(json);
  if (!parsed.success) {
    throw new UpstreamFailure('invalid_response', 'fal: status answer without a status');
  }
  const { status, error, error_type: errorType } = parsed.data;
  switch (status) {
    case 'IN_QUEUE':
    case 'IN_PROGRESS':
      return { done: false };
    case 'COMPLETED':
      return {
        done: true,
        value: { error: error ?? undefined, errorType: errorType ?? undefined },
      };
    case 'FAILED':
    case 'CANCELED':
    case 'CANCELLED':
      return {
        done: true,
        value: {
          error: error ?? `request ${status.toLowerCase()}`,
          errorType: errorType ?? undefined,
        },
      };
    default:
      throw new UpstreamFailure(
        'invalid_response',
        `fal: unknown request status ${status.slice(0, 40)}`,
      );
  }
}

const fileSchema = z.object({ url: z.string().optional() });

const resultSchema = z.object({
  images: z.array(z.unknown()).optional(),
  // A few fal models answer one `image` rather than a list.
  image: z.unknown().optional(),
  has_nsfw_concepts: z.array(z.unknown()).nullish(),
});

function toProviderImage(file: unknown): ProviderImage | undefined {
  const parsed = fileSchema.safeParse(file);
  const url = parsed.success ? parsed.data.url : undefined;
  if (!url) return undefined;
  // `sync_mode` results are inlined as data URIs.
  if (url.startsWith('data:')) {
    const bytes = decodeDataUri(url);
    return bytes ? { bytes } : undefined;
  }
  return /^https?:\/\//i.test(url) ? { url } : undefined;
}

/**
 * The result at `response_url`: `{images: [{url, content_type, width, height}], seed,
 * has_nsfw_concepts?}`. Images flagged in `has_nsfw_concepts` (fal returns them blacked out)
 * are safety refusals and are dropped; if every image is flagged the request is a `safety`
 * failure. No usable image at all is `invalid_response`.
 */
export function fromFalResult(json: unknown): ProviderImage[] {
  const parsed = resultSchema.safeParse(json);
  if (!parsed.success || typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UpstreamFailure('invalid_response', 'fal: result is not an object');
  }
  const { images, image, has_nsfw_concepts: nsfw } = parsed.data;
  const files = images ?? (image === undefined ? [] : [image]);
  const flagged = (nsfw ?? []).map((f) => f === true);
  const allFlagged = flagged.length > 0 && flagged.every(Boolean);
  if (files.length === 0) {
    if (allFlagged) throw new UpstreamFailure('safety', 'fal: every image was flagged as NSFW');
    throw new UpstreamFailure('invalid_response', 'fal: result without images');
  }
  const kept = files.filter((_, i) => flagged[i] !== true);
  if (kept.length === 0) {
    throw new UpstreamFailure('safety', 'fal: every image was flagged as NSFW', {
      upstreamCode: 'has_nsfw_concepts',
    });
  }
  const out = kept.map(toProviderImage).filter((i): i is ProviderImage => i !== undefined);
  if (out.length === 0) {
    throw new UpstreamFailure('invalid_response', 'fal: result images without usable URLs');
  }
  return out;
}
