import type { ModelInput } from './schema.js';

/**
 * Open and third-party model families served by the hosted providers (fal first, Replicate as
 * fallback where both have the model), without adapters of their own: each route's options map
 * Pixapi's request onto the model's input schema. Prices are credits per output image (1 credit
 * is about $0.01), from the hosts' published per-image prices.
 */

// Any WxH the hosts take; Replicate routes get the nearest aspect ratio instead.
const FREE_SIZES = {
  auto: '1024x1024',
  free: { multiple_of: 16, min_side: 256, max_side: 4096, max_pixels: 4_194_304, max_ratio: 3 },
};

// Third-party comparison pages: fal's and Replicate's own pricing pages were not found.
const SEEDREAM_PRICE = 'https://muapi.ai/ja/comparison/bytedance-seedream-v4';
const QWEN_PRICE = 'https://muapi.ai/th/comparison/qwen-image';
const QWEN_EDIT_PRICE = 'https://muapi.ai/ja/comparison/qwen-image-edit';

interface Hosted {
  id: string;
  name: string;
  description: string;
  owned_by: string;
  edits: boolean;
  routes: ModelInput['routes'];
  credits: number;
  source?: string;
  maxN?: number;
  maxInputImages?: number;
  formats?: ModelInput['output_formats'];
}

function hosted(m: Hosted): ModelInput {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    owned_by: m.owned_by,
    capabilities: m.edits ? ['image-to-image'] : ['text-to-image'],
    routes: m.routes,
    sizes: FREE_SIZES,
    qualities: ['auto'],
    output_formats: m.formats ?? ['png', 'jpeg', 'webp'],
    max_n: m.maxN ?? 4,
    max_input_images: m.maxInputImages ?? 1,
    pricing: { rules: [{ credits: m.credits }], ...(m.source ? { source: m.source } : {}) },
  };
}

// The ratios Luma Photon and Ideogram 3 take on Replicate (FLUX's list has others).
const LUMA_RATIOS = ['1:1', '3:4', '4:3', '9:16', '16:9', '9:21', '21:9'];
const IDEOGRAM_RATIOS = [
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
];

// fal's Seedream endpoints take no output_format (they write PNG) and cap num_images at 6.
const SEEDREAM_FAL = { omit: ['output_format'] };
// Replicate's Seedream 4 takes width/height with size "custom" and one image per prediction.
const SEEDREAM_REPLICATE = { size: 'custom', size_mode: 'dimensions', max_outputs: 1 };

export const hostedModels: ModelInput[] = [
  hosted({
    id: 'seedream-4',
    name: 'Seedream 4.0',
    description:
      "ByteDance's Seedream 4.0: high-resolution text-to-image with strong text rendering.",
    owned_by: 'bytedance',
    edits: false,
    routes: [
      {
        provider: 'fal',
        model: 'fal-ai/bytedance/seedream/v4/text-to-image',
        options: SEEDREAM_FAL,
      },
      { provider: 'replicate', model: 'bytedance/seedream-4', options: SEEDREAM_REPLICATE },
    ],
    credits: 5,
    source: SEEDREAM_PRICE,
  }),
  hosted({
    id: 'seedream-4-edit',
    name: 'Seedream 4.0 Edit',
    description: 'Seedream 4.0 editing and multi-reference fusion (up to 10 source images).',
    owned_by: 'bytedance',
    edits: true,
    routes: [
      {
        provider: 'fal',
        model: 'fal-ai/bytedance/seedream/v4/edit',
        options: { ...SEEDREAM_FAL, image_field: 'image_urls[]' },
      },
      {
        provider: 'replicate',
        model: 'bytedance/seedream-4',
        options: { ...SEEDREAM_REPLICATE, image_field: 'image_input[]' },
      },
    ],
    credits: 5,
    source: SEEDREAM_PRICE,
    maxInputImages: 10,
  }),
  hosted({
    id: 'qwen-image',
    name: 'Qwen-Image',
    description: "Alibaba's open-weights Qwen-Image: complex text rendering, Chinese and English.",
    owned_by: 'qwen',
    edits: false,
    routes: [
      { provider: 'fal', model: 'fal-ai/qwen-image' },
      { provider: 'replicate', model: 'qwen/qwen-image', options: { max_outputs: 1 } },
    ],
    credits: 5,
    source: QWEN_PRICE,
  }),
  hosted({
    id: 'qwen-image-edit',
    name: 'Qwen-Image-Edit',
    description: 'Qwen-Image editing: precise text edits and semantic changes of one source image.',
    owned_by: 'qwen',
    edits: true,
    routes: [
      { provider: 'fal', model: 'fal-ai/qwen-image-edit' },
      {
        provider: 'replicate',
        model: 'qwen/qwen-image-edit',
        options: { image_field: 'image', max_outputs: 1 },
      },
    ],
    credits: 5,
    source: QWEN_EDIT_PRICE,
  }),
  hosted({
    id: 'ideogram-v3',
    name: 'Ideogram 3.0',
    description: 'Ideogram 3.0 (balanced speed): typography, posters and graphic design.',
    owned_by: 'ideogram',
    edits: false,
    routes: [
      {
        provider: 'fal',
        model: 'fal-ai/ideogram/v3',
        options: { omit: ['output_format', 'enable_safety_checker'], rendering_speed: 'BALANCED' },
      },
      {
        provider: 'replicate',
        model: 'ideogram-ai/ideogram-v3-balanced',
        options: { max_outputs: 1, aspect_ratios: IDEOGRAM_RATIOS },
      },
    ],
    credits: 6,
    formats: ['png', 'jpeg', 'webp'],
  }),
  hosted({
    id: 'luma-photon',
    name: 'Luma Photon',
    description:
      "Luma's Photon: photoreal, prompt-faithful images with style and character references.",
    owned_by: 'luma',
    edits: false,
    routes: [
      {
        provider: 'replicate',
        model: 'luma/photon',
        options: { max_outputs: 1, aspect_ratios: LUMA_RATIOS },
      },
    ],
    credits: 3,
    maxN: 4,
  }),
  hosted({
    id: 'luma-photon-flash',
    name: 'Luma Photon Flash',
    description: 'The fast, lower-cost Photon.',
    owned_by: 'luma',
    edits: false,
    routes: [
      {
        provider: 'replicate',
        model: 'luma/photon-flash',
        options: { max_outputs: 1, aspect_ratios: LUMA_RATIOS },
      },
    ],
    credits: 1,
  }),
];
