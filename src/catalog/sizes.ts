import type { SizeSpec } from './schema.js';

export interface ResolvedSize {
  width: number;
  height: number;
  tier: string;
}

function parse(size: string): { width: number; height: number } | undefined {
  const match = /^([1-9]\d{0,4})x([1-9]\d{0,4})$/.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

function freeTier(spec: SizeSpec, pixels: number): string | undefined {
  if (spec.tiers.length === 0) return 'default';
  return [...spec.tiers]
    .sort((a, b) => a.max_pixels - b.max_pixels)
    .find((t) => pixels <= t.max_pixels)?.tier;
}

/**
 * The width, height and price tier of a requested size, or undefined when the model does not
 * offer it. `auto` (or no size) is the model's declared default.
 */
export function resolveSize(
  spec: SizeSpec,
  requested: string | undefined,
): ResolvedSize | undefined {
  const asked = requested === undefined || requested === 'auto' ? spec.auto : requested;
  const listed = spec.list.find((s) => s.size === asked);
  const dims = parse(asked);
  if (!dims) return undefined;
  if (listed) return { ...dims, tier: listed.tier };
  const free = spec.free;
  if (!free) return undefined;
  const { width, height } = dims;
  const pixels = width * height;
  const ratio = Math.max(width, height) / Math.min(width, height);
  const fits =
    width % free.multiple_of === 0 &&
    height % free.multiple_of === 0 &&
    Math.min(width, height) >= free.min_side &&
    Math.max(width, height) <= free.max_side &&
    pixels >= free.min_pixels &&
    pixels <= free.max_pixels &&
    ratio <= free.max_ratio + 1e-9;
  if (!fits) return undefined;
  const tier = freeTier(spec, pixels);
  return tier === undefined ? undefined : { width, height, tier };
}

/** A one-line description of the accepted sizes, for error messages and model pages. */
export function describeSizes(spec: SizeSpec): string {
  const parts = ['auto', ...spec.list.map((s) => s.size)];
  const free = spec.free;
  if (free) {
    parts.push(
      `any WIDTHxHEIGHT with sides multiple of ${free.multiple_of}, ${free.min_side}–${free.max_side} px, ` +
        `${free.min_pixels}–${free.max_pixels} pixels, ratio at most ${free.max_ratio}:1`,
    );
  }
  return parts.join(', ');
}
