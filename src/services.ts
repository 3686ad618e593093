import type { Logger } from 'pino';
import { AccountService } from './accounts/accounts.js';
import { Ledger } from './billing/ledger.js';
import { RedeemCodes } from './billing/redeem-codes.js';
import { StripeEvents } from './billing/stripe-events.js';
import type Stripe from 'stripe';
import { Catalog } from './catalog/catalog.js';
import { loadCatalog } from './catalog/loader.js';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { ProviderRouter } from './generation/router.js';
import { GenerationService } from './generation/service.js';
import { IdempotencyStore } from './idempotency/store.js';
import { BudgetReader } from './limits/budget.js';
import { createCounters, type Counters } from './limits/counters.js';
import { LimitService } from './limits/limit-service.js';
import { LimitStore } from './limits/limit-store.js';
import { Moderator } from './moderation/moderator.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { Metrics } from './observability/metrics.js';
import { MemberStore } from './people/members.js';
import { SessionStore } from './people/sessions.js';
import { Signup } from './people/signup.js';
import { UserStore } from './people/users.js';
import { startTracing, type Tracing } from './observability/tracing.js';
import { ProviderRegistry } from './providers/registry.js';
import { blockUnusedDecoders } from './security/image-input.js';
import { OutboundClient, type OutboundClientOptions } from './security/outbound/client.js';
import { AssetService } from './storage/assets.js';
import { createBlobStore } from './storage/factory.js';
import type { BlobStore } from './storage/types.js';
import { createQueue } from './tasks/queue/factory.js';
import type { TaskQueue } from './tasks/queue/types.js';
import { TaskService, type TaskSettings } from './tasks/task-service.js';
import { WEBHOOK_RETRY_DELAYS_MS } from './tasks/webhooks/schedule.js';
import { UsageLog } from './usage/usage-log.js';

/** Everything a process needs, built once from the config and shared by routes and commands. */
export interface Services {
  config: Config;
  /** The base of every URL this server hands out (assets, page links), without a trailing slash. */
  publicUrl: () => string;
  log: Logger;
  db: Db;
  ledger: Ledger;
  accounts: AccountService;
  /** Dashboard people: persons, sessions, memberships and invites, sign-up. */
  people: { users: UserStore; sessions: SessionStore; members: MemberStore; signup: Signup };
  mailer: Mailer;
  providers: ProviderRegistry;
  catalog: Catalog;
  assets: AssetService;
  usage: UsageLog;
  /** The guarded client for URLs tenants send (edit inputs, webhook targets). */
  outbound: OutboundClient;
  generation: GenerationService;
  queue: TaskQueue;
  tasks: TaskService;
  idempotency: IdempotencyStore;
  limitStore: LimitStore;
  limits: LimitService;
  counters: Counters;
  metrics: Metrics;
  /** Each provider route's breaker state (readiness). */
  routeBreakers: () => Array<{ route: string; state: 'closed' | 'half_open' | 'open' }>;
  moderator: Moderator;
  codes: RedeemCodes;
  /** Stripe Checkout and its webhook; undefined when top-ups are not configured. */
  stripe: { client: Stripe; events: StripeEvents } | undefined;
  taskSettings: TaskSettings;
  webhookRetryDelaysMs: readonly number[];
  /** Whether this process sends traces (OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing: boolean;
  close(): Promise<void>;
}

export interface ServiceOptions {
  log: Logger;
  /** The base of asset URLs; a function because the listening port may be known only later. */
  publicUrl: () => string;
  /** Apply pending migrations first (servers do; `pixapi migrate` does it itself). */
  migrate?: boolean;
  /** Tests inject a DNS resolver and a connect hook here, so that no test leaves loopback. */
  outbound?: Omit<OutboundClientOptions, 'allow'>;
  /** Tests shorten the webhook retry schedule. */
  webhookRetryDelaysMs?: readonly number[];
  /** The time model lifecycles are judged by (UTC ms); tests pin dates with it. */
  clock?: () => number;
  /** SQLite WAL checkpoints on their own thread: for long-running processes, not the CLI. */
  backgroundCheckpoints?: boolean;
}

export async function createServices(config: Config, options: ServiceOptions): Promise<Services> {
  blockUnusedDecoders();
  const providers = new ProviderRegistry(config);
  const catalog = new Catalog(
    loadCatalog({ file: config.catalogPath, providers: providers.names() }),
    providers,
    options.clock,
  );
  const db = openDatabase(config.database, {
    backgroundCheckpoints: options.backgroundCheckpoints
      ? {
          onFailure: (error) =>
            options.log.error({ err: error }, 'checkpoint thread stopped; commits checkpoint'),
        }
      : undefined,
  });
  let moderator: Moderator;
  let tracing: Tracing | undefined;
  let blobs: BlobStore;
  try {
    if (options.migrate) await migrateToLatest(db);
    moderator = Moderator.create(config, db, options.log);
    blobs = await createBlobStore(config.storage);
    if (config.tracing) tracing = await startTracing(config.tracing);
  } catch (error) {
    await db.close();
    throw error;
  }
  const ledger = new Ledger(db);
  const assets = new AssetService(db, blobs, {
    publicUrl: options.publicUrl,
    ttlHours: config.assetTtlHours,
    delivery: config.assetDelivery,
  });
  const usage = new UsageLog(db);
  // Tenant URLs (edit inputs, webhooks) get the public-only policy plus the operator's allow
  // list; only URLs a provider hands back may also reach the providers' own hosts.
  const outbound = new OutboundClient({ ...options.outbound, allow: config.outboundAllow });
  const providerOutbound = new OutboundClient({
    ...options.outbound,
    allow: [...config.outboundAllow, ...providers.trustedHosts()],
  });
  const router = new ProviderRouter(catalog, providers);
  const generation = new GenerationService({
    db,
    log: options.log,
    ledger,
    assets,
    usage,
    router,
    syncTimeoutMs: config.syncTimeoutMs,
    defaultResponseFormat: config.defaultResponseFormat,
    outbound: providerOutbound,
  });
  const queue = await createQueue(config, db, options.log);
  const metrics = new Metrics({ db, breakers: () => router.breakerStates() });
  router.observer = {
    attempt: (event) => metrics.providerAttempt(event),
    retry: (route) => metrics.retry(route),
    fallback: (model) => metrics.fallback(model),
  };
  usage.onRecord = (entry) => metrics.usage(entry);
  const counters = await createCounters(config.redisUrl, {
    log: options.log,
    onFallback: () => metrics.limitStoreFallback(),
    // Longer than any request, so that only a crashed process's slots ever expire.
    inFlightTtlMs: 2 * config.syncTimeoutMs + 5 * 60_000,
  });
  const limitStore = new LimitStore(db, config.defaultLimits);
  const stripeSettings = config.topups.stripe;
  // Loaded only when Stripe is configured, like the other optional backends.
  const stripeClient = stripeSettings
    ? (await import('./billing/stripe-client.js')).createStripe(stripeSettings)
    : undefined;
  const taskSettings: TaskSettings = {
    maxAttempts: 3,
    // The provider deadline plus time to store the outputs.
    attemptLeaseMs: config.syncTimeoutMs + 15_000,
    holdTtlMs: 48 * 3_600_000,
  };
  const members = new MemberStore(db);
  const mailer = createMailer(config.mail, options.log);
  return {
    config,
    publicUrl: options.publicUrl,
    people: {
      users: new UserStore(db),
      sessions: new SessionStore(db),
      members,
      signup: new Signup({
        db,
        ledger,
        members,
        mode: config.signup.mode,
        credits: config.signup.credits,
      }),
    },
    mailer,
    log: options.log,
    db,
    ledger,
    accounts: new AccountService(db, ledger),
    providers,
    catalog,
    assets,
    usage,
    outbound,
    generation,
    queue,
    tasks: new TaskService({
      db,
      log: options.log,
      ledger,
      usage,
      queue,
      generation,
      settings: taskSettings,
    }),
    // A claim must outlive the slowest request: input fetches plus the provider's deadline.
    idempotency: new IdempotencyStore(db, { lockMs: 2 * config.syncTimeoutMs + 5 * 60_000 }),
    limitStore,
    limits: new LimitService({
      db,
      store: limitStore,
      counters,
      budgets: new BudgetReader(db),
      onRefused: (limit, scope) => metrics.refused(limit, scope),
    }),
    counters,
    metrics,
    routeBreakers: () => router.breakerStates(),
    moderator,
    codes: new RedeemCodes(db, ledger),
    stripe:
      stripeClient && stripeSettings
        ? {
            client: stripeClient,
            events: new StripeEvents({
              stripe: stripeClient,
              webhookSecret: stripeSettings.webhookSecret,
              db,
              ledger,
              log: options.log,
            }),
          }
        : undefined,
    taskSettings,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS,
    tracing: tracing !== undefined,
    close: async () => {
      router.shutdown();
      await outbound.close();
      await providerOutbound.close();
      await counters.close();
      moderator.close();
      mailer.close();
      await tracing?.shutdown();
      await db.close();
    },
  };
}
