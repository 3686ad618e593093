import sharp from 'sharp';
import type { Color } from 'sharp';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** A one-colour image; encoder options left out take sharp's defaults. */
export interface SolidImage {
  width: number;
  height: number;
  background: Color;
  format: ImageFormat;
  /** 4 for an alpha channel (e.g. a transparent background); default 3. */
  channels?: 3 | 4;
  /** JPEG only: the colour that transparent pixels are flattened onto. */
  flatten?: Color;
  /** JPEG and WebP quality. */
  quality?: number;
  /** PNG zlib level (fakes use 2 for speed where images are large). */
  compressionLevel?: number;
}

/** Encodes a real image of the given size and format, for fakes' outputs. */
export function solidImage(spec: SolidImage): Promise<Buffer> {
  const { width, height, background, channels = 3 } = spec;
  const canvas = sharp({ create: { width, height, channels, background } });
  switch (spec.format) {
    case 'jpeg':
      return (spec.flatten ? canvas.flatten({ background: spec.flatten }) : canvas)
        .jpeg({ quality: spec.quality })
        .toBuffer();
    case 'webp':
      return canvas.webp({ quality: spec.quality }).toBuffer();
    case 'png':
      return canvas.png({ compressionLevel: spec.compressionLevel }).toBuffer();
  }
}

const cache = new Map<string, Promise<Buffer>>();

/** `solidImage`, made once per spec: for fakes that answer the same large image many times. */
export function cachedSolidImage(spec: SolidImage): Promise<Buffer> {
  const key = JSON.stringify(spec);
  let image = cache.get(key);
  if (!image) {
    image = solidImage(spec);
    cache.set(key, image);
  }
  return image;
}
