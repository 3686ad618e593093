import type { ProviderRegistry } from '../providers/registry.js';
import { lifecycleStatus } from './lifecycle.js';
import type { LifecycleStatus, ModelSpec } from './schema.js';

/**
 * The models this server offers, looked up by id or alias, with their availability and their
 * lifecycle at the time of the injected clock.
 */
export class Catalog {
  private readonly byName = new Map<string, ModelSpec>();

  constructor(
    private readonly models: readonly ModelSpec[],
    private readonly providers: ProviderRegistry,
    /** UTC milliseconds; tests pin it to check dated lifecycle paths. */
    readonly now: () => number = Date.now,
  ) {
    for (const model of models) {
      this.byName.set(model.id, model);
      for (const alias of model.aliases) this.byName.set(alias, model);
    }
  }

  list(): readonly ModelSpec[] {
    return this.models;
  }

  find(idOrAlias: string): ModelSpec | undefined {
    return this.byName.get(idOrAlias);
  }

  status(model: ModelSpec): LifecycleStatus {
    return lifecycleStatus(model, this.now());
  }

  /**
   * The model that serves a request for `model` now: itself until its shutdown; after it, with
   * `after_shutdown: redirect`, its replacement (followed while that is redirected too);
   * undefined when the request must be refused as retired.
   */
  serving(model: ModelSpec): ModelSpec | undefined {
    const seen = new Set<string>();
    let current = model;
    while (this.status(current) === 'retired') {
      if (current.after_shutdown !== 'redirect' || !current.replacement) return undefined;
      seen.add(current.id);
      const next = this.find(current.replacement);
      if (!next || seen.has(next.id)) return undefined;
      current = next;
    }
    return current;
  }

  /** A model is available when at least one of its routes has a configured provider. */
  isAvailable(model: ModelSpec): boolean {
    return model.routes.some((r) => this.providers.isConfigured(r.provider));
  }

  /** The variable that would enable the model's first route. */
  missingVariable(model: ModelSpec): string {
    return this.providers.requires(model.routes[0]!.provider);
  }
}
