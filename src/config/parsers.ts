import { z } from 'zod';
import { parseCredits } from '../credits.js';

/**
 * Zod parsers of one environment variable each. Every variable is optional: an unset or blank
 * value means the default, so that `NAME=` in a `.env` file reads as "not set".
 */

export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

export const url = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL (${protocols.join(' or ')})` },
  );

export const httpUrl = url(['http:', 'https:']);

export const boolean = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      if (/^(1|true|yes)$/i.test(v)) return true;
      if (/^(0|false|no)$/i.test(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

/** A limit: a positive integer, or unset for none. */
export const optionalLimit = optionalString.transform((v, ctx) => {
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000_000) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive integer' });
    return z.NEVER;
  }
  return n;
});

/** A number of credits (decimals allowed) as millicredits, or unset for none. */
export const optionalCredits = optionalString.transform((v, ctx) => {
  if (v === undefined) return null;
  const milli = parseCredits(v);
  if (milli === undefined || milli === 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive number of credits' });
    return z.NEVER;
  }
  return milli;
});

/** A number of credits (decimals allowed, zero too) as millicredits. */
export const credits = (fallback: number) =>
  optionalString.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const milli = parseCredits(v);
    if (milli === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a number of credits' });
      return z.NEVER;
    }
    return milli;
  });

export function trimSlash(u: string): string {
  return u.replace(/\/+$/, '');
}
