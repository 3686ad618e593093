import { z } from 'zod';
import { parseCredits } from '../credits.js';

/**
 * The shape of a catalog entry, shared by the built-in catalog and `PIXAPI_CATALOG` files
 * (YAML or JSON, snake_case keys). Prices are written in credits and kept in millicredits.
 */

const sizeString = z.string().regex(/^[1-9]\d{0,4}x[1-9]\d{0,4}$/, 'must be WIDTHxHEIGHT');

const credits = z.number().transform((value, ctx) => {
  const milli = value >= 0 ? parseCredits(value) : undefined;
  if (milli === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a non-negative number with ≤3 decimals' });
    return z.NEVER;
  }
  return milli;
});

export const priceRuleSchema = z
  .object({
    quality: z.array(z.string()).min(1).optional(),
    tier: z.array(z.string()).min(1).optional(),
    credits,
  })
  .strict();

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'must be a real date');

const sourceUrl = z.url({ protocol: /^https?$/ });

export const routeSchema = z
  .object({
    provider: z.string().min(1),
    /** The provider's own model id. */
    model: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const sizesSchema = z
  .object({
    /** What `size: "auto"` (or no size) means for this model. */
    auto: sizeString,
    list: z.array(z.object({ size: sizeString, tier: z.string().min(1) }).strict()).default([]),
    /** Any WxH within these bounds is accepted, priced by `tiers`. */
    free: z
      .object({
        multiple_of: z.number().int().min(1).default(1),
        min_side: z.number().int().min(1).default(16),
        max_side: z.number().int().min(1).default(16384),
        min_pixels: z.number().int().min(1).default(1),
        max_pixels: z.number().int().min(1),
        max_ratio: z.number().min(1),
      })
      .strict()
      .optional(),
    tiers: z
      .array(z.object({ tier: z.string().min(1), max_pixels: z.number().int().min(1) }).strict())
      .default([]),
  })
  .strict();

/** Page text: one string, or one per language (`{ en: ..., es: ... }`; English is the fallback). */
export const localizedTextSchema = z.union([
  z.string().min(1),
  z.object({ en: z.string().min(1) }).catchall(z.string().min(1)),
]);

/** What the public model page shows beyond the API facts; every field has a generated default. */
export const pageSchema = z
  .object({
    /** Capability-like tags beyond the capabilities (`text-rendering`, `transparency`...). */
    tags: z.array(z.string().min(1)).default([]),
    features: z.array(localizedTextSchema).optional(),
    use_cases: z.array(localizedTextSchema).optional(),
    faq: z.array(z.object({ q: localizedTextSchema, a: localizedTextSchema }).strict()).optional(),
    /** The id of the model to move to (e.g. gpt-image-1.5 → gpt-image-2). */
    upgrade_to: z.string().min(1).optional(),
  })
  .strict();

export const modelSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/, 'must be a simple model id'),
    name: z.string().min(1),
    description: z.string().min(1),
    owned_by: z.string().min(1),
    created: z.number().int().nonnegative().default(1764072000),
    aliases: z.array(z.string().min(1)).default([]),
    capabilities: z.array(z.enum(['text-to-image', 'image-to-image'])).min(1),
    /** Tried in order: the first configured route serves, the next ones are fallbacks. */
    routes: z.array(routeSchema).min(1),
    sizes: sizesSchema,
    qualities: z.array(z.string().min(1)).min(1),
    output_formats: z
      .array(z.enum(['png', 'jpeg', 'webp']))
      .min(1)
      .default(['png', 'jpeg', 'webp']),
    backgrounds: z
      .array(z.enum(['auto', 'opaque', 'transparent']))
      .min(1)
      .default(['auto']),
    max_n: z.number().int().min(1).max(10).default(10),
    max_input_images: z.number().int().min(1).max(16).default(16),
    stream: z.boolean().default(false),
    pricing: z
      .object({
        rules: z.array(priceRuleSchema).min(1),
        /** Where the provider publishes the price these rules follow. */
        source: sourceUrl.optional(),
      })
      .strict()
      .refine((p) => !p.rules.at(-1)?.quality && !p.rules.at(-1)?.tier, {
        message: 'the last pricing rule must have no conditions, so that every request has a price',
      }),
    /** Extra request fields forwarded to the provider as-is (e.g. dall-e-3's `style`). */
    passthrough: z.array(z.string().min(1)).default([]),
    page: pageSchema.default({ tags: [] }),
    // Lifecycle, as the provider publishes it (see lifecycle.ts for what the dates do).
    /** Declared state; the dates move it on by themselves (a passed shutdown means retired). */
    status: z.enum(['active', 'deprecated', 'retired']).default('active'),
    /** When the provider announced the deprecation (the `Deprecation` header's date). */
    deprecated_at: isoDate.optional(),
    /** The first day (UTC) the upstream id no longer answers; OpenAI's field name. */
    shutdown_date: isoDate.optional(),
    /** The catalog id clients should move to (the `Link rel="successor-version"` target). */
    replacement: z.string().min(1).optional(),
    /** After shutdown: `retire` answers 410, `redirect` serves the replacement at its price. */
    after_shutdown: z.enum(['retire', 'redirect']).default('retire'),
    /** The provider's page that states these lifecycle facts. */
    source: sourceUrl.optional(),
  })
  .strict();

export type ModelSpec = z.output<typeof modelSchema>;
export type ModelInput = z.input<typeof modelSchema>;
export type SizeSpec = ModelSpec['sizes'];
export type PriceRule = ModelSpec['pricing']['rules'][number];
export type RouteSpec = ModelSpec['routes'][number];
export type Capability = ModelSpec['capabilities'][number];
export type LocalizedText = z.output<typeof localizedTextSchema>;
export type PageSpec = ModelSpec['page'];
export type LifecycleStatus = ModelSpec['status'];
export type AfterShutdown = ModelSpec['after_shutdown'];
