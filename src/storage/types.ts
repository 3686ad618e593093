import type { Readable } from 'node:stream';

const SAFE_KEY = /^[A-Za-z0-9_-]+(\.[a-z0-9]+)?$/;

/**
 * Keys are made by Pixapi, never by clients; refusing anything else keeps every backend to one
 * flat namespace (no paths, no traversal).
 */
export function assertSafeKey(key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`invalid storage key: ${key}`);
  return key;
}

/**
 * Where asset bytes live. Metadata (owner, type, expiry) is in the database; a store only
 * keeps bytes under a key. Implementations: local disk, S3-compatible.
 */
export interface BlobStore {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** A stream of the bytes, or undefined when the key does not exist. */
  get(key: string): Promise<Readable | undefined>;
  /** Removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Throws when the store cannot be written to (readiness probe). */
  check(): Promise<void>;
  /**
   * A URL that reads the key directly from the store for `expiresInS` seconds, for stores that
   * can sign one (S3); asset delivery `redirect` needs it.
   */
  signedUrl?(key: string, expiresInS: number): Promise<string>;
}
