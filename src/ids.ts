import { randomBytes, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The largest multiple of 62 that fits a byte: bytes from it up are redrawn, to stay uniform. */
const UNBIASED_LIMIT = 248;

/**
 * `length` characters of base62, each drawn uniformly (5.95 bits of entropy per character).
 * One batch of random bytes per call (rejection sampling, ~3 % redrawn) rather than one
 * `randomInt` per character, which cost a microsecond or two each on every request.
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length + 8)) {
      if (byte < UNBIASED_LIMIT) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Fixed-width base62 of a non-negative integer below 62^width. */
export function toBase62(value: number, width: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/**
 * Cryptographic random fractions in [0, 1) served from a pool refilled 4 KiB at a time. ulid's
 * default draws from the system once per character (16 calls per id, several ids per request),
 * which showed up as ~4 % of a generation's main-thread time. A byte over 256 maps to each of
 * ulid's 32 symbols exactly 8 times, so the characters stay uniform.
 */
function pooledRandom(): number {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

/**
 * A prefixed, time-ordered id (`task_01KPQ7J7DW...`). Ordering by id is ordering by creation,
 * which is what cursor pagination relies on.
 */
export function sortableId(prefix: string): string {
  return `${prefix}_${nextUlid()}`;
}

/** A prefixed id that cannot be guessed: 22 base62 characters, about 131 random bits. */
export function unguessableId(prefix: string): string {
  return `${prefix}_${randomBase62(22)}`;
}
