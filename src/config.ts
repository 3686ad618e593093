import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseCredits } from './credits.js';
import { parsePacks, parsePrice, type CreditPack, type CustomAmount } from './billing/packs.js';
import type { LimitSet } from './limits/types.js';
import { isWellFormedApiKey } from './security/api-keys.js';
import { parseAllowEntry } from './security/outbound/allow-list.js';

/**
 * The only reader of the environment. Every variable of the README's Configuration table is parsed and validated here
 * once; the rest of the code receives a typed `Config`.
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const url = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL (${protocols.join(' or ')})` },
  );

const httpUrl = url(['http:', 'https:']);

const boolean = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      if (/^(1|true|yes)$/i.test(v)) return true;
      if (/^(0|false|no)$/i.test(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

/** A limit: a positive integer, or unset for none. */
const optionalLimit = optionalString.transform((v, ctx) => {
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000_000) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive integer' });
    return z.NEVER;
  }
  return n;
});

/** A number of credits (decimals allowed) as millicredits, or unset for none. */
const optionalCredits = optionalString.transform((v, ctx) => {
  if (v === undefined) return null;
  const milli = parseCredits(v);
  if (milli === undefined || milli === 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive number of credits' });
    return z.NEVER;
  }
  return milli;
});

/** A number of credits (decimals allowed, zero too) as millicredits. */
const credits = (fallback: number) =>
  optionalString.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const milli = parseCredits(v);
    if (milli === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a number of credits' });
      return z.NEVER;
    }
    return milli;
  });

const envSchema = z.object({
  PIXAPI_SIGNUP: z.enum(['open', 'invite', 'closed']).optional().default('open'),
  PIXAPI_SIGNUP_CREDITS: credits(10_000),
  SMTP_URL: url(['smtp:', 'smtps:']),
  SMTP_FROM: optionalString,
  PORT: integer(8080, 0, 65535),
  HOST: optionalString,
  PIXAPI_DATA_DIR: optionalString,
  PIXAPI_PUBLIC_URL: httpUrl,
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  PIXAPI_STORAGE: z.enum(['local', 's3']).optional(),
  S3_BUCKET: optionalString,
  S3_ENDPOINT: httpUrl,
  S3_REGION: optionalString,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: boolean(false),
  PIXAPI_ASSET_TTL_HOURS: integer(168, 0, 24 * 365 * 100),
  PIXAPI_ASSET_DELIVERY: z.enum(['proxy', 'redirect', 'public']).optional().default('proxy'),
  S3_PUBLIC_URL: httpUrl,
  PIXAPI_CATALOG: optionalString,
  PIXAPI_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),
  PIXAPI_OUTBOUND_ALLOW: optionalString.transform((v, ctx) => {
    const entries = (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const entry of entries) {
      try {
        parseAllowEntry(entry);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }
    return entries;
  }),
  PIXAPI_SYNC_TIMEOUT_S: integer(120, 1, 3600),
  PIXAPI_REQUEST_TIMEOUT_S: integer(900, 1, 86_400),
  PIXAPI_LOCAL_DELAY_MS: integer(0, 0, 600_000),
  PIXAPI_DEFAULT_RESPONSE_FORMAT: z.enum(['both', 'url', 'b64_json']).optional().default('both'),
  PIXAPI_ADMIN_KEY: optionalString.refine((v) => v === undefined || isWellFormedApiKey(v), {
    message:
      'must be a Pixapi key (sk_pix_ + 28 characters with a valid checksum); unset it to have one generated',
  }),
  PIXAPI_METRICS_TOKEN: optionalString,
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_SERVICE_NAME: optionalString,
  PIXAPI_LOG_PROMPTS: z.enum(['off', 'on']).optional().default('off'),
  PIXAPI_MODERATION: z.enum(['off', 'rules', 'openai']).optional().default('off'),
  PIXAPI_MODERATION_RULES: optionalString,
  PIXAPI_MODERATION_CATEGORIES: optionalString,
  PIXAPI_DEFAULT_RPM: optionalLimit,
  PIXAPI_DEFAULT_IMAGES_PER_MINUTE: optionalLimit,
  PIXAPI_DEFAULT_MAX_CONCURRENT: optionalLimit,
  PIXAPI_DEFAULT_DAILY_CREDITS: optionalCredits,
  PIXAPI_DEFAULT_MONTHLY_CREDITS: optionalCredits,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: httpUrl,
  GEMINI_API_KEY: optionalString,
  GEMINI_BASE_URL: httpUrl,
  FAL_KEY: optionalString,
  FAL_BASE_URL: httpUrl,
  REPLICATE_API_TOKEN: optionalString,
  REPLICATE_BASE_URL: httpUrl,
  BFL_API_KEY: optionalString,
  BFL_BASE_URL: httpUrl,
  OPENAI_COMPATIBLE_BASE_URL: httpUrl,
  OPENAI_COMPATIBLE_API_KEY: optionalString,
  XAI_API_KEY: optionalString,
  XAI_BASE_URL: httpUrl,
  AZURE_OPENAI_ENDPOINT: httpUrl,
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_API_VERSION: optionalString,
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: httpUrl,
  PIXAPI_CREDIT_PACKS: optionalString,
  PIXAPI_CREDIT_CURRENCY: optionalString.refine((v) => v === undefined || /^[a-z]{3}$/i.test(v), {
    message: 'must be a three-letter ISO currency code',
  }),
  PIXAPI_CREDIT_CUSTOM_MIN: optionalLimit,
  PIXAPI_CREDIT_UNIT_PRICE: optionalString,
});

type Env = z.infer<typeof envSchema>;

/** Settings of one upstream provider; `apiKey` undefined means "not configured". */
export interface ProviderSettings {
  apiKey: string | undefined;
  baseUrl: string;
}

export interface S3Settings {
  bucket: string;
  endpoint: string | undefined;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

export type ResponseFormat = 'both' | 'url' | 'b64_json';

/**
 * How asset URLs reach the bytes: through this server (`proxy`), by a 302 to a short-lived
 * presigned GET on the bucket (`redirect`), or straight from a public bucket or CDN (`public`,
 * whose URLs are `publicBase/<key>`).
 */
export type AssetDelivery =
  { mode: 'proxy' } | { mode: 'redirect' } | { mode: 'public'; publicBase: string };

export type ModerationMode = 'off' | 'rules' | 'openai';

export interface ModerationSettings {
  mode: ModerationMode;
  /** The rules file (YAML or JSON), needed by `rules`. */
  rulesFile: string | undefined;
  /** OpenAI categories that refuse a prompt; empty: any flagged category. */
  categories: string[];
}

/** Where the Stripe SDK sends its requests: Stripe's API unless STRIPE_API_BASE says otherwise. */
export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  api: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
}

export interface TopupSettings {
  /** Undefined: top-ups are not configured (no Stripe keys). */
  stripe: StripeSettings | undefined;
  /** Lower case, as Stripe takes it. */
  currency: string;
  packs: CreditPack[];
  custom: CustomAmount | undefined;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Set only when the operator chose one; otherwise derived from the listening port. */
  publicUrl: string | undefined;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  redisUrl: string | undefined;
  storage: { kind: 'local'; dir: string } | { kind: 's3'; s3: S3Settings };
  assetTtlHours: number;
  assetDelivery: AssetDelivery;
  catalogPath: string | undefined;
  logLevel: string;
  outboundAllow: string[];
  syncTimeoutMs: number;
  /** How long a client may take to send one whole request (headers and body). */
  requestTimeoutMs: number;
  localDelayMs: number;
  /** What a sync answer carries per image when the request names no `response_format`. */
  defaultResponseFormat: ResponseFormat;
  adminKey: string | undefined;
  /** Who may sign up in the dashboard, and the millicredits a new account starts with. */
  signup: { mode: 'open' | 'invite' | 'closed'; credits: number };
  /** Mail for password resets, verification and invites; none when SMTP_URL is unset. */
  mail: { smtpUrl: string | undefined; from: string };
  /** Bearer token of /metrics; unset: /metrics answers loopback clients only. */
  metricsToken: string | undefined;
  /** OpenTelemetry traces over OTLP/HTTP; undefined: tracing off. */
  tracing: { endpoint: string; serviceName: string } | undefined;
  moderation: ModerationSettings;
  /** Whether the completion log line carries the prompt (customer data: off by default). */
  logPrompts: boolean;
  /** Limits of every account that has none of its own (null: unlimited). */
  defaultLimits: LimitSet;
  topups: TopupSettings;
  providers: {
    openai: ProviderSettings;
    gemini: ProviderSettings;
    fal: ProviderSettings;
    replicate: ProviderSettings;
    bfl: ProviderSettings;
    xai: ProviderSettings;
    /** Configured by endpoint and key; routes name deployments. */
    azureOpenai: { endpoint: string | undefined; apiKey: string | undefined; apiVersion: string };
    /** Configured by its base URL; the key is optional for self-hosted servers. */
    openaiCompatible: { baseUrl: string | undefined; apiKey: string | undefined };
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

function stripeApi(base: string | undefined): StripeSettings['api'] {
  if (!base) return undefined;
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}

function topups(env: Env): TopupSettings {
  if (!env.STRIPE_SECRET_KEY !== !env.STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Configuration error: set both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or neither',
    );
  }
  const currency = (env.PIXAPI_CREDIT_CURRENCY ?? 'usd').toLowerCase();
  let packs: CreditPack[];
  try {
    packs = parsePacks(env.PIXAPI_CREDIT_PACKS ?? '', currency);
  } catch (error) {
    throw new ConfigError(`Configuration error: PIXAPI_CREDIT_PACKS ${(error as Error).message}`);
  }
  let custom: CustomAmount | undefined;
  if (env.PIXAPI_CREDIT_CUSTOM_MIN !== null) {
    const unitPriceE4 = env.PIXAPI_CREDIT_UNIT_PRICE
      ? parsePrice(env.PIXAPI_CREDIT_UNIT_PRICE, currency, 4)
      : undefined;
    if (!unitPriceE4) {
      throw new ConfigError(
        'Configuration error: PIXAPI_CREDIT_CUSTOM_MIN needs PIXAPI_CREDIT_UNIT_PRICE (the price of one credit, e.g. 0.05)',
      );
    }
    custom = { minCredits: env.PIXAPI_CREDIT_CUSTOM_MIN, maxCredits: 1_000_000, unitPriceE4 };
  }
  const stripe = env.STRIPE_SECRET_KEY
    ? {
        secretKey: env.STRIPE_SECRET_KEY,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET as string,
        api: stripeApi(env.STRIPE_API_BASE),
      }
    : undefined;
  if (stripe && packs.length === 0 && !custom) {
    throw new ConfigError(
      'Configuration error: Stripe top-ups need PIXAPI_CREDIT_PACKS (e.g. 100:5.00,1000:45.00) or PIXAPI_CREDIT_CUSTOM_MIN',
    );
  }
  return { stripe, currency, packs, custom };
}

function build(env: Env): Config {
  const dataDir = path.resolve(env.PIXAPI_DATA_DIR ?? './data');
  const storageKind = env.PIXAPI_STORAGE ?? 'local';
  if (storageKind === 's3' && !env.S3_BUCKET) {
    throw new ConfigError('Configuration error: PIXAPI_STORAGE=s3 needs S3_BUCKET');
  }
  // Half a key pair would silently fall back to the SDK's default chain and act as someone else.
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    throw new ConfigError(
      'Configuration error: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither',
    );
  }
  if (env.PIXAPI_ASSET_DELIVERY !== 'proxy' && storageKind !== 's3') {
    throw new ConfigError(
      `Configuration error: PIXAPI_ASSET_DELIVERY=${env.PIXAPI_ASSET_DELIVERY} needs PIXAPI_STORAGE=s3`,
    );
  }
  if (env.PIXAPI_ASSET_DELIVERY === 'public' && !env.S3_PUBLIC_URL) {
    throw new ConfigError(
      'Configuration error: PIXAPI_ASSET_DELIVERY=public needs S3_PUBLIC_URL (the public base of the bucket or CDN)',
    );
  }
  if (env.PIXAPI_MODERATION === 'rules' && !env.PIXAPI_MODERATION_RULES) {
    throw new ConfigError(
      'Configuration error: PIXAPI_MODERATION=rules needs PIXAPI_MODERATION_RULES (a YAML or JSON file)',
    );
  }
  if (env.PIXAPI_MODERATION === 'openai' && !env.OPENAI_API_KEY) {
    throw new ConfigError('Configuration error: PIXAPI_MODERATION=openai needs OPENAI_API_KEY');
  }
  const provider = (apiKey: string | undefined, baseUrl: string | undefined, def: string) => ({
    apiKey,
    baseUrl: trimSlash(baseUrl ?? def),
  });
  return {
    port: env.PORT,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    publicUrl: env.PIXAPI_PUBLIC_URL ? trimSlash(env.PIXAPI_PUBLIC_URL) : undefined,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'pixapi.sqlite') },
    redisUrl: env.REDIS_URL,
    storage:
      storageKind === 's3'
        ? {
            kind: 's3',
            s3: {
              bucket: env.S3_BUCKET as string,
              endpoint: env.S3_ENDPOINT,
              region: env.S3_REGION ?? 'us-east-1',
              accessKeyId: env.S3_ACCESS_KEY_ID,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY,
              forcePathStyle: env.S3_FORCE_PATH_STYLE,
            },
          }
        : { kind: 'local', dir: path.join(dataDir, 'assets') },
    assetTtlHours: env.PIXAPI_ASSET_TTL_HOURS,
    assetDelivery:
      env.PIXAPI_ASSET_DELIVERY === 'public'
        ? { mode: 'public', publicBase: trimSlash(env.S3_PUBLIC_URL as string) }
        : { mode: env.PIXAPI_ASSET_DELIVERY },
    catalogPath: env.PIXAPI_CATALOG ? path.resolve(env.PIXAPI_CATALOG) : undefined,
    logLevel: env.PIXAPI_LOG_LEVEL,
    outboundAllow: env.PIXAPI_OUTBOUND_ALLOW,
    syncTimeoutMs: env.PIXAPI_SYNC_TIMEOUT_S * 1000,
    requestTimeoutMs: env.PIXAPI_REQUEST_TIMEOUT_S * 1000,
    localDelayMs: env.PIXAPI_LOCAL_DELAY_MS,
    defaultResponseFormat: env.PIXAPI_DEFAULT_RESPONSE_FORMAT,
    adminKey: env.PIXAPI_ADMIN_KEY,
    signup: { mode: env.PIXAPI_SIGNUP, credits: env.PIXAPI_SIGNUP_CREDITS },
    mail: { smtpUrl: env.SMTP_URL, from: env.SMTP_FROM ?? 'Pixapi <pixapi@localhost>' },
    metricsToken: env.PIXAPI_METRICS_TOKEN,
    tracing: env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
          serviceName: env.OTEL_SERVICE_NAME ?? 'pixapi',
        }
      : undefined,
    logPrompts: env.PIXAPI_LOG_PROMPTS === 'on',
    moderation: {
      mode: env.PIXAPI_MODERATION,
      rulesFile: env.PIXAPI_MODERATION_RULES
        ? path.resolve(env.PIXAPI_MODERATION_RULES)
        : undefined,
      categories: (env.PIXAPI_MODERATION_CATEGORIES ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    },
    defaultLimits: {
      rpm: env.PIXAPI_DEFAULT_RPM,
      imagesPerMinute: env.PIXAPI_DEFAULT_IMAGES_PER_MINUTE,
      maxConcurrent: env.PIXAPI_DEFAULT_MAX_CONCURRENT,
      dailyCredits: env.PIXAPI_DEFAULT_DAILY_CREDITS,
      monthlyCredits: env.PIXAPI_DEFAULT_MONTHLY_CREDITS,
    },
    topups: topups(env),
    providers: {
      openai: provider(env.OPENAI_API_KEY, env.OPENAI_BASE_URL, 'https://api.openai.com/v1'),
      gemini: provider(
        env.GEMINI_API_KEY,
        env.GEMINI_BASE_URL,
        'https://generativelanguage.googleapis.com',
      ),
      fal: provider(env.FAL_KEY, env.FAL_BASE_URL, 'https://queue.fal.run'),
      replicate: provider(
        env.REPLICATE_API_TOKEN,
        env.REPLICATE_BASE_URL,
        'https://api.replicate.com',
      ),
      bfl: provider(env.BFL_API_KEY, env.BFL_BASE_URL, 'https://api.bfl.ai'),
      xai: provider(env.XAI_API_KEY, env.XAI_BASE_URL, 'https://api.x.ai/v1'),
      azureOpenai: {
        endpoint: env.AZURE_OPENAI_ENDPOINT ? trimSlash(env.AZURE_OPENAI_ENDPOINT) : undefined,
        apiKey: env.AZURE_OPENAI_API_KEY,
        apiVersion: env.AZURE_OPENAI_API_VERSION ?? '2025-04-01-preview',
      },
      openaiCompatible: {
        baseUrl: env.OPENAI_COMPATIBLE_BASE_URL
          ? trimSlash(env.OPENAI_COMPATIBLE_BASE_URL)
          : undefined,
        apiKey: env.OPENAI_COMPATIBLE_API_KEY,
      },
    },
  };
}

/**
 * Parses and validates the environment.
 *
 * @throws ConfigError naming every invalid variable, so that a bad deployment fails at start.
 * @example
 * const config = loadConfig({ PORT: '9000', PIXAPI_DATA_DIR: '/tmp/pixapi' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new ConfigError(`Configuration error: ${lines.join('; ')}`);
  }
  return build(parsed.data);
}

/**
 * Loads `.env` from the working directory into the environment when the file exists, as
 * `npm start` and `bin/pixapi` do before reading the configuration. Variables already set in
 * the real environment win (Node's `process.loadEnvFile` never overwrites them).
 *
 * @returns the file loaded, or undefined when there is none
 */
export function loadDotEnv(dir: string = process.cwd()): string | undefined {
  const file = path.join(dir, '.env');
  if (!fs.existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}
