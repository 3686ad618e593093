import type { Model } from '../../api/types.js';

export type Mode = 'generate' | 'edit';

export interface PlaygroundInput {
  mode: Mode;
  model: string;
  prompt: string;
  size: string;
  quality: string;
  n: number;
  outputFormat: string;
  /** Edit inputs: image URLs, one a line, or uploaded files. */
  imageUrls: string;
  files: File[];
}

export const INITIAL: PlaygroundInput = {
  mode: 'generate',
  model: '',
  prompt: '',
  size: 'auto',
  quality: 'auto',
  n: 1,
  outputFormat: 'png',
  imageUrls: '',
  files: [],
};

export const urlsOf = (input: PlaygroundInput) =>
  input.imageUrls
    .split('\n')
    .map((u) => u.trim())
    .filter(Boolean);

/** The JSON body of the request, as the code samples show it. */
export function requestBody(
  input: PlaygroundInput,
  model: Model | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: input.model, prompt: input.prompt };
  if (input.size !== 'auto') body.size = input.size;
  if (input.quality !== 'auto') body.quality = input.quality;
  if (input.n !== 1) body.n = input.n;
  if (model && model.output_formats.length > 1) body.output_format = input.outputFormat;
  if (input.mode === 'edit' && input.files.length === 0) body.image = urlsOf(input);
  return body;
}

/** The models that can do the mode, those that can serve now first. */
export function modelsFor(models: Model[], mode: Mode): Model[] {
  const capability = mode === 'edit' ? 'image-to-image' : 'text-to-image';
  return models
    .filter((m) => m.capabilities.includes(capability))
    .sort((a, b) => Number(b.available) - Number(a.available));
}
