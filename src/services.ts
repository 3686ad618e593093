import type { Logger } from 'pino';
import { AccountService } from './accounts/accounts.js';
import { Ledger } from './billing/ledger.js';
import { Catalog } from './catalog/catalog.js';
import { loadCatalog } from './catalog/loader.js';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { ProviderRouter } from './generation/router.js';
import { GenerationService } from './generation/service.js';
import { ProviderRegistry } from './providers/registry.js';
import { OutboundClient } from './security/outbound/client.js';
import { AssetService } from './storage/assets.js';
import { createBlobStore } from './storage/factory.js';
import { UsageLog } from './usage/usage-log.js';

/** Everything a process needs, built once from the config and shared by routes and commands. */
export interface Services {
  config: Config;
  log: Logger;
  db: Db;
  ledger: Ledger;
  accounts: AccountService;
  providers: ProviderRegistry;
  catalog: Catalog;
  assets: AssetService;
  usage: UsageLog;
  outbound: OutboundClient;
  generation: GenerationService;
  close(): Promise<void>;
}

export interface ServiceOptions {
  log: Logger;
  /** The base of asset URLs; a function because the listening port may be known only later. */
  publicUrl: () => string;
  /** Apply pending migrations first (servers do; `pixapi migrate` does it itself). */
  migrate?: boolean;
}

export async function createServices(config: Config, options: ServiceOptions): Promise<Services> {
  const providers = new ProviderRegistry(config);
  const catalog = new Catalog(
    loadCatalog({ file: config.catalogPath, providers: providers.names() }),
    providers,
  );
  const db = openDatabase(config.database);
  try {
    if (options.migrate) await migrateToLatest(db.kysely);
  } catch (error) {
    await db.close();
    throw error;
  }
  const ledger = new Ledger(db);
  const assets = new AssetService(db, createBlobStore(config.storage), {
    publicUrl: options.publicUrl,
    ttlHours: config.assetTtlHours,
  });
  const usage = new UsageLog(db);
  const outbound = new OutboundClient({ allow: config.outboundAllow });
  const generation = new GenerationService({
    ledger,
    assets,
    usage,
    router: new ProviderRouter(catalog, providers),
    syncTimeoutMs: config.syncTimeoutMs,
    outbound,
  });
  return {
    config,
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
    close: async () => {
      await outbound.close();
      await db.close();
    },
  };
}
