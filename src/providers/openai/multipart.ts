import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { InputImage } from '../types.js';
import type { WireFields } from './request.js';

const EXTENSIONS: Record<InputImage['contentType'], string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};

function textValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function filePart(image: InputImage): Blob {
  return new Blob([image.bytes], { type: image.contentType });
}

/**
 * The multipart body of an edit: one text part per field, one file part per input image (named
 * with the extension of its type, as servers check both), and the optional `mask`.
 *
 * @param imageField `image[]` for OpenAI; some self-hosted servers only read `image`.
 * @example
 * toEditForm({ model: 'gpt-image-1.5', prompt: 'add a hat' }, [png], undefined, 'image[]')
 * // parts: model, prompt, image[] (image-1.png, image/png)
 */
export function toEditForm(
  fields: WireFields,
  images: readonly InputImage[],
  mask: InputImage | undefined,
  imageField: string,
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) form.append(name, textValue(value));
  }
  images.forEach((image, i) => {
    form.append(imageField, filePart(image), `image-${i + 1}.${EXTENSIONS[image.contentType]}`);
  });
  if (mask) form.append('mask', filePart(mask), `mask.${EXTENSIONS[mask.contentType]}`);
  return form;
}
