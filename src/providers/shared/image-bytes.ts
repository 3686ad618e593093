/**
 * What provider outputs look like as bytes: the image formats told apart by their first bytes,
 * and `data:` URIs, which some APIs use to inline outputs.
 */

export type SniffedImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The image format that `bytes` start with (PNG, JPEG, WebP or GIF), undefined for anything
 * else. A signature alone, with nothing after it, is not an image.
 *
 * @example
 * imageFormatOf(await sharp(...).png().toBuffer()); // 'png'
 */
export function imageFormatOf(bytes: Buffer): SniffedImageFormat | undefined {
  const ascii = (start: number, end: number) => bytes.toString('latin1', start, end);
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.length > 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (bytes.length > 4 && ascii(0, 4) === 'GIF8') return 'gif';
  return undefined;
}

/**
 * Decodes a base64 `data:` URI (any media type and parameters) into bytes; undefined for
 * anything else or an empty payload. The bytes are not checked: the caller validates outputs.
 *
 * @example
 * decodeDataUri('data:image/png;base64,aGVsbG8=')?.toString(); // 'hello'
 */
export function decodeDataUri(uri: string): Buffer | undefined {
  const match = /^data:[^,;]*(;[^,;]+)*;base64,(.*)$/s.exec(uri);
  if (!match || match[2] === undefined) return undefined;
  const bytes = Buffer.from(match[2], 'base64');
  return bytes.length > 0 ? bytes : undefined;
}
