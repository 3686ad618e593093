import { problem, validationFailed } from './behaviours.js';
import type { ReplicateReply } from './behaviours.js';

/** What Replicate refuses in a creation request, with its 415 and 422 answers. */

const ASPECT_RATIOS = [
  '1:1',
  '16:9',
  '21:9',
  '3:2',
  '2:3',
  '4:5',
  '5:4',
  '3:4',
  '4:3',
  '9:16',
  '9:21',
  'match_input_image',
];

/**
 * The input rules of the other families the fake serves, as their Replicate schemas declare
 * them: their own aspect ratios, and the fields they require.
 */
const MODEL_RULES: Record<string, { ratios?: string[]; required?: string[]; sizes?: string[] }> = {
  'luma/photon': { ratios: ['1:1', '3:4', '4:3', '9:16', '16:9', '9:21', '21:9'] },
  'luma/photon-flash': { ratios: ['1:1', '3:4', '4:3', '9:16', '16:9', '9:21', '21:9'] },
  'ideogram-ai/ideogram-v3-balanced': {
    ratios: [
      '1:3',
      '3:1',
      '1:2',
      '2:1',
      '9:16',
      '16:9',
      '10:16',
      '16:10',
      '2:3',
      '3:2',
      '3:4',
      '4:3',
      '4:5',
      '5:4',
      '1:1',
    ],
  },
  'bytedance/seedream-4': { sizes: ['1K', '2K', '4K', 'custom'] },
  'qwen/qwen-image-edit': { required: ['image'] },
};

/** Checks the inputs the model declares; like Cog, other input fields are ignored. */
function validateInput(input: unknown, model: string | undefined) {
  const rules = (model && MODEL_RULES[model]) || {};
  const ratios = rules.ratios ?? ASPECT_RATIOS;
  const invalid: Array<{ type: string; field: string; description: string }> = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    invalid.push({
      type: 'invalid_type',
      field: 'input',
      description: 'Invalid type. Expected: object',
    });
    return invalid;
  }
  const fields = input as Record<string, unknown>;
  if (typeof fields.prompt !== 'string') {
    invalid.push({ type: 'required', field: 'input', description: 'prompt is required' });
  }
  const ratio = fields.aspect_ratio;
  if (ratio !== undefined && !ratios.includes(String(ratio))) {
    invalid.push({
      type: 'enum',
      field: 'input.aspect_ratio',
      description: `aspect_ratio must be one of the following: ${ratios.map((r) => `"${r}"`).join(', ')}`,
    });
  }
  for (const name of rules.required ?? []) {
    if (fields[name] === undefined) {
      invalid.push({ type: 'required', field: 'input', description: `${name} is required` });
    }
  }
  if (rules.sizes && fields.size !== undefined && !rules.sizes.includes(String(fields.size))) {
    invalid.push({ type: 'enum', field: 'input.size', description: 'size is not allowed' });
  }
  if (
    fields.size === 'custom' &&
    !(Number.isInteger(fields.width) && Number.isInteger(fields.height))
  ) {
    invalid.push({
      type: 'required',
      field: 'input',
      description: 'width and height are required with size "custom"',
    });
  }
  const format = fields.output_format;
  if (format !== undefined && !['webp', 'jpg', 'png'].includes(String(format))) {
    invalid.push({
      type: 'enum',
      field: 'input.output_format',
      description: 'output_format must be one of the following: "webp", "jpg", "png"',
    });
  }
  const n = fields.num_outputs;
  if (n !== undefined && (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 4)) {
    invalid.push({
      type: 'number_lte',
      field: 'input.num_outputs',
      description: 'Must be less than or equal to 4',
    });
  }
  if (fields.seed !== undefined && !Number.isInteger(fields.seed)) {
    invalid.push({
      type: 'invalid_type',
      field: 'input.seed',
      description: 'Invalid type. Expected: integer',
    });
  }
  return invalid;
}

/**
 * The answer that refuses a creation body, or undefined when it is acceptable: JSON, an object,
 * only the known fields (`version` only without a model in the path), and a valid `input`.
 */
export function creationProblem(
  contentType: string | undefined,
  body: unknown,
  model: string | undefined,
): ReplicateReply | undefined {
  if (!String(contentType ?? '').startsWith('application/json')) {
    // Unsure of Replicate's exact answer to a non-JSON body; a 415 problem is assumed.
    return problem(415, 'Unsupported media type', 'Request body must be JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return validationFailed([
      { type: 'invalid_type', field: '', description: 'Invalid type. Expected: object' },
    ]);
  }
  const fields = body as Record<string, unknown>;
  const allowed = ['input', 'webhook', 'webhook_events_filter', 'stream'];
  if (model === undefined) allowed.push('version');
  const invalid = Object.keys(fields)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({
      type: 'additional_property_not_allowed',
      field: '',
      description: `Additional property ${k} is not allowed`,
    }));
  if (model === undefined && fields.version === undefined) {
    invalid.unshift({ type: 'required', field: '', description: 'version is required' });
  }
  if (fields.input === undefined) {
    invalid.push({ type: 'required', field: '', description: 'input is required' });
  } else {
    invalid.push(...validateInput(fields.input, model));
  }
  return invalid.length > 0 ? validationFailed(invalid) : undefined;
}
