import sharp from 'sharp';
import { cachedSolidImage } from '../shared/images.js';
import { field } from './fields.js';
import { MODEL_LIMITS } from './models.js';
import type { Context } from './types.js';

/** The image part of an answer: a real image of the size the request's ratio and tier ask for. */

function nearestRatio(width: number, height: number, ratios: string[]): string {
  const ratioOf = (r: string) => Math.log(Number(r.split(':')[0]) / Number(r.split(':')[1]));
  const wanted = Math.log(width / height);
  return ratios.reduce((a, b) =>
    Math.abs(ratioOf(b) - wanted) < Math.abs(ratioOf(a) - wanted) ? b : a,
  );
}

/**
 * Pixel size for a ratio and size tier: about tier² pixels, sides multiples of 16. Google's
 * tables differ by a few pixels per model (1K 16:9 is 1344x768 or 1376x768); close is enough.
 */
export function fakeImageDimensions(aspectRatio: string, imageSize: string) {
  const [a, b] = aspectRatio.split(':').map(Number) as [number, number];
  const side = { '512': 512, '1K': 1024, '2K': 2048, '4K': 4096 }[imageSize] ?? 1024;
  const round16 = (x: number) => Math.max(16, Math.round(x / 16) * 16);
  return { width: round16(side * Math.sqrt(a / b)), height: round16(side * Math.sqrt(b / a)) };
}

function renderImage(width: number, height: number, mimeType: string, background: string) {
  return cachedSolidImage(
    mimeType === 'image/jpeg'
      ? { width, height, background, format: 'jpeg' }
      : { width, height, background, format: 'png', compressionLevel: 2 },
  );
}

export async function imagePart(ctx: Context, mimeType: string, background: string) {
  const config = field(ctx.body, 'generationConfig');
  const imageConfig = field(config, 'imageConfig');
  const limits = MODEL_LIMITS[ctx.model]!;
  let ratio = field(imageConfig, 'aspectRatio');
  if (typeof ratio !== 'string') {
    // Without a ratio the model follows the first reference image, else draws a square.
    const first = ctx.images[0];
    const meta = first ? await sharp(Buffer.from(first.data, 'base64')).metadata() : undefined;
    ratio =
      meta?.width && meta.height ? nearestRatio(meta.width, meta.height, limits.ratios) : '1:1';
  }
  const size = field(imageConfig, 'imageSize');
  const { width, height } = fakeImageDimensions(
    ratio as string,
    typeof size === 'string' ? size : '1K',
  );
  const bytes = await renderImage(width, height, mimeType, background);
  return { inlineData: { mimeType, data: bytes.toString('base64') } };
}
