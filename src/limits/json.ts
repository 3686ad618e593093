import { parseCredits, toCredits } from '../credits.js';
import { invalidRequest } from '../errors.js';
import { LIMIT_NAMES, type LimitName, type LimitSet } from './types.js';

/** The snake_case names of the API and the CLI's `--json`. */
const FIELDS: Record<LimitName, string> = {
  rpm: 'rpm',
  imagesPerMinute: 'images_per_minute',
  maxConcurrent: 'max_concurrent',
  dailyCredits: 'daily_credits',
  monthlyCredits: 'monthly_credits',
};

const isCredits = (name: LimitName) => name === 'dailyCredits' || name === 'monthlyCredits';

/** Limits as JSON: credits as decimals, null for none. */
export function limitsToJson(limits: LimitSet): Record<string, number | null> {
  const json: Record<string, number | null> = {};
  for (const name of LIMIT_NAMES) {
    const value = limits[name];
    json[FIELDS[name]] = value !== null && isCredits(name) ? toCredits(value) : value;
  }
  return json;
}

/**
 * A JSON body of limits to change: each field a positive number (credits may have decimals),
 * or null to remove it. Absent fields stay as they are.
 */
export function limitsFromJson(body: unknown): Partial<LimitSet> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('invalid_body', 'Expected a JSON object of limits.');
  }
  const input = body as Record<string, unknown>;
  const known = new Set(Object.values(FIELDS));
  for (const field of Object.keys(input)) {
    if (!known.has(field)) {
      throw invalidRequest('unknown_parameter', `Unknown parameter: '${field}'.`, field);
    }
  }
  const changes: Partial<LimitSet> = {};
  for (const name of LIMIT_NAMES) {
    const field = FIELDS[name];
    const value = input[field];
    if (value === undefined) continue;
    if (value === null) {
      changes[name] = null;
      continue;
    }
    const parsed = isCredits(name)
      ? typeof value === 'number' && value > 0
        ? parseCredits(value)
        : undefined
      : Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1e9
        ? (value as number)
        : undefined;
    if (parsed === undefined) {
      throw invalidRequest(
        'invalid_value',
        `Invalid value for '${field}': expected a positive ${isCredits(name) ? 'number of credits' : 'integer'} or null.`,
        field,
      );
    }
    changes[name] = parsed;
  }
  return changes;
}
