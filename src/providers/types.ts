import type { Log } from '../observability/logger.js';
import type { Config } from '../config.js';
import type { EnvSpec } from '../config/env-spec.js';

/**
 * The contract between the generation use case and each upstream provider. Adapters translate
 * requests and answers and classify failures; they never touch money, storage or HTTP replies.
 */

export type OutputFormat = 'png' | 'jpeg' | 'webp';
export type Background = 'auto' | 'opaque' | 'transparent';

export interface ImageSize {
  width: number;
  height: number;
  /** What the client asked for: `auto` or `WxH`. */
  requested: string;
  /** The model's size tier (`1K`, `2K`...), which prices and some providers use. */
  tier: string;
}

export interface GenerateInput {
  /** The upstream model id of the route being tried. */
  model: string;
  prompt: string;
  n: number;
  size: ImageSize;
  quality: string;
  background: Background;
  outputFormat: OutputFormat;
  outputCompression: number | undefined;
  moderation: 'auto' | 'low' | undefined;
  seed: number | undefined;
  user: string | undefined;
  /** The route's options from the catalog, then the pass-through fields the model allows. */
  options: Record<string, unknown>;
}

/** An input image of an edit, already validated and re-encoded by Pixapi. */
export interface InputImage {
  bytes: Buffer;
  contentType: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  /** A short-lived Pixapi URL serving these bytes, for providers that only take URLs. */
  publicUrl(): Promise<string>;
}

export interface EditInput extends GenerateInput {
  images: InputImage[];
  mask: InputImage | undefined;
  inputFidelity: 'low' | 'high' | undefined;
}

/** One output: bytes, or a URL that Pixapi downloads at once (provider URLs expire). */
export interface ProviderImage {
  bytes?: Buffer;
  url?: string;
  revisedPrompt?: string;
}

/** Token usage in exactly OpenAI's shape, when the provider reports it. */
export interface ImagesUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details: { text_tokens: number; image_tokens: number };
}

export interface ProviderResult {
  images: ProviderImage[];
  usage?: ImagesUsage;
}

export type StreamEvent =
  | { type: 'partial_image'; b64: string; index: number }
  | { type: 'completed'; image: ProviderImage; usage?: ImagesUsage };

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

export interface ProviderCall {
  /** Aborted when the client's deadline passes; adapters pass it to every request. */
  signal: AbortSignal;
  log: Log;
  /**
   * Fetches a URL that the provider handed back (a polling or status URL) through Pixapi's
   * guarded outbound client, which refuses private and loopback addresses.
   */
  fetchProviderUrl(url: string, init?: UpstreamRequest): Promise<Response>;
}

/** One entry of a provider's own model list, as `pixapi models check` compares it. */
export interface UpstreamModel {
  id: string;
  /** `YYYY-MM-DD` when the provider has announced a shutdown (OpenAI's `shutdown_date`). */
  shutdownDate?: string;
}

export interface ImageProvider {
  generate(input: GenerateInput, call: ProviderCall): Promise<ProviderResult>;
  /** Present when the provider publishes its model list (OpenAI's GET /models, Gemini's models.list). */
  listModels?(signal: AbortSignal): Promise<UpstreamModel[]>;
  edit?(input: EditInput, call: ProviderCall): Promise<ProviderResult>;
  /** Present when the provider streams partial images (OpenAI's SSE events). */
  stream?(input: GenerateInput | EditInput, call: ProviderCall): AsyncIterable<StreamEvent>;
}

export interface ProviderDefinition {
  /** The name that catalog routes use. */
  name: string;
  /** The environment variable an operator sets to enable it (named in 503 errors). */
  requires: string | undefined;
  /** It fetches edit inputs from Pixapi's own URLs, so PIXAPI_PUBLIC_URL must reach Pixapi. */
  takesInputsByUrl?: boolean;
  /**
   * Hosts (`host` or `host:port`) the operator configured for it and whose output URLs may be
   * fetched although they are private (PIXAPI_OUTBOUND_ALLOW adds to these).
   */
  trustedHosts?(config: Config): string[];
  isConfigured(config: Config): boolean;
  create(config: Config): ImageProvider;
}

/**
 * A provider as the registry lists it: the contract above plus the environment variables it
 * reads, from which `config.ts` builds `config.providers[name]` and `.env.example` its section.
 * Built by `defineProvider` (shared/define.ts).
 */
export interface DeclaredProvider<
  N extends string = string,
  E extends EnvSpec = EnvSpec,
> extends ProviderDefinition {
  name: N;
  /** One line: what it is, for `.env.example`. */
  description: string;
  env: E;
}
