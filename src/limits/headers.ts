/** OpenAI's duration format of `x-ratelimit-reset-*`: `20ms`, `6s`, `1m0s`. */
export function formatReset(ms: number): string {
  const rounded = Math.max(0, Math.ceil(ms));
  if (rounded < 1000) return `${rounded}ms`;
  const seconds = Math.ceil(rounded / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${seconds % 60}s` : `${seconds}s`;
}

/** What a rate window tells the client: its limit, what is left and when it resets. */
export interface WindowState {
  limit: number;
  remaining: number;
  msBeforeReset: number;
}

/** `x-ratelimit-*-requests` or `x-ratelimit-*-images`, OpenAI's header names. */
export function rateHeaders(unit: 'requests' | 'images', window: WindowState) {
  return {
    [`x-ratelimit-limit-${unit}`]: String(window.limit),
    [`x-ratelimit-remaining-${unit}`]: String(Math.max(0, window.remaining)),
    [`x-ratelimit-reset-${unit}`]: formatReset(window.msBeforeReset),
  };
}

/** Whole seconds, at least one: `retry-after` of a refusal that ends in `ms`. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
