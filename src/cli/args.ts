import { parseCredits } from '../credits.js';
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
  return credits(name, value);
}

/** A required `--name C` count of credits above zero, in millicredits. */
export function positiveCredits(options: Options, name: string): number {
  const milli = credits(name, requireOption(options, name));
  if (milli === 0) throw new UsageError(`--${name} must be more than 0 credits`);
  return milli;
}

function credits(name: string, value: string | boolean): number {
  const text = String(value).trim();
  if (/^-\d/.test(text)) {
    throw new UsageError(`--${name} cannot be negative (got ${text}): credits are only granted`);
  }
  const milli = parseCredits(text);
  if (milli === undefined) {
    throw new UsageError(
      `--${name} must be a number of credits with at most 3 decimals (e.g. 10 or 0.5), got "${text}"`,
    );
  }
  return milli;
}

/**
 * Node's parseArgs refuses `--credits -5` as ambiguous; a value that looks like a negative number
 * is joined to its option instead (`--credits=-5`), so that the command can name the problem.
 */
export function joinNegativeValues(args: string[], valueOptions: Set<string>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg.startsWith('--') && valueOptions.has(arg.slice(2)) && next && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}
