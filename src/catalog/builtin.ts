import type { ModelInput } from './schema.js';

/**
 * The built-in catalog: the models of PROVIDERS.md with their default prices (credits per output
 * image). Operators add models or override any field with a `PIXAPI_CATALOG` file.
 *
 * Lifecycle facts (status, dates, replacements) follow the providers' deprecation pages, each
 * cited in `source`. Models shut down upstream stay listed so that clients get a useful answer:
 * the ids clients were given first (`gpt-image-1.5`, the `nano-banana*` aliases) keep working
 * through `redirect`; the others answer 410 naming their replacement.
 */

const OPENAI_DEPRECATIONS = 'https://developers.openai.com/api/docs/deprecations';
const GEMINI_DEPRECATIONS = 'https://ai.google.dev/gemini-api/docs/deprecations';
// The GPT-Image-2.6 model page: same token rates as gpt-image-2 ($30 per 1M image output
// tokens), so the same per-image credits.
const GPT_IMAGE_2_6_PRICING =
  'https://developers.openai.com/de-DE/api/docs/models/gpt-image-2.6-sunburst';

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

/** GPT image models sized and priced as gpt-image-2 (any WxH within OpenAI's bounds). */
function gptImage2(id: string, name: string): ModelInput {
  return {
    ...gptImage(id, name, [1, 4, 14]),
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
      ...(id.startsWith('gpt-image-2.6') ? { source: GPT_IMAGE_2_6_PRICING } : {}),
    },
  };
}

type AfterShutdown = 'retire' | 'redirect';

function openaiShutdown(
  deprecatedAt: string,
  shutdownDate: string,
  replacement: string,
  afterShutdown: AfterShutdown,
): Partial<ModelInput> {
  return {
    status: 'deprecated',
    deprecated_at: deprecatedAt,
    shutdown_date: shutdownDate,
    replacement,
    after_shutdown: afterShutdown,
    source: OPENAI_DEPRECATIONS,
  };
}

/** DALL·E 2 and 3: shut down on 2026-05-12 (notice 2025-11-14), gpt-image-1 named instead. */
function dallE(id: 'dall-e-2' | 'dall-e-3', name: string): ModelInput {
  const three = id === 'dall-e-3';
  return {
    id,
    name,
    description: `OpenAI ${name}: shut down by OpenAI; kept so that clients learn what replaces it.`,
    owned_by: 'openai',
    capabilities: ['text-to-image'],
    routes: [{ provider: 'openai', model: id }],
    sizes: {
      auto: '1024x1024',
      list: three
        ? [
            { size: '1024x1024', tier: '1K' },
            { size: '1792x1024', tier: 'large' },
            { size: '1024x1792', tier: 'large' },
          ]
        : [
            { size: '256x256', tier: '1K' },
            { size: '512x512', tier: '1K' },
            { size: '1024x1024', tier: '1K' },
          ],
    },
    qualities: three ? ['auto', 'standard', 'hd'] : ['auto', 'standard'],
    output_formats: ['png'],
    max_n: three ? 1 : 10,
    pricing: {
      rules: three
        ? [
            { quality: ['hd'], tier: ['1K'], credits: 8 },
            { quality: ['hd'], credits: 12 },
            { tier: ['1K'], credits: 4 },
            { credits: 8 },
          ]
        : [{ credits: 2 }],
    },
    passthrough: three ? ['style'] : [],
    ...openaiShutdown('2025-11-14', '2026-05-12', 'gpt-image-1', 'retire'),
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
  {
    ...gptImage('gpt-image-1.5', 'GPT Image 1.5', [1, 4, 14], 'gpt-image-2'),
    // OpenAI names gpt-image-2.6-sunburst or -flare; flare is the everyday one, at the same price.
    ...openaiShutdown('2026-06-02', '2026-12-01', 'gpt-image-2.6-flare', 'redirect'),
  },
  gptImage2('gpt-image-2', 'GPT Image 2'),
  {
    ...gptImage2('gpt-image-2.6-flare', 'GPT Image 2.6 Flare'),
    description:
      'OpenAI GPT Image 2.6 Flare: the fast GPT image model for everyday generation and edits.',
    created: 1793750400,
  },
  {
    ...gptImage2('gpt-image-2.6-sunburst', 'GPT Image 2.6 Sunburst'),
    description:
      'OpenAI GPT Image 2.6 Sunburst: more detail and steadier multi-turn edits than Flare.',
    created: 1793750400,
  },
  gptImage('gpt-image-1', 'GPT Image 1', [1, 4, 17], 'gpt-image-1.5'),
  {
    ...gptImage('gpt-image-1-mini', 'GPT Image 1 mini', [0.5, 1, 4]),
    // Retired rather than redirected: the replacement costs several times more per image.
    ...openaiShutdown('2026-06-02', '2026-12-01', 'gpt-image-2.6-flare', 'retire'),
  },
  dallE('dall-e-3', 'DALL·E 3'),
  dallE('dall-e-2', 'DALL·E 2'),
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
];
