import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { invalidRequest, PixapiError } from '../errors.js';

export const MAX_INPUT_BYTES = 25 * 1024 * 1024;
export const MAX_INPUT_PIXELS = 50_000_000;

const ACCEPTED = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
} as const;

export type InputType = keyof typeof ACCEPTED;

export interface ValidatedImage {
  bytes: Buffer;
  contentType: InputType;
  width: number;
  height: number;
}

/**
 * Libvips loaders Pixapi never needs, blocked process-wide: client bytes are checked to be PNG,
 * JPEG or WebP before they reach sharp, and this makes sure that no other decoder (TIFF, GIF,
 * HEIF, PDF, vips' own format...) can be reached by a crafted file even so. SVG stays: the local
 * renderer draws with it, and client input never reaches it.
 */
export function blockUnusedDecoders(): void {
  sharp.block({
    operation: [
      'VipsForeignLoadTiff',
      'VipsForeignLoadGif',
      'VipsForeignLoadHeif',
      'VipsForeignLoadVips',
      'VipsForeignLoadPdf',
      'VipsForeignLoadMagick',
      'VipsForeignLoadJp2k',
      'VipsForeignLoadJxl',
      'VipsForeignLoadFits',
      'VipsForeignLoadOpenslide',
      'VipsForeignLoadMatrix',
      'VipsForeignLoadPpm',
      'VipsForeignLoadCsv',
      'VipsForeignLoadRad',
      'VipsForeignLoadAnalyze',
    ],
  });
}

function invalidImage(param: string, message: string): PixapiError {
  return invalidRequest('invalid_image', message, param);
}

/**
 * Checks an input image and re-encodes it without metadata, before any provider sees it:
 * the type comes from the bytes (PNG, JPEG or WebP; SVG and everything else refused), the size
 * is capped, and the pixel count is checked from the header before decoding, so that a
 * decompression bomb (a tiny PNG of 14000×14000) is refused without allocating its pixels.
 */
export async function validateInputImage(bytes: Buffer, param: string): Promise<ValidatedImage> {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new PixapiError({
      code: 'payload_too_large',
      message: `Each input image may be at most ${MAX_INPUT_BYTES / 1024 / 1024} MB.`,
      param,
    });
  }
  const detected = await fileTypeFromBuffer(bytes);
  const contentType = detected?.mime as InputType | undefined;
  if (!contentType || !(contentType in ACCEPTED)) {
    throw invalidImage(param, 'Input images must be PNG, JPEG or WebP (checked from the content).');
  }
  const options = { failOn: 'warning', limitInputPixels: MAX_INPUT_PIXELS, pages: 1 } as const;
  let meta: Metadata;
  try {
    // The header alone: the pixel count is checked below with a clear message.
    meta = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw invalidImage(param, 'The input image could not be read.');
  }
  if (!meta.width || !meta.height) throw invalidImage(param, 'The input image has no dimensions.');
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    throw invalidImage(
      param,
      `Input images may have at most ${MAX_INPUT_PIXELS / 1e6} megapixels.`,
    );
  }
  try {
    // rotate() applies the EXIF orientation before the metadata that carried it is dropped.
    const image = sharp(bytes, options).rotate();
    const format = ACCEPTED[contentType];
    const reencoded = await (
      format === 'png'
        ? image.png()
        : format === 'jpeg'
          ? image.jpeg({ quality: 95 })
          : image.webp({ quality: 95 })
    ).toBuffer({ resolveWithObject: true });
    return {
      bytes: reencoded.data,
      contentType,
      width: reencoded.info.width,
      height: reencoded.info.height,
    };
  } catch {
    throw invalidImage(param, 'The input image is damaged or truncated.');
  }
}
