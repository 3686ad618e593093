import { parseCredits } from '../credits.js';
import type { LimitName, LimitSet } from '../limits/types.js';
import type { Options } from './args.js';
import type { OptionSpec } from './command-table.js';
import { UsageError } from './output.js';

/** The CLI flag of each limit; credits are decimals, the others positive integers. */
const FLAGS: Record<LimitName, string> = {
  rpm: 'rpm',
  imagesPerMinute: 'images-per-minute',
  maxConcurrent: 'max-concurrent',
  dailyCredits: 'daily-credits',
  monthlyCredits: 'monthly-credits',
};

/** The options that `keys create` and `keys update` accept for limits, with their help. */
export const LIMIT_OPTIONS: Record<string, OptionSpec> = {
  rpm: { type: 'string', value: 'R', description: 'requests per minute (none: no limit)' },
  'images-per-minute': {
    type: 'string',
    value: 'N',
    description: 'images per minute, n counted (none: no limit)',
  },
  'max-concurrent': {
    type: 'string',
    value: 'N',
    description: 'requests and tasks in flight at once (none: no limit)',
  },
  'daily-credits': {
    type: 'string',
    value: 'C',
    description: 'credits per UTC day (none: no limit)',
  },
  'monthly-credits': {
    type: 'string',
    value: 'C',
    description: 'credits per calendar month, UTC (none: no limit)',
  },
};

function parseLimit(name: LimitName, text: string): number {
  if (name === 'dailyCredits' || name === 'monthlyCredits') {
    const milli = parseCredits(text);
    if (milli === undefined || milli === 0)
      throw new UsageError(`--${FLAGS[name]} must be a positive number of credits or "none"`);
    return milli;
  }
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${FLAGS[name]} must be a positive integer or "none"`);
  return n;
}

/**
 * The limits given as flags; `none` removes one (on `keys update`). Unmentioned limits are
 * absent from the result, so an update leaves them as they are.
 */
export function limitOptions(options: Options): Partial<LimitSet> {
  const limits: Partial<LimitSet> = {};
  for (const [name, flag] of Object.entries(FLAGS) as [LimitName, string][]) {
    const value = options[flag];
    if (typeof value !== 'string') continue;
    limits[name] = value.trim() === 'none' ? null : parseLimit(name, value.trim());
  }
  return limits;
}
