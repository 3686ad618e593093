import { invalidRequest } from '../errors.js';

/** `limit` (1–100, default 20) and `after` (an id from a previous page) of list endpoints. */
export function parsePage(query: Record<string, unknown>): { limit: number; after?: string } {
  const rawLimit = query.limit;
  let limit = 20;
  if (rawLimit !== undefined) {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw invalidRequest(
        'invalid_value',
        "Invalid value for 'limit': expected 1 to 100.",
        'limit',
      );
    }
  }
  const after = query.after;
  if (after !== undefined && (typeof after !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(after))) {
    throw invalidRequest('invalid_value', "Invalid value for 'after': expected an id.", 'after');
  }
  return { limit, after };
}

/** A time filter as unix seconds or an ISO 8601 date, returned in UTC milliseconds. */
export function parseTime(value: unknown, param: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && /^\d{1,12}$/.test(value)) return Number(value) * 1000;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw invalidRequest(
      'invalid_value',
      `Invalid value for '${param}': expected unix seconds or an ISO 8601 date.`,
      param,
    );
  }
  return ms;
}
