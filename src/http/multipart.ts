import type { FastifyRequest } from 'fastify';
import { invalidRequest, PixapiError } from '../errors.js';
import type { ImageSource } from '../generation/edit-inputs.js';
import { assertCleanFields } from './text-fields.js';

/**
 * Limits of multipart uploads, set explicitly so that anything larger gets 413: 16 images and a
 * mask of at most 25 MB each, and text fields sized for a 32,000-character prompt.
 */
export const MULTIPART_LIMITS = {
  fileSize: 25 * 1024 * 1024,
  files: 17,
  fields: 40,
  fieldSize: 256 * 1024,
  parts: 60,
  headerPairs: 200,
};

/** All files of one upload together: 16 full-size images would need 400 MB of memory. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

const NUMERIC = new Set(['n', 'output_compression', 'seed', 'partial_images']);
const IMAGE_FIELDS = new Set(['image', 'image[]']);

// Text parts are strings; the fields the API types as numbers or booleans are converted here
// so that one validator serves JSON and multipart bodies.
function typed(name: string, value: string): unknown {
  if (NUMERIC.has(name) && /^-?\d+$/.test(value)) return Number(value);
  if (name === 'stream' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * Reads a multipart edit as OpenAI's SDKs send it: `image` or repeated `image[]` file parts, an
 * optional `mask` file, the other fields as text parts (`metadata[key]` for metadata).
 */
export async function readMultipartEdit(request: FastifyRequest) {
  try {
    return await readParts(request);
  } catch (error) {
    // Limits carry their 413; anything else is a body that is not valid multipart.
    if (error instanceof PixapiError || (error as { statusCode?: number }).statusCode) throw error;
    throw invalidRequest('invalid_body', 'The multipart body could not be parsed.');
  }
}

async function readParts(request: FastifyRequest) {
  const body: Record<string, unknown> = {};
  const images: ImageSource[] = [];
  let mask: ImageSource | undefined;
  let total = 0;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      total += bytes.length;
      if (total > MAX_UPLOAD_BYTES) {
        throw new PixapiError({
          code: 'payload_too_large',
          message: `An upload may carry at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB of images.`,
          param: part.fieldname === 'mask' ? 'mask' : 'image',
        });
      }
      if (IMAGE_FIELDS.has(part.fieldname)) images.push({ kind: 'file', bytes, param: 'image' });
      else if (part.fieldname === 'mask') mask = { kind: 'file', bytes, param: 'mask' };
      else body[part.fieldname] = '(file)';
      continue;
    }
    const value = String(part.value);
    const metadataKey = /^metadata\[(.+)\]$/.exec(part.fieldname)?.[1];
    if (metadataKey) {
      body.metadata = {
        ...(body.metadata as Record<string, string> | undefined),
        [metadataKey]: value,
      };
    } else {
      body[part.fieldname] = typed(part.fieldname, value);
    }
  }
  assertCleanFields(body);
  return { body, sources: { images, mask } };
}
