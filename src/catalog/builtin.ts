import type { ModelInput } from './schema.js';

/**
 * The built-in catalog: the models of PROVIDERS.md with their default prices (credits per output
 * image). Operators add models or override any field with a `PIXAPI_CATALOG` file.
 */

const GPT_QUALITIES = ['auto', 'low', 'medium', 'high'];
const GPT_LISTED_SIZES = [
  { size: '1024x1024', tier: '1K' },
  { size: '1536x1024', tier: 'large' },
  { size: '1024x1536', tier: 'large' },
];

/** OpenAI's per-quality price at 1024², with larger sizes costing 1.5 times as much. */
function gptPricing(low: number, medium: number, high: number) {
  return {
    rules: [
      { quality: ['low'], tier: ['1K'], credits: low },
      { quality: ['medium'], tier: ['1K'], credits: medium },
      { tier: ['1K'], credits: high },
      { quality: ['low'], credits: low * 1.5 },
      { quality: ['medium'], credits: medium * 1.5 },
      { credits: high * 1.5 },
    ],
  };
}

const GPT_PAGE = {
  tags: ['text-rendering', 'transparent-background'],
  features: [
    {
      en: 'Renders legible text inside images: signs, labels, posters.',
      es: 'Escribe texto legible dentro de las imágenes: carteles, etiquetas, pósteres.',
    },
    {
      en: 'Transparent backgrounds for logos, stickers and product cut-outs.',
      es: 'Fondos transparentes para logotipos, pegatinas y recortes de producto.',
    },
    {
      en: 'Edits with up to 16 reference images and an optional mask.',
      es: 'Ediciones con hasta 16 imágenes de referencia y una máscara opcional.',
    },
  ],
};

function gptImage(
  id: string,
  name: string,
  prices: [number, number, number],
  upgradeTo?: string,
): ModelInput {
  return {
    id,
    name,
    description: `OpenAI ${name}: strong prompt following and text rendering, transparent backgrounds.`,
    owned_by: 'openai',
    capabilities: ['text-to-image', 'image-to-image'],
    routes: [{ provider: 'openai', model: id }],
    sizes: { auto: '1024x1024', list: GPT_LISTED_SIZES },
    qualities: GPT_QUALITIES,
    backgrounds: ['auto', 'opaque', 'transparent'],
    stream: true,
    pricing: gptPricing(...prices),
    page: { ...GPT_PAGE, ...(upgradeTo ? { upgrade_to: upgradeTo } : {}) },
  };
}

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
  alias: string,
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
    aliases: [alias],
    capabilities: ['text-to-image', 'image-to-image'],
    routes: [{ provider: 'gemini', model: id }],
    sizes: geminiSizes(tiers),
    qualities: ['auto'],
    output_formats: ['png'],
    max_input_images: maxInputImages,
    pricing,
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
  gptImage('gpt-image-1.5', 'GPT Image 1.5', [1, 4, 14], 'gpt-image-2'),
  {
    ...gptImage('gpt-image-2', 'GPT Image 2', [1, 4, 14]),
    sizes: {
      auto: '1024x1024',
      list: [
        ...GPT_LISTED_SIZES.map((s) => ({ ...s, tier: '1K' })),
        { size: '2048x2048', tier: '2K' },
        { size: '2048x1152', tier: '2K' },
        { size: '1152x2048', tier: '2K' },
        { size: '3840x2160', tier: '4K' },
        { size: '2160x3840', tier: '4K' },
      ],
      free: {
        multiple_of: 16,
        min_side: 16,
        max_side: 3840,
        min_pixels: 655_360,
        max_pixels: 8_294_400,
        max_ratio: 3,
      },
      // 1K reaches 1536x1024; 2K reaches 2048x2048; 4K the rest up to 3840x2160.
      tiers: [
        { tier: '1K', max_pixels: 1_572_864 },
        { tier: '2K', max_pixels: 4_194_304 },
        { tier: '4K', max_pixels: 8_294_400 },
      ],
    },
    pricing: {
      rules: [
        { quality: ['low'], tier: ['1K'], credits: 1 },
        { quality: ['medium'], tier: ['1K'], credits: 4 },
        { tier: ['1K'], credits: 14 },
        { quality: ['low'], tier: ['2K'], credits: 2 },
        { quality: ['medium'], tier: ['2K'], credits: 17 },
        { tier: ['2K'], credits: 67 },
        { quality: ['low'], credits: 4 },
        { quality: ['medium'], credits: 34 },
        { credits: 133 },
      ],
    },
  },
  gptImage('gpt-image-1', 'GPT Image 1', [1, 4, 17], 'gpt-image-1.5'),
  gptImage('gpt-image-1-mini', 'GPT Image 1 mini', [0.5, 1, 4]),
  {
    id: 'dall-e-3',
    name: 'DALL·E 3',
    description: 'OpenAI DALL·E 3: one image per request, vivid or natural style.',
    owned_by: 'openai',
    capabilities: ['text-to-image'],
    routes: [{ provider: 'openai', model: 'dall-e-3' }],
    sizes: {
      auto: '1024x1024',
      list: [
        { size: '1024x1024', tier: '1K' },
        { size: '1792x1024', tier: 'large' },
        { size: '1024x1792', tier: 'large' },
      ],
    },
    qualities: ['auto', 'standard', 'hd'],
    output_formats: ['png'],
    max_n: 1,
    pricing: {
      rules: [
        { quality: ['hd'], tier: ['1K'], credits: 8 },
        { quality: ['hd'], credits: 12 },
        { tier: ['1K'], credits: 4 },
        { credits: 8 },
      ],
    },
    passthrough: ['style'],
    page: { upgrade_to: 'gpt-image-1.5' },
  },
  gemini(
    'gemini-2.5-flash-image',
    'nano-banana',
    'Nano Banana (Gemini 2.5 Flash Image)',
    "Google's fast image generation and editing model, good at consistent characters and edits.",
    [['1K', 1]],
    { rules: [{ credits: 2 }] },
    3,
  ),
  gemini(
    'gemini-3.1-flash-image-preview',
    'nano-banana-2',
    'Nano Banana 2 (Gemini 3.1 Flash Image preview)',
    "Google's second-generation fast image model: adds 512px output and 2K/4K tiers.",
    [
      ['512', 0.5],
      ['1K', 1],
      ['2K', 2],
      ['4K', 4],
    ],
    {
      rules: [{ tier: ['2K'], credits: 6 }, { tier: ['4K'], credits: 8 }, { credits: 4 }],
    },
    14,
  ),
  gemini(
    'gemini-3-pro-image-preview',
    'nano-banana-pro',
    'Nano Banana Pro (Gemini 3 Pro Image preview)',
    "Google's highest-quality image model: 1K/2K/4K, up to 14 reference images, reasoning.",
    [
      ['1K', 1],
      ['2K', 2],
      ['4K', 4],
    ],
    { rules: [{ tier: ['4K'], credits: 16 }, { credits: 8 }] },
    14,
  ),
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
];
