import { createHash, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { randomBase62, toBase62 } from '../ids.js';

/**
 * API keys look like GitHub's tokens: a fixed prefix, 22 random base62 characters (131 bits) and
 * a 6-character CRC32 checksum, so that a mistyped key is refused without a database query and
 * a leaked key is easy to find with a scanner. Only a SHA-256 of the key is stored.
 */
const PREFIX = 'sk_pix_';
const RANDOM_LENGTH = 22;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function checksum(randomPart: string): string {
  return toBase62(crc32(randomPart), CHECKSUM_LENGTH);
}

export interface NewApiKey {
  plaintext: string;
  hash: string;
  /** What may be shown later to tell keys apart: never enough to use the key. */
  displayPrefix: string;
}

export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext).digest('hex');
}

export function displayPrefix(plaintext: string): string {
  return plaintext.slice(0, PREFIX.length + 4);
}

export function generateApiKey(): NewApiKey {
  const randomPart = randomBase62(RANDOM_LENGTH);
  const plaintext = PREFIX + randomPart + checksum(randomPart);
  return { plaintext, hash: hashApiKey(plaintext), displayPrefix: displayPrefix(plaintext) };
}

/** True when the string has the shape of a Pixapi key and its checksum matches. */
export function isWellFormedApiKey(candidate: string): boolean {
  if (!KEY_PATTERN.test(candidate)) return false;
  const body = candidate.slice(PREFIX.length);
  const randomPart = body.slice(0, RANDOM_LENGTH);
  const expected = Buffer.from(checksum(randomPart));
  const actual = Buffer.from(body.slice(RANDOM_LENGTH));
  return timingSafeEqual(expected, actual);
}
