import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import { decodeDataUri } from '../shared/image-bytes.js';
import type { ProviderImage } from '../types.js';
import { classifyPredictionError } from './errors.js';

/** Pure parsing of Replicate's prediction object. */

const httpUrl = z.url({ protocol: /^https?$/ });

const predictionSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  urls: z.object({ get: httpUrl.optional(), cancel: httpUrl.optional() }).partial().nullish(),
});

export interface Prediction {
  id: string;
  status: string;
  output: unknown;
  error: unknown;
  getUrl: string | undefined;
  cancelUrl: string | undefined;
}

/** A prediction answer; anything without an id and a status is invalid_response. */
export function parsePrediction(json: unknown): Prediction {
  const parsed = predictionSchema.safeParse(json);
  if (!parsed.success) {
    throw new UpstreamFailure('invalid_response', 'replicate: answer is not a prediction');
  }
  const { id, status, output, error, urls } = parsed.data;
  return { id, status, output, error, getUrl: urls?.get, cancelUrl: urls?.cancel };
}

function toProviderImage(value: unknown): ProviderImage | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('data:')) {
    const bytes = decodeDataUri(value);
    return bytes ? { bytes } : undefined;
  }
  return /^https?:\/\//i.test(value) ? { url: value } : undefined;
}

/**
 * The outputs of a succeeded prediction: a URL, or a list of URLs (data URIs are decoded).
 * No usable output is `invalid_response`: the API promised images.
 */
export function fromReplicateOutput(output: unknown): ProviderImage[] {
  const values = Array.isArray(output) ? output : [output];
  const images = values.map(toProviderImage).filter((i): i is ProviderImage => i !== undefined);
  if (images.length === 0) {
    throw new UpstreamFailure('invalid_response', 'replicate: succeeded without an image output');
  }
  return images;
}

export type PredictionOutcome =
  | { state: 'pending' }
  | { state: 'succeeded'; images: ProviderImage[] }
  | { state: 'failed'; failure: UpstreamFailure };

/**
 * Where a prediction stands: `starting` / `processing` → pending; `succeeded` → its images;
 * `failed` → its error classified. `canceled` (or `aborted`, a newer status for predictions
 * stopped before they ran) when we did not ask for it means someone or something else stopped
 * it (a dashboard, a deadline): nothing says the input is at fault, so it is retryable.
 */
export function predictionOutcome(prediction: Prediction): PredictionOutcome {
  switch (prediction.status) {
    case 'starting':
    case 'processing':
      return { state: 'pending' };
    case 'succeeded':
      try {
        return { state: 'succeeded', images: fromReplicateOutput(prediction.output) };
      } catch (error) {
        if (error instanceof UpstreamFailure) return { state: 'failed', failure: error };
        throw error;
      }
    case 'failed':
      return { state: 'failed', failure: classifyPredictionError(prediction.error) };
    case 'canceled':
    case 'aborted':
      return {
        state: 'failed',
        failure: new UpstreamFailure('retryable', `replicate: prediction ${prediction.status}`),
      };
    default:
      return {
        state: 'failed',
        failure: new UpstreamFailure(
          'invalid_response',
          `replicate: unknown prediction status ${prediction.status.slice(0, 40)}`,
        ),
      };
  }
}
