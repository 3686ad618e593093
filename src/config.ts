import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config/errors.js';
import {
  boolean,
  credits,
  httpUrl,
  integer,
  optionalCredits,
  optionalLimit,
  optionalString,
  trimSlash,
  url,
} from './config/parsers.js';
import { providerConfigs, providerEnvShape, type ProviderConfigs } from './config/providers.js';
import { topupEnvShape, topups, type TopupSettings } from './config/topups.js';
import type { LimitSet } from './limits/types.js';
import { isWellFormedApiKey } from './security/api-keys.js';
import { parseAllowEntry } from './security/outbound/allow-list.js';

export { ConfigError } from './config/errors.js';
export { loadDotEnv } from './config/dotenv.js';
export type { ProviderConfigs } from './config/providers.js';
export type { StripeSettings, TopupSettings } from './config/topups.js';

/**
 * The only reader of the environment. Every variable of the README's Configuration table is parsed and validated here
 * once; the rest of the code receives a typed `Config`. The parts with a seam of their own live
 * in `config/`: billing (`topups.ts`) and the providers, whose variables each provider declares
 * in its folder (`providers.ts`).
 */

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
  ...topupEnvShape,
});

/**
 * The provider variables are parsed beside `envSchema`, not inside it: their names are data, and
 * an object shape with data keys would turn `Env` into an index signature that checks no key.
 */
const fullSchema = envSchema.and(z.object(providerEnvShape));

type Env = z.infer<typeof envSchema>;

/** Every variable the configuration reads (`.env.example` lists each; env-example.test.ts). */
export const configVariables: readonly string[] = [
  ...Object.keys(envSchema.shape),
  ...Object.keys(providerEnvShape),
];

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
  /** Each provider's settings, as its folder declares them (config/providers.ts). */
  providers: ProviderConfigs;
}

function build(env: Env, providers: ProviderConfigs): Config {
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
  if (env.PIXAPI_MODERATION === 'openai' && !providers.openai.apiKey) {
    throw new ConfigError('Configuration error: PIXAPI_MODERATION=openai needs OPENAI_API_KEY');
  }
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
    providers,
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
  const parsed = fullSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new ConfigError(`Configuration error: ${lines.join('; ')}`);
  }
  return build(parsed.data, providerConfigs(parsed.data));
}
