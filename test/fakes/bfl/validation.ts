/** Request validation, in the shape of FastAPI/pydantic 422 answers. */

export interface Issue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
}

type Check = (value: unknown) => Pick<Issue, 'type' | 'msg'> | undefined;

const str: Check = (v) =>
  v === null || typeof v === 'string'
    ? undefined
    : { type: 'string_type', msg: 'Input should be a valid string' };

const bool: Check = (v) =>
  typeof v === 'boolean'
    ? undefined
    : { type: 'bool_type', msg: 'Input should be a valid boolean' };

function int(min?: number, max?: number, multipleOf?: number): Check {
  return (v) => {
    if (v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      return { type: 'int_type', msg: 'Input should be a valid integer' };
    }
    if (min !== undefined && v < min) {
      return { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${min}` };
    }
    if (max !== undefined && v > max) {
      return { type: 'less_than_equal', msg: `Input should be less than or equal to ${max}` };
    }
    if (multipleOf !== undefined && v % multipleOf !== 0) {
      return { type: 'multiple_of', msg: `Input should be a multiple of ${multipleOf}` };
    }
    return undefined;
  };
}

function num(min: number, max: number): Check {
  return (v) => {
    if (typeof v !== 'number') return { type: 'float_type', msg: 'Input should be a valid number' };
    if (v < min || v > max)
      return { type: 'value_error', msg: `Value must be between ${min} and ${max}` };
    return undefined;
  };
}

const outputFormat: Check = (v) =>
  v === null || v === 'jpeg' || v === 'png'
    ? undefined
    : { type: 'enum', msg: "Input should be 'jpeg' or 'png'" };

const aspectRatio: Check = (v) => {
  const match = typeof v === 'string' ? /^(\d+):(\d+)$/.exec(v) : null;
  const ratio = match ? Number(match[1]) / Number(match[2]) : NaN;
  if (!(ratio >= 9 / 21 - 1e-9 && ratio <= 21 / 9 + 1e-9)) {
    return { type: 'value_error', msg: 'Value error, Aspect ratio must be between 21:9 and 9:21' };
  }
  return undefined;
};

/** Base64 of a PNG/JPEG/WebP (no `data:` prefix), or an http(s) URL. */
const image: Check = (v) => {
  if (v === null) return undefined;
  if (typeof v !== 'string') return { type: 'string_type', msg: 'Input should be a valid string' };
  if (/^https?:\/\//.test(v)) return undefined;
  const bytes = /^[A-Za-z0-9+/]+=*$/.test(v) ? Buffer.from(v, 'base64') : Buffer.alloc(0);
  const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const jpeg = bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
  const webp = bytes.subarray(8, 12).toString('latin1') === 'WEBP';
  return png || jpeg || webp
    ? undefined
    : {
        type: 'value_error',
        msg: 'Value error, Input image must be a base64 encoded image or a URL',
      };
};

const webhook = { webhook_url: str, webhook_secret: str };
const inputImages = (count: number) =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      i === 0 ? 'input_image' : `input_image_${i + 1}`,
      image,
    ]),
  );

const FLUX_2_FIELDS: Record<string, Check> = {
  prompt: str,
  ...inputImages(8),
  seed: int(),
  width: int(64, undefined, 16),
  height: int(64, undefined, 16),
  safety_tolerance: int(0, 5),
  output_format: outputFormat,
  ...webhook,
};

const KONTEXT_FIELDS: Record<string, Check> = {
  prompt: str,
  ...inputImages(4),
  seed: int(),
  aspect_ratio: aspectRatio,
  output_format: outputFormat,
  prompt_upsampling: bool,
  safety_tolerance: int(0, 6),
  ...webhook,
};

export const SCHEMAS: Record<string, Record<string, Check>> = {
  'flux-2-pro': FLUX_2_FIELDS,
  'flux-2-max': FLUX_2_FIELDS,
  'flux-2-flex': {
    ...FLUX_2_FIELDS,
    prompt_upsampling: bool,
    guidance: num(1.5, 10),
    steps: int(1, 50),
  },
  'flux-pro-1.1': {
    prompt: str,
    image_prompt: image,
    width: int(256, 1440, 32),
    height: int(256, 1440, 32),
    prompt_upsampling: bool,
    seed: int(),
    safety_tolerance: int(0, 6),
    output_format: outputFormat,
    ...webhook,
  },
  'flux-pro-1.1-ultra': {
    prompt: str,
    prompt_upsampling: bool,
    seed: int(),
    aspect_ratio: aspectRatio,
    safety_tolerance: int(0, 6),
    output_format: outputFormat,
    raw: bool,
    image_prompt: image,
    image_prompt_strength: num(0, 1),
    ...webhook,
  },
  'flux-kontext-pro': KONTEXT_FIELDS,
  'flux-kontext-max': KONTEXT_FIELDS,
};

export function validate(model: string, body: Record<string, unknown>): Issue[] {
  const schema = SCHEMAS[model] ?? {};
  const issues: Issue[] = [];
  if (typeof body.prompt !== 'string') {
    issues.push({ type: 'missing', loc: ['body', 'prompt'], msg: 'Field required', input: body });
  }
  for (const [field, value] of Object.entries(body)) {
    const check = schema[field];
    if (!check) {
      issues.push({
        type: 'extra_forbidden',
        loc: ['body', field],
        msg: 'Extra inputs are not permitted',
        input: value,
      });
      continue;
    }
    const problem = check(value);
    if (problem) issues.push({ ...problem, loc: ['body', field], input: value });
  }
  if (
    typeof body.width === 'number' &&
    typeof body.height === 'number' &&
    body.width * body.height > 4_194_304
  ) {
    issues.push({
      type: 'value_error',
      loc: ['body'],
      msg: 'Value error, Image must be at most 4 megapixels',
      input: body,
    });
  }
  return issues;
}
