/**
 * The limits of one key or one account. Null means "no limit". Credits are millicredits.
 * Rates count per minute; budgets reset at UTC midnight (daily) and the first of the month.
 */
export interface LimitSet {
  rpm: number | null;
  imagesPerMinute: number | null;
  maxConcurrent: number | null;
  dailyCredits: number | null;
  monthlyCredits: number | null;
}

export const NO_LIMITS: LimitSet = {
  rpm: null,
  imagesPerMinute: null,
  maxConcurrent: null,
  dailyCredits: null,
  monthlyCredits: null,
};

export type LimitName = keyof LimitSet;

export const LIMIT_NAMES: readonly LimitName[] = [
  'rpm',
  'imagesPerMinute',
  'maxConcurrent',
  'dailyCredits',
  'monthlyCredits',
];

/** A key's and its account's limits, the account's already merged with the config defaults. */
export interface EffectiveLimits {
  key: LimitSet;
  account: LimitSet;
}

export function isUnlimited(limits: LimitSet): boolean {
  return LIMIT_NAMES.every((name) => limits[name] === null);
}
