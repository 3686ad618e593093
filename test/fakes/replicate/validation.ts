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

/** Checks the inputs the FLUX models declare; like Cog, other input fields are ignored. */
function validateInput(input: unknown) {
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
  if (ratio !== undefined && !ASPECT_RATIOS.includes(String(ratio))) {
    invalid.push({
      type: 'enum',
      field: 'input.aspect_ratio',
      description: `aspect_ratio must be one of the following: ${ASPECT_RATIOS.map((r) => `"${r}"`).join(', ')}`,
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
    invalid.push(...validateInput(fields.input));
  }
  return invalid.length > 0 ? validationFailed(invalid) : undefined;
}
