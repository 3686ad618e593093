import type { Catalog } from '../catalog/catalog.js';
import { EDIT_FIELDS } from '../generation/edit-inputs.js';
import { parseImageRequest, type ImageRequest } from '../generation/request.js';
import type { InputImage } from '../providers/types.js';
import type { AssetService } from '../storage/assets.js';

/** An edit input kept as an asset until the task runs. */
export interface StoredInput {
  assetId: string;
  extension: 'png' | 'jpeg' | 'webp';
  width: number;
  height: number;
}

/** What a task keeps of its request: the validated body, and its inputs as stored assets. */
export interface StoredRequest {
  body: Record<string, unknown>;
  images?: StoredInput[];
  mask?: StoredInput;
  inputFidelity?: 'low' | 'high';
}

/** Inputs live this long as assets, longer than any task waits in the queue. */
export const TASK_INPUT_TTL_MS = 48 * 3_600_000;

const CONTENT_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

export async function storeInputs(
  images: InputImage[],
  mask: InputImage | undefined,
  accountId: string,
  assets: AssetService,
): Promise<{ images: StoredInput[]; mask?: StoredInput }> {
  const save = async (input: InputImage): Promise<StoredInput> => {
    const extension =
      input.contentType === 'image/jpeg'
        ? 'jpeg'
        : input.contentType === 'image/webp'
          ? 'webp'
          : 'png';
    const asset = await assets.save({
      accountId,
      bytes: input.bytes,
      extension,
      width: input.width,
      height: input.height,
      ttlMs: TASK_INPUT_TTL_MS,
    });
    return { assetId: asset.id, extension, width: input.width, height: input.height };
  };
  return { images: await Promise.all(images.map(save)), mask: mask ? await save(mask) : undefined };
}

/** Deletes stored inputs that no task will read. */
export async function removeInputs(
  inputs: { images: StoredInput[]; mask?: StoredInput },
  assets: AssetService,
): Promise<void> {
  const ids = [...inputs.images, ...(inputs.mask ? [inputs.mask] : [])].map((i) => i.assetId);
  await assets.deleteMany(ids);
}

async function loadInput(input: StoredInput, assets: AssetService): Promise<InputImage> {
  const bytes = await assets.read(input.assetId, input.extension);
  if (!bytes) throw new Error(`the input asset ${input.assetId} is gone`);
  return {
    bytes,
    contentType: CONTENT_TYPES[input.extension],
    width: input.width,
    height: input.height,
    publicUrl: async () => assets.url(input.assetId, input.extension),
  };
}

/** The request and edit inputs of a stored task, validated again against today's catalog. */
export async function restoreRequest(
  stored: StoredRequest,
  catalog: Catalog,
  assets: AssetService,
) {
  const request: ImageRequest = parseImageRequest(stored.body, catalog, {
    capability: stored.images ? 'image-to-image' : 'text-to-image',
    extraFields: [...EDIT_FIELDS, 'webhook_url'],
  });
  if (!stored.images) return { request, extra: {} };
  return {
    request,
    extra: {
      images: await Promise.all(stored.images.map((i) => loadInput(i, assets))),
      mask: stored.mask ? await loadInput(stored.mask, assets) : undefined,
      inputFidelity: stored.inputFidelity,
    },
  };
}
