import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { PixapiError } from '../errors.js';
import type { OpenedAsset } from '../storage/assets.js';

/**
 * The field that stands for `b64_json` in a stored image response: the asset's file name
 * (`ast_....png`). It is never sent; a replay puts the asset's bytes, base64-encoded, back in
 * its place, so that a stored record holds ids rather than megabytes of base64.
 */
export const ASSET_REF = 'b64_json_asset';

/** Reads stored assets back (AssetService). */
export interface ReplayAssets {
  open(id: string, extension: string): Promise<OpenedAsset | undefined>;
}

interface Entry {
  [field: string]: unknown;
}

function entriesOf(body: unknown): Entry[] {
  if (body === null || typeof body !== 'object') return [];
  const data = (body as { data?: unknown }).data;
  return Array.isArray(data) ? (data as Entry[]) : [];
}

/** The entry with `field` renamed to `to` and given `value`, in the same place among its keys. */
function renamed(entry: Entry, field: string, to: string, value: unknown): Entry {
  return Object.fromEntries(
    Object.entries(entry).map(([key, v]) => (key === field ? [to, value] : [key, v])),
  );
}

/**
 * The body to store for an image response: each `data[i].b64_json` replaced by a reference to
 * `files[i]`, the stored asset it was encoded from.
 *
 * @example
 * withAssetRefs({ data: [{ b64_json: 'iVBO...' }] }, ['ast_x.png']); // { data: [{ b64_json_asset: 'ast_x.png' }] }
 */
export function withAssetRefs<T>(body: T, files: readonly string[]): T {
  const entries = entriesOf(body);
  if (!entries.some((entry) => typeof entry.b64_json === 'string')) return body;
  const data = entries.map((entry, index) => {
    const file = files[index];
    if (typeof entry.b64_json !== 'string') return entry;
    if (file === undefined) throw new Error(`no stored asset for image ${index}`);
    return renamed(entry, 'b64_json', ASSET_REF, file);
  });
  return { ...body, data };
}

function assetGone(): PixapiError {
  return new PixapiError({
    code: 'idempotent_images_expired',
    message:
      'The images of the response stored for this Idempotency-Key have expired or were deleted, so it cannot be replayed. Send the request with a new key to generate again.',
  });
}

const FILE = /^(ast_[A-Za-z0-9]+)\.([a-z0-9]+)$/;

async function openAll(assets: ReplayAssets, files: readonly string[]): Promise<OpenedAsset[]> {
  const opened = await Promise.all(
    files.map((file) => {
      const match = FILE.exec(file);
      return match ? assets.open(match[1]!, match[2]!) : Promise.resolve(undefined);
    }),
  );
  const present = opened.filter((asset): asset is OpenedAsset => asset !== undefined);
  if (present.length === files.length) return present;
  for (const asset of present) asset.body.destroy();
  throw assetGone();
}

/** Base64 of a byte stream, encoded chunk by chunk (3-byte groups, so chunks concatenate). */
async function* base64Of(body: Readable): AsyncGenerator<string> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    const bytes = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const whole = bytes.length - (bytes.length % 3);
    if (whole > 0) yield bytes.subarray(0, whole).toString('base64');
    rest = bytes.subarray(whole);
  }
  if (rest.length > 0) yield rest.toString('base64');
}

async function* spliced(parts: string[], opened: OpenedAsset[]): AsyncGenerator<string> {
  try {
    for (const [index, asset] of opened.entries()) {
      yield parts[index]!;
      yield* base64Of(asset.body);
    }
    yield parts[opened.length]!;
  } finally {
    for (const asset of opened) asset.body.destroy();
  }
}

/**
 * A stored body as it is sent again: parsed JSON when it references no asset, else a stream of
 * its JSON text with each referenced asset's bytes base64-encoded in place, read from storage
 * as it is sent (never the whole body in memory). Every asset is opened first, so a replay
 * whose images are gone is a clear 410 rather than a broken body.
 *
 * @throws PixapiError 410 `idempotent_images_expired` when an asset has expired or was deleted
 */
export async function replayBody(
  stored: string,
  assets: ReplayAssets | undefined,
): Promise<unknown> {
  const body = JSON.parse(stored) as unknown;
  const entries = entriesOf(body);
  const files = entries.flatMap((entry) =>
    typeof entry[ASSET_REF] === 'string' ? [entry[ASSET_REF]] : [],
  );
  if (files.length === 0) return body;
  if (!assets) throw new Error('an image response was stored but no asset reader was given');
  const opened = await openAll(assets, files);
  // A placeholder no real body contains: the text is split around it, the bytes go in between.
  const placeholder = `pixapi-asset-${randomUUID()}`;
  const text = JSON.stringify({
    ...(body as object),
    data: entries.map((entry) =>
      typeof entry[ASSET_REF] === 'string'
        ? renamed(entry, ASSET_REF, 'b64_json', placeholder)
        : entry,
    ),
  });
  return Readable.from(spliced(text.split(placeholder), opened));
}
