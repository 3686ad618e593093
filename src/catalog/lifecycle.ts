import type { LifecycleStatus, ModelSpec } from './schema.js';

/**
 * A model's lifecycle at a given time. The catalog declares a status and dates; the dates move
 * the status on by themselves, so that a model shuts down on its `shutdown_date` without anyone
 * editing the catalog that day. Time always comes from an injected clock (tests pin dates).
 */

const DAY_MS = 86_400_000;

/** Midnight UTC of a `YYYY-MM-DD` date, in milliseconds. */
export function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/**
 * `retired` from the first day of `shutdown_date` (providers turn ids off that day), else
 * `deprecated` once declared or once `deprecated_at` has come, else `active`.
 */
export function lifecycleStatus(model: ModelSpec, now: number): LifecycleStatus {
  if (model.status === 'retired') return 'retired';
  if (model.shutdown_date && now >= dayStart(model.shutdown_date)) return 'retired';
  if (model.status === 'deprecated') return 'deprecated';
  if (model.deprecated_at && now >= dayStart(model.deprecated_at)) return 'deprecated';
  return 'active';
}

/** Whole days until shutdown (0 on the day before), or undefined without a future date. */
export function daysToShutdown(model: ModelSpec, now: number): number | undefined {
  if (!model.shutdown_date) return undefined;
  const left = dayStart(model.shutdown_date) - now;
  return left > 0 ? Math.floor(left / DAY_MS) : undefined;
}

/**
 * The response headers that tell a client its model is going away: `Deprecation` (RFC 9745, a
 * structured-field date `@seconds`), `Sunset` (RFC 8594, an HTTP date) and a `Link` to the
 * replacement's catalog entry (`rel="successor-version"`, RFC 5829). Empty for active models.
 */
export function lifecycleHeaders(model: ModelSpec, now: number): Record<string, string> {
  if (lifecycleStatus(model, now) === 'active') return {};
  const headers: Record<string, string> = {};
  // Without an announcement date: deprecated by its shutdown at the latest, else as of now.
  const announced = model.deprecated_at ?? model.shutdown_date;
  const deprecatedAt = announced ? Math.min(dayStart(announced), now) : now;
  headers.deprecation = `@${Math.floor(deprecatedAt / 1000)}`;
  if (model.shutdown_date) headers.sunset = new Date(dayStart(model.shutdown_date)).toUTCString();
  if (model.replacement) {
    headers.link = `</v1/models/${encodeURI(model.replacement)}>; rel="successor-version"`;
  }
  return headers;
}

/** The lifecycle fields of a model as `GET /v1/models` and model pages show them. */
export function publicLifecycle(model: ModelSpec, now: number) {
  return {
    status: lifecycleStatus(model, now),
    deprecated_at: model.deprecated_at ?? null,
    // OpenAI's name and form: YYYY-MM-DD, or null when no shutdown is announced.
    shutdown_date: model.shutdown_date ?? null,
    replacement: model.replacement ?? null,
    after_shutdown: model.after_shutdown,
    source: model.source ?? null,
  };
}

/** A model within `withinDays` of its shutdown, for the operator's daily warning. */
export interface ShutdownWarning {
  model: string;
  shutdown_date: string;
  days_left: number;
  replacement: string | null;
  after_shutdown: 'retire' | 'redirect';
}

export function upcomingShutdowns(
  models: readonly ModelSpec[],
  now: number,
  withinDays = 30,
): ShutdownWarning[] {
  return models.flatMap((model) => {
    const days = daysToShutdown(model, now);
    if (days === undefined || days >= withinDays || !model.shutdown_date) return [];
    return [
      {
        model: model.id,
        shutdown_date: model.shutdown_date,
        days_left: days,
        replacement: model.replacement ?? null,
        after_shutdown: model.after_shutdown,
      },
    ];
  });
}
