import { invalidRequest } from '../errors.js';
import type { InputImage } from '../providers/types.js';
import { validateInputImage, type ValidatedImage } from '../security/image-input.js';
import type { OutboundClient } from '../security/outbound/client.js';
import { urlTimeout } from '../security/outbound/outbound-errors.js';
import type { AssetService } from '../storage/assets.js';

/** Where an input image comes from: a URL (http(s) or data:) or an uploaded file. */
export type ImageSource =
  { kind: 'url'; url: string; param: string } | { kind: 'file'; bytes: Buffer; param: string };

export interface EditSources {
  images: ImageSource[];
  mask: ImageSource | undefined;
}

export const EDIT_FIELDS = ['image', 'images', 'mask', 'input_fidelity'] as const;
const MAX_IMAGES = 16;

function urlSource(value: unknown, param: string): ImageSource {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidRequest(
      'invalid_value',
      `Invalid value for '${param}': expected an image URL.`,
      param,
    );
  }
  return { kind: 'url', url: value, param };
}

/**
 * OpenAI's `{image_url}` reference. Its shape is checked under the field the client sent; the
 * image itself, like every input image, is reported as `image` (or `mask`) once fetched (API.md).
 */
function imageUrlOf(value: unknown, param: string, imageParam: string): ImageSource {
  const ref = value as { image_url?: unknown; file_id?: unknown } | null;
  if (typeof ref !== 'object' || ref === null || ref.image_url === undefined) {
    const message =
      ref && typeof ref === 'object' && 'file_id' in ref
        ? 'File ids are not supported: pass image_url.'
        : `Invalid value for '${param}': expected {"image_url": "..."}.`;
    throw invalidRequest('invalid_value', message, param);
  }
  return urlSource(ref.image_url, imageParam);
}

/**
 * The input images of a JSON edit, in Pixapi's form (`image`: a URL or up to 16 URLs, `mask`: a
 * URL) or OpenAI's (`images: [{image_url}]`, `mask: {image_url}`).
 */
export function sourcesFromJson(body: Record<string, unknown>): EditSources {
  if (body.image !== undefined && body.images !== undefined) {
    throw invalidRequest('invalid_value', "Send either 'image' or 'images', not both.", 'images');
  }
  let images: ImageSource[];
  if (body.images !== undefined) {
    if (!Array.isArray(body.images)) {
      throw invalidRequest('invalid_value', "'images' must be an array of {image_url}.", 'images');
    }
    images = body.images.map((ref) => imageUrlOf(ref, 'images', 'image'));
  } else {
    const raw = body.image;
    images = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((u) =>
      urlSource(u, 'image'),
    );
  }
  const mask =
    body.mask === undefined
      ? undefined
      : typeof body.mask === 'string'
        ? urlSource(body.mask, 'mask')
        : imageUrlOf(body.mask, 'mask', 'mask');
  return { images, mask };
}

/** Checks how many images a model takes; `image` is required. */
export function checkImageCount(sources: EditSources, modelMax: number, modelId: string): void {
  const param = sources.images[0]?.param ?? 'image';
  if (sources.images.length === 0) {
    throw invalidRequest(
      'missing_required_parameter',
      "Missing required parameter: 'image'.",
      'image',
    );
  }
  const max = Math.min(modelMax, MAX_IMAGES);
  if (sources.images.length > max) {
    throw invalidRequest('invalid_value', `${modelId} takes at most ${max} input images.`, param);
  }
}

const DATA_URL = /^data:image\/[a-z+.-]+;base64,([A-Za-z0-9+/=\s]*)$/i;

async function bytesOf(source: ImageSource, deps: InputDeps, signal: AbortSignal) {
  if (source.kind === 'file') return source.bytes;
  // This server's own outputs are read from storage: no HTTP round trip to ourselves, and no
  // allow-list entry for our own address. The URL is the capability, as for a download.
  const own = deps.assets.ownAsset(source.url);
  if (own) {
    const bytes = await deps.assets.read(own.id, own.extension);
    if (!bytes) {
      throw invalidRequest(
        'invalid_image',
        'No such asset (it may have expired): generate the image again.',
        source.param,
      );
    }
    return bytes;
  }
  if (source.url.startsWith('data:')) {
    const data = DATA_URL.exec(source.url);
    if (!data) {
      throw invalidRequest(
        'invalid_image',
        'Data URLs must look like data:image/png;base64,...',
        source.param,
      );
    }
    return Buffer.from(data[1]!, 'base64');
  }
  try {
    return await deps.outbound.fetchImage(source.url, { signal, param: source.param });
  } catch (error) {
    // The edit's own deadline passed while this input was being fetched.
    if (signal.aborted) throw urlTimeout(source.param, error);
    throw error;
  }
}

export interface InputDeps {
  outbound: Pick<OutboundClient, 'fetchImage'>;
  assets: AssetService;
}

/** How long an input shared with a provider by URL stays reachable. */
const SHARED_INPUT_TTL_MS = 60 * 60_000;

function asInput(image: ValidatedImage, accountId: string, assets: AssetService): InputImage {
  let shared: Promise<string> | undefined;
  return {
    ...image,
    // Saved only when an adapter asks: most providers take the bytes inline.
    publicUrl: () =>
      (shared ??= assets
        .save({
          accountId,
          bytes: image.bytes,
          extension:
            image.contentType === 'image/jpeg'
              ? 'jpeg'
              : image.contentType === 'image/webp'
                ? 'webp'
                : 'png',
          width: image.width,
          height: image.height,
          ttlMs: SHARED_INPUT_TTL_MS,
        })
        .then((asset) => asset.url)),
  };
}

/**
 * Fetches (through the guarded client), decodes and validates every input image, before any
 * credit is held: a bad input costs nothing.
 */
export async function loadInputs(
  sources: EditSources,
  deps: InputDeps,
  accountId: string,
  signal: AbortSignal,
): Promise<{ images: InputImage[]; mask: InputImage | undefined }> {
  const load = async (source: ImageSource) =>
    asInput(
      await validateInputImage(await bytesOf(source, deps, signal), source.param),
      accountId,
      deps.assets,
    );
  const images = await Promise.all(sources.images.map(load));
  const mask = sources.mask ? await load(sources.mask) : undefined;
  return { images, mask };
}
