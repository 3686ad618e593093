import { toCredits } from '../billing/credits.js';
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
  size?: string;
  quality?: string;
  usage?: ImagesUsage;
  billing: { images: number; credits: number };
}

// OpenAI's schema enumerates these echo fields; other values are left out rather than sent
// in a shape its SDKs do not expect (API.md).
const ECHO_SIZES = new Set(['1024x1024', '1024x1536', '1536x1024']);
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
    ...(ECHO_SIZES.has(size) ? { size } : {}),
    ...(ECHO_QUALITIES.has(request.quality) ? { quality: request.quality } : {}),
    ...(usage ? { usage } : {}),
    billing: { images: data.length, credits: toCredits(chargedMilli) },
  };
}
