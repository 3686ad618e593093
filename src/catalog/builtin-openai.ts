import type { AfterShutdown, ModelInput } from './schema.js';

/**
 * OpenAI's image models in the built-in catalog: the current GPT image models, and the ids
 * OpenAI shut down, with the lifecycle its deprecations page publishes.
 */

const OPENAI_DEPRECATIONS = 'https://developers.openai.com/api/docs/deprecations';
// The GPT-Image-2.6 model page: same token rates as gpt-image-2 ($30 per 1M image output
// tokens), so the same per-image credits.
const GPT_IMAGE_2_6_PRICING =
  'https://developers.openai.com/de-DE/api/docs/models/gpt-image-2.6-sunburst';

export const GPT_QUALITIES = ['auto', 'low', 'medium', 'high'];
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

/**
 * DALL·E 2 and 3: shut down on 2026-05-12 (notice 2025-11-14). OpenAI named gpt-image-1, shut
 * down since too: a 410 names the model a client can move to today.
 */
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
    ...openaiShutdown('2025-11-14', '2026-05-12', 'gpt-image-2.6-flare', 'retire'),
  };
}

export const openaiModels: ModelInput[] = [
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
  {
    ...gptImage('gpt-image-1', 'GPT Image 1', [1, 4, 17]),
    // OpenAI's 2026-04-22 "legacy snapshots" notice shut gpt-image-1 down on 2026-10-23 with
    // gpt-image-1.5 as its substitute, itself shut down on 2026-12-01; so both lead to the live
    // successor, at a price close to gpt-image-1's own (14 against 17 credits at high quality).
    ...openaiShutdown('2026-04-22', '2026-10-23', 'gpt-image-2.6-flare', 'redirect'),
  },
  {
    ...gptImage('gpt-image-1-mini', 'GPT Image 1 mini', [0.5, 1, 4]),
    // Retired rather than redirected: the replacement costs several times more per image.
    ...openaiShutdown('2026-06-02', '2026-12-01', 'gpt-image-2.6-flare', 'retire'),
  },
  dallE('dall-e-3', 'DALL·E 3'),
  dallE('dall-e-2', 'DALL·E 2'),
];
