import { toCredits } from '../credits.js';
import type { ImagesUsage } from '../providers/types.js';
import type { ImageRequest } from './request.js';

export interface ImageData {
  url?: string;
  b64_json?: string;
  revised_prompt?: string;
}

/** OpenAI's `ImagesResponse` plus Pixapi's additive `model` and `billing`. */
export interface ImagesResponseBody {
  created: number;
  data: ImageData[];
  model: string;
  background?: 'transparent' | 'opaque';
  output_format: string;
  size: string;
  quality?: string;
  usage?: ImagesUsage;
  billing: { images: number; credits: number };
}

// OpenAI's schema enumerates the quality echo; other values are left out rather than sent in a
// shape its SDKs do not expect. `size` is always echoed (what was produced): a client needs it
// for every model, and OpenAI's SDKs read the field as a plain string.
const ECHO_QUALITIES = new Set(['low', 'medium', 'high']);

export function buildImagesResponse(
  request: ImageRequest,
  data: ImageData[],
  chargedMilli: number,
  usage: ImagesUsage | undefined,
): ImagesResponseBody {
  const size = `${request.size.width}x${request.size.height}`;
  return {
    created: Math.floor(Date.now() / 1000),
    data,
    model: request.model.id,
    ...(request.background !== 'auto' ? { background: request.background } : {}),
    output_format: request.outputFormat,
    size,
    ...(ECHO_QUALITIES.has(request.quality) ? { quality: request.quality } : {}),
    ...(usage ? { usage } : {}),
    billing: { images: data.length, credits: toCredits(chargedMilli) },
  };
}
