import { falErrors, json } from './behaviours.js';
import type { FalReply } from './behaviours.js';

/** The top-level input fields of the fake's model, unless the options name others. */
export const DEFAULT_FIELDS = [
  'prompt',
  'image_size',
  'num_images',
  'seed',
  'output_format',
  'enable_safety_checker',
  'num_inference_steps',
  'guidance_scale',
  'sync_mode',
  'acceleration',
  'negative_prompt',
  'image_url',
  'image_urls',
  'mask_url',
  'strength',
  'aspect_ratio',
  'safety_tolerance',
];

const SEEDREAM = [
  'prompt',
  'image_size',
  'num_images',
  'max_images',
  'seed',
  'sync_mode',
  'enable_safety_checker',
];
const QWEN = [
  'prompt',
  'image_size',
  'num_inference_steps',
  'seed',
  'guidance_scale',
  'sync_mode',
  'num_images',
  'enable_safety_checker',
  'output_format',
  'negative_prompt',
  'acceleration',
];

/**
 * The input fields of the other families the fake serves, per fal model path, as their fal
 * schemas declare them (Seedream and Ideogram have no `output_format`; Ideogram no safety
 * checker switch); other paths take DEFAULT_FIELDS.
 */
export const MODEL_FIELDS: Record<string, string[]> = {
  'fal-ai/bytedance/seedream/v4/text-to-image': SEEDREAM,
  'fal-ai/bytedance/seedream/v4/edit': [...SEEDREAM, 'image_urls'],
  'fal-ai/qwen-image': QWEN,
  'fal-ai/qwen-image-edit': [...QWEN, 'image_url'],
  'fal-ai/ideogram/v3': [
    'prompt',
    'image_size',
    'num_images',
    'rendering_speed',
    'style',
    'expand_prompt',
    'seed',
    'negative_prompt',
    'sync_mode',
  ],
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** fal-style (pydantic) validation of the input, against the fake model's known fields. */
export function validate(input: unknown, known: Set<string>): FalReply | undefined {
  if (!isRecord(input)) {
    return falErrors.validation('body', 'Input should be a valid dictionary', 'dict_type');
  }
  const detail: Array<Record<string, unknown>> = [];
  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      detail.push({
        loc: ['body', key],
        msg: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      });
    }
  }
  if (typeof input.prompt !== 'string') {
    detail.push({ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' });
  }
  const n = input.num_images;
  if (n !== undefined && (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 4)) {
    detail.push({
      loc: ['body', 'num_images'],
      msg: 'Input should be less than or equal to 4',
      type: 'less_than_equal',
    });
  }
  const speed = input.rendering_speed;
  if (speed !== undefined && !['TURBO', 'BALANCED', 'QUALITY'].includes(String(speed))) {
    detail.push({
      loc: ['body', 'rendering_speed'],
      msg: "Input should be 'TURBO', 'BALANCED' or 'QUALITY'",
      type: 'enum',
    });
  }
  const format = input.output_format;
  if (format !== undefined && format !== 'jpeg' && format !== 'png') {
    detail.push({
      loc: ['body', 'output_format'],
      msg: "Input should be 'jpeg' or 'png'",
      type: 'enum',
    });
  }
  const size = input.image_size;
  if (size !== undefined && typeof size !== 'string') {
    const ok =
      isRecord(size) &&
      Number.isInteger(size.width) &&
      Number.isInteger(size.height) &&
      (size.width as number) > 0 &&
      (size.height as number) > 0;
    if (!ok) {
      detail.push({ loc: ['body', 'image_size'], msg: 'Invalid image size', type: 'value_error' });
    }
  }
  return detail.length > 0 ? json(422, { detail }) : undefined;
}
