import type { Catalog } from '../catalog/catalog.js';
import { invalidRequest } from '../errors.js';
import {
  checkImageCount,
  EDIT_FIELDS,
  loadInputs,
  sourcesFromJson,
  type EditSources,
  type InputDeps,
} from './edit-inputs.js';
import { withDeadline } from '../deadline.js';
import { parseImageRequest, type ImageRequest } from './request.js';
import type { EditExtras } from './service.js';

export interface EditRequest {
  request: ImageRequest;
  extra: EditExtras;
}

/**
 * Validates an edit and loads its input images: the request fields against the model (which
 * must take image-to-image), then every image fetched, decoded and checked. Nothing is held or
 * charged until this has passed; `beforeInputs` lets the caller refuse an unaffordable request
 * before any input is fetched.
 *
 * @param sources the uploaded files of a multipart edit; JSON edits carry URLs in the body
 * @param extraFields fields the endpoint consumes itself (the async endpoint's `webhook_url`)
 */
export async function prepareEdit(
  body: unknown,
  sources: EditSources | undefined,
  deps: InputDeps & { catalog: Catalog },
  accountId: string,
  options: {
    timeoutMs: number;
    extraFields?: readonly string[];
    /** Runs once the fields are valid, before any input is fetched (the credit check). */
    beforeInputs?: (request: ImageRequest) => Promise<void>;
  },
): Promise<EditRequest> {
  const request = parseImageRequest(body, deps.catalog, {
    capability: 'image-to-image',
    extraFields: [...EDIT_FIELDS, ...(options.extraFields ?? [])],
  });
  const fields = body as Record<string, unknown>;
  const fidelity = fields.input_fidelity;
  if (fidelity !== undefined && fidelity !== 'low' && fidelity !== 'high') {
    throw invalidRequest(
      'invalid_value',
      "Invalid value for 'input_fidelity': low or high.",
      'input_fidelity',
    );
  }
  if (sources && (fields.image !== undefined || fields.images !== undefined)) {
    throw invalidRequest(
      'invalid_value',
      'Send the images of a multipart edit as file parts (image or image[]), not as text fields.',
      fields.images !== undefined ? 'images' : 'image',
    );
  }
  const resolved = sources ?? sourcesFromJson(fields);
  checkImageCount(resolved, request.model.max_input_images, request.model.id);
  await options.beforeInputs?.(request);
  const inputs = await withDeadline(options.timeoutMs, [], (signal) =>
    loadInputs(resolved, deps, accountId, signal),
  );
  return {
    request,
    extra: { images: inputs.images, mask: inputs.mask, inputFidelity: fidelity },
  };
}
