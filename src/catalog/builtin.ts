import { hostedModels } from './builtin-hosted.js';
import { GPT_QUALITIES, openaiModels } from './builtin-openai.js';
import type { AfterShutdown, ModelInput } from './schema.js';

/**
 * The built-in catalog: the models of PROVIDERS.md with their default prices (credits per output
 * image). Operators add models or override any field with a `PIXAPI_CATALOG` file.
 *
 * Lifecycle facts (status, dates, replacements) follow the providers' deprecation pages, each
 * cited in `source`. Models shut down upstream stay listed so that clients get a useful answer:
 * the ids clients were given first (`gpt-image-1.5`, the `nano-banana*` aliases) keep working
 * through `redirect`; the others answer 410 naming their replacement.
 */

const GEMINI_DEPRECATIONS = 'https://ai.google.dev/gemini-api/docs/deprecations';
// Google's documented 1K resolutions per aspect ratio; the other tiers scale them.
const GEMINI_1K: Array<[number, number]> = [
  [1024, 1024],
  [832, 1248],
  [1248, 832],
  [864, 1184],
  [1184, 864],
  [896, 1152],
  [1152, 896],
  [768, 1344],
  [1344, 768],
  [1536, 672],
];

function geminiSizes(tiers: Array<[string, number]>) {
  return {
    auto: '1024x1024',
    list: tiers.flatMap(([tier, scale]) =>
      GEMINI_1K.map(([w, h]) => ({ size: `${w * scale}x${h * scale}`, tier })),
    ),
  };
}

function gemini(
  id: string,
  alias: string | undefined,
  name: string,
  description: string,
  tiers: Array<[string, number]>,
  pricing: ModelInput['pricing'],
  maxInputImages: number,
): ModelInput {
  return {
    id,
    name,
    description,
    owned_by: 'google',
    aliases: alias ? [alias] : [],
    capabilities: ['text-to-image', 'image-to-image'],
    routes: [{ provider: 'gemini', model: id }],
    sizes: geminiSizes(tiers),
    qualities: ['auto'],
    output_formats: ['png'],
    max_input_images: maxInputImages,
    pricing,
  };
}

const FLASH_TIERS: Array<[string, number]> = [
  ['512', 0.5],
  ['1K', 1],
  ['2K', 2],
  ['4K', 4],
];
const FLASH_PRICING = {
  rules: [{ tier: ['2K'], credits: 6 }, { tier: ['4K'], credits: 8 }, { credits: 4 }],
};
const PRO_TIERS: Array<[string, number]> = [
  ['1K', 1],
  ['2K', 2],
  ['4K', 4],
];
const PRO_PRICING = { rules: [{ tier: ['4K'], credits: 16 }, { credits: 8 }] };

/**
 * A Gemini id that Google shut down. Google's page gives no deprecation date for these, so the
 * GA release of the successor (2026-05-28), when the shutdown was announced, stands for it.
 */
function geminiShutdown(
  shutdownDate: string,
  replacement: string,
  afterShutdown: AfterShutdown,
): Partial<ModelInput> {
  return {
    status: 'retired',
    deprecated_at: '2026-05-28',
    shutdown_date: shutdownDate,
    replacement,
    after_shutdown: afterShutdown,
    source: GEMINI_DEPRECATIONS,
  };
}

/**
 * Imagen 4, shut down on 2026-08-17. Listed so that clients get 410 naming a Gemini image model;
 * the route is never called (the Gemini adapter does not speak Imagen's `:predict`).
 */
function imagen4(id: string, name: string): ModelInput {
  return {
    ...gemini(
      id,
      undefined,
      name,
      `Google ${name}, shut down by Google.`,
      [['1K', 1]],
      { rules: [{ credits: 4 }] },
      1,
    ),
    capabilities: ['text-to-image'],
    ...geminiShutdown('2026-08-17', 'gemini-3.1-flash-image', 'retire'),
  };
}

const FLUX_FREE_SIZES = {
  auto: '1024x1024',
  free: { multiple_of: 16, min_side: 256, max_side: 4096, max_pixels: 4_194_304, max_ratio: 4 },
};

function bfl(id: string, name: string, credits: number, edits: boolean): ModelInput {
  return {
    id,
    name,
    description: `Black Forest Labs ${name}${edits ? ', with reference-image editing' : ''}.`,
    owned_by: 'black-forest-labs',
    capabilities: edits ? ['text-to-image', 'image-to-image'] : ['text-to-image'],
    routes: [{ provider: 'bfl', model: id }],
    sizes: FLUX_FREE_SIZES,
    qualities: ['auto'],
    output_formats: ['png', 'jpeg'],
    max_input_images: edits ? 4 : 1,
    pricing: { rules: [{ credits }] },
    passthrough: ['safety_tolerance', 'prompt_upsampling'],
  };
}

export const builtinModels: ModelInput[] = [
  {
    id: 'local-placeholder',
    name: 'Local placeholder',
    description:
      'Built-in deterministic placeholder renderer, not an AI model: draws the prompt over a ' +
      'pattern derived from (prompt, seed) at the exact size and format asked. For development, ' +
      'tests, demos and load tests; needs no network and no key.',
    owned_by: 'pixapi',
    capabilities: ['text-to-image', 'image-to-image'],
    routes: [{ provider: 'local', model: 'local-placeholder' }],
    sizes: {
      auto: '1024x1024',
      list: [
        { size: '1024x1024', tier: 'default' },
        { size: '1536x1024', tier: 'default' },
        { size: '1024x1536', tier: 'default' },
      ],
      free: { multiple_of: 1, min_side: 16, max_side: 4096, max_pixels: 16_777_216, max_ratio: 8 },
    },
    qualities: GPT_QUALITIES,
    backgrounds: ['auto', 'opaque', 'transparent'],
    pricing: { rules: [{ credits: 1 }] },
  },
  ...openaiModels,
  {
    ...gemini(
      'gemini-2.5-flash-image',
      'nano-banana',
      'Nano Banana (Gemini 2.5 Flash Image)',
      "Google's fast image generation and editing model, good at consistent characters and edits.",
      [['1K', 1]],
      { rules: [{ credits: 2 }] },
      3,
    ),
    // Google lists 2026-10-02 as its *earliest* shutdown, not a date it has set: deprecated,
    // without a shutdown_date, until Google announces one (`pixapi models check` notices).
    status: 'deprecated',
    replacement: 'gemini-3.1-flash-image',
    after_shutdown: 'redirect',
    source: GEMINI_DEPRECATIONS,
  },
  {
    ...gemini(
      'gemini-3.1-flash-image',
      'nano-banana-2',
      'Nano Banana 2 (Gemini 3.1 Flash Image)',
      "Google's second-generation fast image model: 512px output and 2K/4K tiers.",
      FLASH_TIERS,
      FLASH_PRICING,
      14,
    ),
    created: 1779926400,
  },
  {
    ...gemini(
      'gemini-3-pro-image',
      'nano-banana-pro',
      'Nano Banana Pro (Gemini 3 Pro Image)',
      "Google's highest-quality image model: 1K/2K/4K, up to 14 reference images, reasoning.",
      PRO_TIERS,
      PRO_PRICING,
      14,
    ),
    created: 1779926400,
  },
  // The preview ids: shut down, served by their GA successors (the aliases moved there too).
  {
    ...gemini(
      'gemini-3.1-flash-image-preview',
      undefined,
      'Nano Banana 2 preview (Gemini 3.1 Flash Image preview)',
      'The preview of Gemini 3.1 Flash Image, shut down by Google.',
      FLASH_TIERS,
      FLASH_PRICING,
      14,
    ),
    ...geminiShutdown('2026-06-25', 'gemini-3.1-flash-image', 'redirect'),
  },
  {
    ...gemini(
      'gemini-3-pro-image-preview',
      undefined,
      'Nano Banana Pro preview (Gemini 3 Pro Image preview)',
      'The preview of Gemini 3 Pro Image, shut down by Google.',
      PRO_TIERS,
      PRO_PRICING,
      14,
    ),
    ...geminiShutdown('2026-06-25', 'gemini-3-pro-image', 'redirect'),
  },
  imagen4('imagen-4.0-generate-001', 'Imagen 4'),
  imagen4('imagen-4.0-ultra-generate-001', 'Imagen 4 Ultra'),
  imagen4('imagen-4.0-fast-generate-001', 'Imagen 4 Fast'),
  bfl('flux-2-pro', 'FLUX.2 [pro]', 3, true),
  bfl('flux-2-max', 'FLUX.2 [max]', 7, true),
  bfl('flux-pro-1.1', 'FLUX1.1 [pro]', 4, false),
  bfl('flux-pro-1.1-ultra', 'FLUX1.1 [pro] Ultra', 6, false),
  bfl('flux-kontext-pro', 'FLUX.1 Kontext [pro]', 4, true),
  bfl('flux-kontext-max', 'FLUX.1 Kontext [max]', 8, true),
  {
    id: 'flux-schnell',
    name: 'FLUX.1 [schnell]',
    description: 'Fast open-weights FLUX model, served by fal.ai with Replicate as fallback.',
    owned_by: 'black-forest-labs',
    capabilities: ['text-to-image'],
    routes: [
      { provider: 'fal', model: 'fal-ai/flux/schnell' },
      { provider: 'replicate', model: 'black-forest-labs/flux-schnell' },
    ],
    sizes: FLUX_FREE_SIZES,
    qualities: ['auto'],
    output_formats: ['png', 'jpeg', 'webp'],
    max_n: 4,
    pricing: { rules: [{ credits: 0.5 }] },
  },
  {
    id: 'flux-dev',
    name: 'FLUX.1 [dev]',
    description:
      'Open-weights FLUX development model, served by fal.ai with Replicate as fallback.',
    owned_by: 'black-forest-labs',
    capabilities: ['text-to-image'],
    routes: [
      { provider: 'fal', model: 'fal-ai/flux/dev' },
      { provider: 'replicate', model: 'black-forest-labs/flux-dev' },
    ],
    sizes: FLUX_FREE_SIZES,
    qualities: ['auto'],
    output_formats: ['png', 'jpeg', 'webp'],
    max_n: 4,
    pricing: { rules: [{ credits: 3 }] },
  },
  ...hostedModels,
];
