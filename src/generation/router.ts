import type { Catalog } from '../catalog/catalog.js';
import type { ModelSpec, RouteSpec } from '../catalog/schema.js';
import { providerNotConfigured } from '../errors.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  ProviderCall,
  ProviderResult,
} from '../providers/types.js';

export interface RoutedResult extends ProviderResult {
  /** `provider/upstream-model` of the route that served. */
  route: string;
  attempts: number;
}

export type ProviderInput = Omit<GenerateInput, 'model' | 'options'> &
  Partial<Pick<EditInput, 'images' | 'mask' | 'inputFidelity'>>;

/** Picks the routes of a model and calls the provider behind them. */
export class ProviderRouter {
  constructor(
    private readonly catalog: Catalog,
    private readonly providers: ProviderRegistry,
  ) {}

  /** Throws 503 `provider_not_configured` when no route of the model can serve. */
  assertAvailable(model: ModelSpec): void {
    if (!this.catalog.isAvailable(model)) {
      throw providerNotConfigured(model.id, this.catalog.missingVariable(model));
    }
  }

  private configuredRoutes(model: ModelSpec): Array<{ route: RouteSpec; provider: ImageProvider }> {
    return model.routes.flatMap((route) => {
      const provider = this.providers.get(route.provider);
      return provider ? [{ route, provider }] : [];
    });
  }

  async run(
    model: ModelSpec,
    input: ProviderInput,
    passthrough: Record<string, unknown>,
    call: ProviderCall,
  ): Promise<RoutedResult> {
    const [first] = this.configuredRoutes(model);
    if (!first) throw providerNotConfigured(model.id, this.catalog.missingVariable(model));
    const { route, provider } = first;
    const upstream = {
      ...input,
      model: route.model,
      options: { ...route.options, ...passthrough },
    };
    const result =
      input.images && provider.edit
        ? await provider.edit(
            {
              ...upstream,
              images: input.images,
              mask: input.mask,
              inputFidelity: input.inputFidelity,
            },
            call,
          )
        : await provider.generate(upstream, call);
    return { ...result, route: `${route.provider}/${route.model}`, attempts: 1 };
  }
}
