import { parseCredits } from '../billing/credits.js';
import { UsageError } from './output.js';

export type Options = Record<string, string | boolean | undefined>;

export function requireOption(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`missing --${name}`);
  return value.trim();
}

/** A `--name C` decimal count of credits, in millicredits. */
export function optionalCredits(options: Options, name: string): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  const milli = typeof value === 'string' ? parseCredits(value) : undefined;
  if (milli === undefined)
    throw new UsageError(`--${name} must be a number of credits, got "${String(value)}"`);
  return milli;
}
