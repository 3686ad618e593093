import type { LookupFunction } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';
import { PixapiError } from '../../errors.js';
import { AddressPolicy } from './address-policy.js';
import { BlockedAddressError, guardedConnector } from './guarded-connector.js';
import {
  DEFAULT_PARAM,
  payloadTooLarge,
  urlRejected,
  urlTimeout,
  urlUnreachable,
} from './outbound-errors.js';
import {
  MAX_REDIRECTS,
  isRedirect,
  nextHop,
  normalizeHeaders,
  type Hop,
  type OutboundMethod,
} from './redirects.js';
import { abandon, firstHeader, readCapped, toHeaders } from './response-body.js';
import { URL_REJECTION_MESSAGES, checkUrl } from './url-policy.js';

/**
 * The one HTTP client for URLs that a client or a provider supplied. Node's global `fetch`
 * ignores agents, so this uses undici's `request` with an `Agent` whose connect step checks
 * every address (see guarded-connector.ts). Every limit is explicit: undici's defaults are
 * 300 s timeouts and unlimited bodies.
 */

export interface OutboundTimeouts {
  /** DNS lookup, and then TCP (and TLS) connect. */
  connectMs: number;
  /** From sending the request to the end of the response headers. */
  headersMs: number;
  /** The longest pause between two chunks of the body. */
  bodyMs: number;
  /** The whole exchange, redirects included. */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: OutboundTimeouts = {
  connectMs: 5_000,
  headersMs: 15_000,
  bodyMs: 30_000,
  totalMs: 60_000,
};

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export interface OutboundClientOptions {
  /** `PIXAPI_OUTBOUND_ALLOW` entries: hosts, `host:port`s, IPs or CIDRs. */
  allow: readonly string[];
  /** Ports any public host may be reached on (default 80 and 443). */
  ports?: readonly number[];
  /** Replaces DNS; tests use it to map public-looking names to chosen addresses. */
  lookup?: LookupFunction;
  /** Tests: called with the checked address right before a socket connects; may throw. */
  connectHook?: (address: string, port: number) => void;
  timeouts?: Partial<OutboundTimeouts>;
}

export interface OutboundRequestInit {
  method?: OutboundMethod;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Cap on the response body, counted while it streams (default 25 MB). */
  maxBytes?: number;
  /** The request field the URL came from, named in errors (default `image`). */
  param?: string | null;
  /** False: a 3xx is returned as it is (webhook deliveries do not follow redirects). */
  followRedirects?: boolean;
}

export interface FetchImageOptions {
  signal?: AbortSignal;
  maxBytes?: number;
  param?: string | null;
}

interface Exchange {
  status: number;
  headers: Headers;
  body: Buffer;
  url: string;
}

/** Statuses whose Response may not carry a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * @example
 * const outbound = new OutboundClient({ allow: config.outboundAllow });
 * const bytes = await outbound.fetchImage('https://example.com/cat.png', { signal });
 * const poll = await outbound.fetch(statusUrl, { headers: { authorization }, param: null });
 */
export class OutboundClient {
  private readonly policy: AddressPolicy;
  private readonly timeouts: OutboundTimeouts;
  private readonly agent: Agent;

  constructor(options: OutboundClientOptions) {
    this.policy = new AddressPolicy({ allow: options.allow, ports: options.ports });
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.agent = new Agent({
      connect: guardedConnector({
        policy: this.policy,
        connectTimeoutMs: this.timeouts.connectMs,
        lookup: options.lookup,
        connectHook: options.connectHook,
      }),
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
    });
  }

  /**
   * Sends a request and returns the final response (after at most 3 redirects) with its body
   * already read, whatever its status. Refused URLs, timeouts, network errors and oversized
   * bodies throw `PixapiError`s; an abort of `init.signal` rethrows its reason.
   */
  async fetch(url: string, init: OutboundRequestInit = {}): Promise<Response> {
    const exchange = await this.exchange(url, init, false);
    const bytes = exchange.body;
    // A view, not a copy: bodies can be 25 MB.
    const view = new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
    const body = NULL_BODY_STATUSES.has(exchange.status) ? null : view;
    const response = new Response(body, { status: exchange.status, headers: exchange.headers });
    // A constructed Response has an empty `url`; callers resolve relative links against it.
    Object.defineProperty(response, 'url', { value: exchange.url });
    return response;
  }

  /** GETs an image's bytes; anything but a 2xx ends in `image_url_unreachable`. */
  async fetchImage(url: string, options: FetchImageOptions = {}): Promise<Buffer> {
    const exchange = await this.exchange(url, { ...options, method: 'GET' }, true);
    return exchange.body;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async exchange(
    rawUrl: string,
    init: OutboundRequestInit,
    requireOk: boolean,
  ): Promise<Exchange> {
    const param = init.param === undefined ? DEFAULT_PARAM : init.param;
    const maxBytes = init.maxBytes ?? DEFAULT_MAX_BYTES;
    init.signal?.throwIfAborted();
    const deadline = AbortSignal.timeout(this.timeouts.totalMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;

    let hop: Hop = {
      url: this.checked(rawUrl, param),
      method: init.method ?? 'GET',
      headers: normalizeHeaders(init.headers),
      body: init.body,
    };
    try {
      for (let redirects = 0; ; redirects += 1) {
        const response = await request(hop.url, {
          dispatcher: this.agent,
          method: hop.method,
          headers: hop.headers,
          body: hop.body,
          signal,
        });
        const location = firstHeader(response.headers, 'location');
        const follow = init.followRedirects !== false;
        if (!follow || !isRedirect(response.statusCode) || location === undefined) {
          return await this.finish(response, hop.url, { requireOk, maxBytes, param });
        }
        await response.body.dump({ limit: 64 * 1024, signal }).catch(() => undefined);
        if (redirects >= MAX_REDIRECTS) {
          throw urlRejected(`The URL redirects more than ${MAX_REDIRECTS} times.`, param);
        }
        let target: URL;
        try {
          target = new URL(location, hop.url);
        } catch {
          throw urlRejected(URL_REJECTION_MESSAGES.invalid, param);
        }
        hop = nextHop(hop, response.statusCode, this.checked(target, param));
      }
    } catch (error) {
      throw this.classify(error, { param, callerSignal: init.signal, deadline });
    }
  }

  /**
   * Checks a URL against the scheme, port and literal-address rules without connecting, for
   * URLs accepted now and fetched later (webhook targets). Names are checked when resolved.
   */
  assertAllowedUrl(url: string, param: string | null): URL {
    return this.checked(url, param);
  }

  private checked(input: string | URL, param: string | null): URL {
    const result = checkUrl(input, this.policy);
    if (!result.ok) throw urlRejected(result.message, param);
    return result.url;
  }

  private async finish(
    response: Dispatcher.ResponseData,
    url: URL,
    limits: { requireOk: boolean; maxBytes: number; param: string | null },
  ): Promise<Exchange> {
    const { statusCode: status, body } = response;
    if (limits.requireOk && (status < 200 || status > 299)) {
      abandon(body);
      throw urlUnreachable(`The URL answered with HTTP ${status}.`, limits.param);
    }
    if (status < 200 || status > 599) {
      abandon(body);
      throw urlUnreachable(`The URL answered with an unusable HTTP status.`, limits.param);
    }
    // A declared length over the cap fails before a byte is read.
    const declared = Number(firstHeader(response.headers, 'content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      abandon(body);
      throw payloadTooLarge(limits.maxBytes, limits.param);
    }
    const bytes = await readCapped(body, limits.maxBytes);
    if (bytes === null) throw payloadTooLarge(limits.maxBytes, limits.param);
    return { status, headers: toHeaders(response.headers), body: bytes, url: url.href };
  }

  /** Turns whatever went wrong into one of the documented errors. */
  private classify(
    error: unknown,
    context: { param: string | null; callerSignal?: AbortSignal; deadline: AbortSignal },
  ): unknown {
    if (error instanceof PixapiError) return error;
    // The caller's own deadline or cancellation is theirs to report, not a fault of the URL.
    if (context.callerSignal?.aborted) return context.callerSignal.reason;
    if (error instanceof BlockedAddressError) {
      return urlRejected(URL_REJECTION_MESSAGES[error.reason], context.param);
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (context.deadline.aborted || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
      return urlTimeout(context.param, error);
    }
    return urlUnreachable('The URL could not be fetched.', context.param, error);
  }
}
