import type { Log } from '../observability/logger.js';
import type { Principal } from '../accounts/accounts.js';
import { pricePerImage } from '../billing/pricing.js';
import type { Balance, Ledger } from '../billing/ledger.js';
import { PixapiError } from '../errors.js';
import type { OutboundClient } from '../security/outbound/client.js';
import type { AssetService } from '../storage/assets.js';
import type { UsageLog } from '../usage/usage-log.js';
import { toClientError } from './failures.js';
import { collectOutputs, type DeliveredImage } from './outputs.js';
import type { ImageRequest } from './request.js';
import { buildImagesResponse, type ImageData, type ImagesResponseBody } from './response.js';
import type { ProviderInput, ProviderRouter, RoutedResult } from './router.js';

export interface GenerationDeps {
  ledger: Ledger;
  assets: AssetService;
  usage: UsageLog;
  router: ProviderRouter;
  syncTimeoutMs: number;
  /** The guarded client: every URL a provider hands back (polling, outputs) goes through it. */
  outbound: Pick<OutboundClient, 'fetch' | 'fetchImage'>;
}

export interface CallerContext {
  principal: Principal;
  requestId: string;
  endpoint: string;
  log: Log;
}

export interface GenerationOutcome {
  body: ImagesResponseBody;
  chargedMilli: number;
  balance: Balance;
}

/** Rejects when `signal` aborts, even if the adapter ignores it. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * The one use case behind every image endpoint, sync or async:
 * price → hold → route to a provider → keep the outputs that decode → store → capture what was
 * delivered and release the rest → usage record. On any failure nothing is charged.
 */
export class GenerationService {
  constructor(private readonly deps: GenerationDeps) {}

  /** Millicredits the request may cost at most: `n` images at the model's price. */
  maxCost(request: ImageRequest): { perImage: number; total: number } {
    const perImage = pricePerImage(request.model.pricing.rules, {
      quality: request.quality,
      tier: request.size.tier,
    });
    return { perImage, total: perImage * request.n };
  }

  async generate(
    caller: CallerContext,
    request: ImageRequest,
    extra: Pick<ProviderInput, 'images' | 'mask' | 'inputFidelity'> = {},
  ): Promise<GenerationOutcome> {
    const started = performance.now();
    const { perImage, total } = this.maxCost(request);
    const usageBase = {
      requestId: caller.requestId,
      accountId: caller.principal.accountId,
      keyId: caller.principal.keyId,
      model: request.model.id,
      endpoint: caller.endpoint,
      user: request.user ?? null,
      metadata: request.metadata ?? null,
    };
    let routed: Pick<RoutedResult, 'route' | 'attempts'> | undefined;
    let holdId: string | undefined;
    try {
      this.deps.router.assertAvailable(request.model);
      holdId = (
        await this.deps.ledger.hold({
          accountId: caller.principal.accountId,
          amount: total,
          reference: caller.requestId,
          // A crash must not strand the credits for long, but a slow provider must finish first.
          ttlMs: this.deps.syncTimeoutMs + 10 * 60_000,
        })
      ).id;
      const result = await this.callProvider(caller, request, extra);
      routed = result;
      const delivered = await this.collect(result, request, caller.log);
      if (delivered.length === 0) {
        throw new PixapiError({
          status: 502,
          type: 'upstream_error',
          code: 'provider_error',
          message: 'The provider returned no usable image. Nothing was charged.',
          retryable: false,
        });
      }
      const data = await this.store(caller, request, delivered);
      const charged = delivered.length * perImage;
      await this.deps.ledger.capture(holdId, charged);
      const balance = await this.deps.ledger.balance(caller.principal.accountId);
      await this.deps.usage.record({
        ...usageBase,
        route: result.route,
        status: 'succeeded',
        errorCode: null,
        images: delivered.length,
        credits: charged,
        latencyMs: performance.now() - started,
        attempts: result.attempts,
      });
      return {
        body: buildImagesResponse(request, data, charged, result.usage),
        chargedMilli: charged,
        balance,
      };
    } catch (error) {
      if (holdId) await this.deps.ledger.release(holdId);
      await this.deps.usage.record({
        ...usageBase,
        route: routed?.route ?? null,
        status: 'failed',
        errorCode: error instanceof PixapiError ? error.code : 'internal_error',
        images: 0,
        credits: 0,
        latencyMs: performance.now() - started,
        attempts: routed?.attempts ?? 0,
      });
      throw error;
    }
  }

  private async callProvider(
    caller: CallerContext,
    request: ImageRequest,
    extra: Pick<ProviderInput, 'images' | 'mask' | 'inputFidelity'>,
  ): Promise<RoutedResult> {
    const signal = AbortSignal.timeout(this.deps.syncTimeoutMs);
    const input: ProviderInput = {
      prompt: request.prompt,
      n: request.n,
      size: request.size,
      quality: request.quality,
      background: request.background,
      outputFormat: request.outputFormat,
      outputCompression: request.outputCompression,
      moderation: request.moderation,
      seed: request.seed,
      user: request.user,
      ...extra,
    };
    try {
      return await Promise.race([
        this.deps.router.run(request.model, input, request.passthrough, {
          signal,
          log: caller.log,
          fetchProviderUrl: (url, init) =>
            this.deps.outbound.fetch(url, { ...init, signal, param: null }),
        }),
        untilAborted(signal),
      ]);
    } catch (error) {
      throw toClientError(error, signal.aborted, this.deps.syncTimeoutMs);
    }
  }

  private collect(result: RoutedResult, request: ImageRequest, log: Log) {
    const signal = AbortSignal.timeout(this.deps.syncTimeoutMs);
    return collectOutputs(result.images, {
      outputFormat: request.outputFormat,
      outputCompression: request.outputCompression,
      download: (url) => this.deps.outbound.fetchImage(url, { signal, param: null }),
      log,
    });
  }

  private async store(
    caller: CallerContext,
    request: ImageRequest,
    delivered: DeliveredImage[],
  ): Promise<ImageData[]> {
    return Promise.all(
      delivered.map(async (image) => {
        const asset = await this.deps.assets.save({
          accountId: caller.principal.accountId,
          bytes: image.bytes,
          extension: image.format,
          width: image.width,
          height: image.height,
        });
        const entry: ImageData =
          request.responseFormat === 'b64_json'
            ? { b64_json: image.bytes.toString('base64') }
            : { url: asset.url };
        if (image.revisedPrompt) entry.revised_prompt = image.revisedPrompt;
        return entry;
      }),
    );
  }
}
