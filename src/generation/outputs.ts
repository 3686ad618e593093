import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { Log } from '../observability/logger.js';
import type { OutputFormat, ProviderImage } from '../providers/types.js';

export interface DeliveredImage {
  bytes: Buffer;
  format: OutputFormat;
  width: number;
  height: number;
  revisedPrompt: string | undefined;
}

const FORMATS: Record<string, OutputFormat> = { png: 'png', jpeg: 'jpeg', webp: 'webp' };

const MAX_PIXELS = 50_000_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A PNG's size from its IHDR chunk, which is all that `sharp().metadata()` reads of a PNG too,
 * without a round trip through libvips' thread pool. Stricter than sharp: the chunk's CRC must
 * hold (sharp reads a damaged width as it is). Undefined for a damaged or oversized header.
 */
function pngHeader(bytes: Buffer) {
  if (bytes.length < 33) return undefined;
  if (bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  if (crc32(bytes.subarray(12, 29)) !== bytes.readUInt32BE(29)) return undefined;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) return undefined;
  return { format: 'png' as const, width, height };
}

async function decode(bytes: Buffer) {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return pngHeader(bytes);
  const meta = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_PIXELS }).metadata();
  const format = meta.format ? FORMATS[meta.format] : undefined;
  if (!format || !meta.width || !meta.height) return undefined;
  return { format, width: meta.width, height: meta.height };
}

async function transcode(bytes: Buffer, format: OutputFormat, compression: number | undefined) {
  const image = sharp(bytes, { failOn: 'error' });
  const quality = compression ?? 90;
  if (format === 'jpeg')
    return image.flatten({ background: '#ffffff' }).jpeg({ quality }).toBuffer();
  if (format === 'webp') return image.webp({ quality }).toBuffer();
  return image.png().toBuffer();
}

export interface CollectOptions {
  outputFormat: OutputFormat;
  outputCompression: number | undefined;
  /** Downloads an output that a provider gave as a URL. */
  download(url: string): Promise<Buffer>;
  log: Log;
}

/**
 * Keeps the outputs that are really images (PROVIDERS.md: an output counts only when it
 * decodes), in the format the client asked for. Broken outputs are dropped and logged, so that
 * they are neither stored nor charged.
 */
export async function collectOutputs(
  images: readonly ProviderImage[],
  options: CollectOptions,
): Promise<DeliveredImage[]> {
  const delivered: DeliveredImage[] = [];
  for (const [index, image] of images.entries()) {
    try {
      let bytes = image.bytes ?? (image.url ? await options.download(image.url) : undefined);
      if (!bytes) throw new Error('neither bytes nor a URL');
      let info = await decode(bytes);
      if (!info) throw new Error('not a PNG, JPEG or WebP image');
      if (info.format !== options.outputFormat) {
        bytes = await transcode(bytes, options.outputFormat, options.outputCompression);
        info = { ...info, format: options.outputFormat };
      }
      delivered.push({ bytes, ...info, revisedPrompt: image.revisedPrompt });
    } catch (error) {
      options.log.warn({ index, err: error }, 'provider output dropped: not a usable image');
    }
  }
  return delivered;
}
