/**
 * What OpenAI's image models accept differs by family (API reference, `CreateImageRequest`):
 * GPT image models always answer base64 and refuse `response_format`; DALL·E 3 takes
 * `response_format` and `style`, makes one image per call and has no `output_format`,
 * `background` or `moderation`.
 */

/** `gpt-image-1`, `gpt-image-1-mini`, `gpt-image-1.5`, `gpt-image-2`, `chatgpt-image-latest`... */
export function isGptImageModel(model: string): boolean {
  return /^(gpt-image-|chatgpt-image-)/.test(model);
}

/** `dall-e-3` and any dated snapshot of it. */
export function isDallE3(model: string): boolean {
  return model === 'dall-e-3' || model.startsWith('dall-e-3-');
}
