import type { IncomingMessage } from 'node:http';
import sharp from 'sharp';
import { Response as UndiciResponse } from 'undici';
import { invalid } from './errors.js';
import type { Json, RecordedFile } from './types.js';

/** Reading an images request as OpenAI does: a JSON body, or (edits) multipart with uploads. */

export interface ParsedRequest {
  body: Json;
  files: RecordedFile[];
  multipart: boolean;
}

export async function parseRequest(
  req: IncomingMessage,
  raw: Buffer,
  edit: boolean,
): Promise<ParsedRequest> {
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('application/json')) {
    try {
      const body: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new Error('not an object');
      return { body: body as Json, files: [], multipart: false };
    } catch {
      throw invalid(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        null,
        null,
      );
    }
  }
  if (edit && contentType.startsWith('multipart/form-data')) {
    const form = await new UndiciResponse(raw, {
      headers: { 'content-type': contentType },
    }).formData();
    const body: Json = {};
    const files: RecordedFile[] = [];
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        const prev = body[name];
        body[name] =
          prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      } else {
        files.push({
          field: name,
          filename: value.name,
          contentType: value.type,
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { body, files, multipart: true };
  }
  throw invalid(
    `Invalid Content-Type header (${contentType || 'none'}), expected ${edit ? 'multipart/form-data or application/json' : 'application/json'}.`,
    null,
    'invalid_content_type',
  );
}

const EXTENSIONS: Record<string, string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/webp': ['webp'],
};

/** OpenAI checks each upload's type and that it decodes; returns the first image's size. */
export async function checkFiles(
  files: RecordedFile[],
): Promise<{ width: number; height: number }> {
  const images = files.filter((f) => f.field === 'image' || f.field === 'image[]');
  if (images.length === 0)
    throw invalid("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
  if (images.length > 16) throw invalid('Too many images: at most 16.', 'image', 'invalid_value');
  const unknown = files.find((f) => !['image', 'image[]', 'mask'].includes(f.field));
  if (unknown)
    throw invalid(`Unknown parameter: '${unknown.field}'.`, unknown.field, 'unknown_parameter');
  let first: { width: number; height: number } | undefined;
  for (const file of files) {
    const ext = file.filename.split('.').pop()?.toLowerCase() ?? '';
    if (
      !EXTENSIONS[file.contentType]?.includes(ext) ||
      (file.field === 'mask' && file.contentType !== 'image/png')
    ) {
      throw invalid(
        `Invalid file '${file.field}': unsupported mimetype ('${file.contentType}'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.`,
        file.field,
        'unsupported_file_mimetype',
      );
    }
    const meta = await sharp(file.bytes)
      .metadata()
      .catch(() => undefined);
    if (!meta?.width || !meta.height) {
      throw invalid(
        `Invalid image file for '${file.field}', please check your image file.`,
        file.field,
        'invalid_image_file',
      );
    }
    if (file.field !== 'mask') first ??= { width: meta.width, height: meta.height };
  }
  return first!;
}
