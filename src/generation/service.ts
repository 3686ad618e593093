import { pricePerImage } from '../billing/pricing.js';
import { insufficientCredits, type Balance, type Ledger } from '../billing/ledger.js';
import type { Db } from '../db/connection.js';
import { handleOf, type TransactionHandle } from '../db/transaction.js';
import type { ResponseFormat } from '../config.js';
import { PixapiError } from '../errors.js';
import type { Log } from '../observability/logger.js';
import { timed, type PhaseTimer } from '../observability/phases.js';
import type { ImagesUsage, ProviderCall, ProviderImage } from '../providers/types.js';
import type { OutboundClient } from '../security/outbound/client.js';
import type { AssetService } from '../storage/assets.js';
import type { UsageLog } from '../usage/usage-log.js';
import { Charge, type ChargeContext, type RouteInfo } from './charge.js';
import { withDeadline } from '../deadline.js';
import { toClientError } from './failures.js';
import { collectOutputs, type DeliveredImage } from './outputs.js';
import type { ImageRequest } from './request.js';
import { buildImagesResponse, type ImageData, type ImagesResponseBody } from './response.js';
import {
  RoutingGaveUp,
  type ProviderInput,
  type ProviderRouter,
  type RoutedResult,
  type RouteProgress,
} from './router.js';

export interface GenerationDeps {
  db: Db;
  log: Log;
  ledger: Ledger;
  assets: AssetService;
  usage: UsageLog;
  router: ProviderRouter;
  syncTimeoutMs: number;
  /** What an answer carries when the request names no `response_format`. */
  defaultResponseFormat: ResponseFormat;
  /** The guarded client: every URL a provider hands back (polling, outputs) goes through it. */
  outbound: Pick<OutboundClient, 'fetch' | 'fetchImage'>;
}

export interface CallerContext extends ChargeContext {
  log: Log;
  /** Phase timings for the completion log line (sync requests). */
  phases?: PhaseTimer;
}

export interface Attempt {
  data: ImageData[];
  assetIds: string[];
  /** Each `data` entry's stored asset as `id.extension`, in order (idempotent replays). */
  assetFiles: string[];
  delivered: number;
  usage: ImagesUsage | undefined;
  routing: RouteInfo;
}

export interface GenerationOutcome {
  body: ImagesResponseBody;
  /** Each `body.data` entry's stored asset as `id.extension`, in order. */
  assetFiles: string[];
  chargedMilli: number;
  balance: Balance;
}

/** Edit inputs, absent for generations. */
export type EditExtras = Pick<ProviderInput, 'images' | 'mask' | 'inputFidelity'>;

/** Rejects when `signal` aborts, even if an adapter ignores it. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function noUsableImage(): PixapiError {
  return new PixapiError({
    code: 'provider_error',
    message: 'The provider returned no usable image. Nothing was charged.',
  });
}

/**
 * The one use case behind every image endpoint, sync or async:
 * price → hold → route to a provider → keep the outputs that decode → store → capture what was
 * delivered and release the rest → usage record. On any failure nothing is charged.
 */
export class GenerationService {
  constructor(readonly deps: GenerationDeps) {}

  /** Millicredits the request may cost at most: `n` images at the model's price. */
  maxCost(request: ImageRequest): { perImage: number; total: number } {
    const perImage = pricePerImage(request.model.pricing.rules, {
      quality: request.quality,
      tier: request.size.tier,
    });
    return { perImage, total: perImage * request.n };
  }

  /**
   * Fails fast, before any input is fetched or stored: the model must be available and the
   * account able to pay the maximum cost. The hold checks again under lock; failures are
   * recorded and rethrown.
   */
  async assertAffordable(caller: ChargeContext, request: ImageRequest): Promise<void> {
    try {
      this.deps.router.assertAvailable(request.model);
      const needed = this.maxCost(request).total;
      const { available } = await this.deps.ledger.balance(caller.principal.accountId);
      if (available < needed) throw insufficientCredits(available, needed);
    } catch (error) {
      await Charge.recordFailure(this.deps, caller, request, error);
      throw error;
    }
  }

  /** Checks availability and holds the maximum cost; failures are recorded and rethrown. */
  async open(caller: CallerContext, request: ImageRequest): Promise<Charge> {
    try {
      this.deps.router.assertAvailable(request.model);
    } catch (error) {
      await Charge.recordFailure(this.deps, caller, request, error);
      throw error;
    }
    // A crash must not strand the credits for long, but a slow provider must finish first.
    const ttlMs = this.deps.syncTimeoutMs + 10 * 60_000;
    return Charge.open(this.deps, caller, request, this.maxCost(request), ttlMs);
  }

  /**
   * @param onCommit runs inside the transaction that charges, with the response: the route's
   *   idempotency record commits together with the money, so a crash cannot charge twice.
   */
  async generate(
    caller: CallerContext,
    request: ImageRequest,
    extra: EditExtras = {},
    onCommit?: (trx: TransactionHandle, outcome: GenerationOutcome) => Promise<void>,
  ): Promise<GenerationOutcome> {
    const charge = await timed(caller.phases, 'hold', () => this.open(caller, request));
    try {
      const attempt = await withDeadline(this.deps.syncTimeoutMs, [], (signal) =>
        this.attempt(caller, request, extra, { signal }),
      );
      const charged = attempt.delivered * charge.perImage;
      const body = buildImagesResponse(request, attempt.data, charged, attempt.usage);
      const { balance } = await timed(caller.phases, 'capture', () =>
        charge.succeed(attempt.delivered, attempt.routing, (trx, after) =>
          onCommit
            ? onCommit(handleOf(trx), {
                body,
                assetFiles: attempt.assetFiles,
                chargedMilli: charged,
                balance: after,
              })
            : Promise.resolve(),
        ),
      );
      if (caller.phases) caller.phases.facts.credits = charged;
      return { body, assetFiles: attempt.assetFiles, chargedMilli: charged, balance };
    } catch (error) {
      const failure = AttemptFailure.wrap(error);
      // Settled already means charged: the failure came after the money and must not undo it.
      if (!charge.isSettled) await charge.fail(failure.clientError, failure.routing);
      throw failure.clientError;
    }
  }

  /**
   * One try at a request whose credits are held: route to a provider, keep the outputs that
   * decode, store them. Settles nothing: the caller captures or releases (tasks may retry).
   *
   * @throws AttemptFailure carrying the client error and what the usage record needs
   */
  async attempt(
    caller: CallerContext,
    request: ImageRequest,
    extra: EditExtras,
    options: { signal: AbortSignal; taskId?: string },
  ): Promise<Attempt> {
    let routing: RouteInfo = { route: null, attempts: 0 };
    try {
      const result = await timed(caller.phases, 'provider', () =>
        this.route(caller, request, extra, options.signal),
      );
      routing = { route: result.route, attempts: result.attempts };
      if (caller.phases) Object.assign(caller.phases.facts, routing);
      // Never more than asked: a provider returning extra images must not get them delivered
      // beyond what was held and is charged.
      const delivered = await timed(caller.phases, 'checks', () =>
        this.collect(result.images.slice(0, request.n), request, caller.log, options.signal),
      );
      if (delivered.length === 0) throw noUsableImage();
      const stored = await timed(caller.phases, 'storage', () =>
        this.store(caller, request, delivered, options.taskId),
      );
      return {
        data: stored.data,
        assetIds: stored.assetIds,
        assetFiles: stored.assetFiles,
        delivered: delivered.length,
        usage: result.usage,
        routing,
      };
    } catch (error) {
      throw error instanceof AttemptFailure ? error : new AttemptFailure(error, routing);
    }
  }

  private async route(
    caller: CallerContext,
    request: ImageRequest,
    extra: EditExtras,
    signal: AbortSignal,
  ): Promise<RoutedResult> {
    const progress: RouteProgress = { route: null, attempts: 0 };
    try {
      return await Promise.race([
        this.deps.router.run(
          request.model,
          providerInput(request, extra),
          request.passthrough,
          this.call(caller, signal),
          progress,
        ),
        untilAborted(signal),
      ]);
    } catch (error) {
      throw AttemptFailure.from(error, signal, this.deps.syncTimeoutMs, progress);
    }
  }

  /** The per-call context handed to adapters, bound to this request's deadline. */
  call(caller: CallerContext, signal: AbortSignal): ProviderCall {
    return {
      signal,
      log: caller.log,
      fetchProviderUrl: (url, init) =>
        this.deps.outbound.fetch(url, { ...init, signal, param: null }),
    };
  }

  collect(images: readonly ProviderImage[], request: ImageRequest, log: Log, signal: AbortSignal) {
    return collectOutputs(images, {
      outputFormat: request.outputFormat,
      outputCompression: request.outputCompression,
      download: (url) => this.deps.outbound.fetchImage(url, { signal, param: null }),
      log,
    });
  }

  /** The request's `response_format`, else the operator's default. */
  responseFormat(request: ImageRequest): ResponseFormat {
    return request.responseFormat ?? this.deps.defaultResponseFormat;
  }

  async store(
    caller: CallerContext,
    request: ImageRequest,
    delivered: DeliveredImage[],
    taskId?: string,
  ): Promise<{ data: ImageData[]; assetIds: string[]; assetFiles: string[] }> {
    const stored = await Promise.all(
      delivered.map(async (image) => {
        const asset = await this.deps.assets.save({
          accountId: caller.principal.accountId,
          bytes: image.bytes,
          extension: image.format,
          width: image.width,
          height: image.height,
          taskId,
          requestId: caller.requestId,
        });
        // Task results are fetched later, possibly many times: they keep URLs only.
        const format = taskId ? 'url' : this.responseFormat(request);
        const entry: ImageData = {};
        if (format !== 'b64_json') entry.url = asset.url;
        if (format !== 'url') entry.b64_json = image.bytes.toString('base64');
        if (image.revisedPrompt) entry.revised_prompt = image.revisedPrompt;
        return { entry, asset };
      }),
    );
    return {
      data: stored.map((s) => s.entry),
      assetIds: stored.map((s) => s.asset.id),
      assetFiles: stored.map((s) => `${s.asset.id}.${s.asset.extension}`),
    };
  }
}

/** The request fields every adapter receives, without the route's model and options. */
export function providerInput(request: ImageRequest, extra: EditExtras): ProviderInput {
  return {
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
}

/** One attempt at a request failed: the error for the client, with what the usage record needs. */
export class AttemptFailure extends Error {
  override name = 'AttemptFailure';
  constructor(
    readonly clientError: unknown,
    readonly routing: RouteInfo,
  ) {
    super('routed call failed', { cause: clientError });
  }

  /** Any error of an attempt as an AttemptFailure (errors before routing carry no route). */
  static wrap(error: unknown): AttemptFailure {
    return error instanceof AttemptFailure
      ? error
      : new AttemptFailure(error, { route: null, attempts: 0 });
  }

  /** @param progress where routing had got to, for failures that cut it short (deadlines) */
  static from(
    error: unknown,
    signal: AbortSignal,
    timeoutMs: number,
    progress: RouteProgress = { route: null, attempts: 0 },
  ): AttemptFailure {
    const routing =
      error instanceof RoutingGaveUp
        ? { route: error.route ?? null, attempts: error.attempts }
        : { ...progress };
    const failure = error instanceof RoutingGaveUp ? error.failure : error;
    return new AttemptFailure(toClientError(failure, signal.aborted, timeoutMs), routing);
  }
}
