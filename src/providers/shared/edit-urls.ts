import type { EditInput } from '../types.js';

/** The inputs of an edit as Pixapi's short-lived public URLs, for providers that take only URLs. */
export interface EditImageUrls {
  images: string[];
  mask: string | undefined;
}

/**
 * The public URLs of every input image (in order) and of the mask, asked for in parallel.
 *
 * @example
 * toFalInput(input, await editImageUrls(input));
 */
export async function editImageUrls(input: EditInput): Promise<EditImageUrls> {
  const [images, mask] = await Promise.all([
    Promise.all(input.images.map((image) => image.publicUrl())),
    input.mask?.publicUrl(),
  ]);
  return { images, mask };
}
