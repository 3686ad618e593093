import { invalid } from './errors.js';
import type { Format } from './images.js';
import { checkModelRules, isGpt, parseSize } from './models.js';
import { checkFiles } from './request.js';
import type { ParsedRequest } from './request.js';
import { DEFAULT_SCHEMA, loadValidators, schemaError } from './schema.js';
import type { FakeOpenAIOptions, Json, Mode } from './types.js';

/** A request that passed validation: what the answer will hold. */
export interface Answer {
  model: string;
  n: number;
  width: number;
  height: number;
  format: Format;
  transparent: boolean;
  wantsUrl: boolean;
  edit: boolean;
  body: Json;
  inputImages: number;
}

/**
 * The request checks of the fake's mode: OpenAI's schemas and per-model rules, or (compatible
 * mode) only a few known fields. The returned function throws the `FakeError` to answer.
 */
export function requestValidator(
  options: FakeOpenAIOptions,
): (parsed: ParsedRequest, edit: boolean) => Promise<Answer> {
  const mode: Mode = options.mode ?? 'openai';
  const validators =
    mode === 'openai' ? loadValidators(options.schemaPath ?? DEFAULT_SCHEMA) : undefined;
  const compatibleFields = new Set([
    'model',
    'prompt',
    'n',
    'size',
    'response_format',
    ...(options.extraFields ?? []),
  ]);

  async function validate(parsed: ParsedRequest, edit: boolean): Promise<Answer> {
    const { body } = parsed;
    let inputSize: { width: number; height: number } | undefined;
    if (mode === 'compatible') {
      const unknown = Object.keys(body).find((k) => !compatibleFields.has(k));
      if (unknown) throw invalid(`Unknown parameter: '${unknown}'.`, unknown, 'unknown_parameter');
      if (typeof body.prompt !== 'string')
        throw invalid(
          "Missing required parameter: 'prompt'.",
          'prompt',
          'missing_required_parameter',
        );
      if (edit) inputSize = await checkFiles(parsed.files);
    } else {
      const form = parsed.multipart
        ? { ...body, image: parsed.files.filter((f) => f.field !== 'mask').map(() => 'file') }
        : body;
      if (parsed.multipart && parsed.files.some((f) => f.field === 'mask')) form.mask = 'file';
      delete form['image[]'];
      const validator = !edit
        ? validators!.generation
        : parsed.multipart
          ? validators!.editForm
          : validators!.editJson;
      if (!validator(form)) throw schemaError(validator.errors);
      // The multipart validator coerced "2" to 2 and "true" to true in `form`.
      Object.assign(
        body,
        Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'image' && k !== 'mask')),
      );
      checkModelRules(body, edit, (options.now ?? Date.now)());
      if (edit && parsed.multipart) inputSize = await checkFiles(parsed.files);
    }
    const model = typeof body.model === 'string' ? body.model : edit ? 'gpt-image-1.5' : 'dall-e-2';
    const size = typeof body.size === 'string' ? body.size : 'auto';
    const dims = parseSize(size) ?? (edit && inputSize ? inputSize : { width: 1024, height: 1024 });
    const n = Number(body.n ?? 1);
    return {
      model,
      n,
      ...dims,
      format:
        (mode === 'openai' && isGpt(model)
          ? (body.output_format as Format | undefined)
          : undefined) ?? 'png',
      transparent: body.background === 'transparent',
      // DALL·E answers URLs unless asked for base64; compatible servers answer URLs anyway.
      wantsUrl: mode === 'compatible' || (!isGpt(model) && body.response_format !== 'b64_json'),
      edit,
      body,
      inputImages: parsed.files.filter((f) => f.field !== 'mask').length,
    };
  }

  return validate;
}
