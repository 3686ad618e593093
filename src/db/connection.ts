import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  sql,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';
import type pg from 'pg';
import type { Config } from '../config.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Resolves when the database answers a trivial query (readiness); rejects otherwise. */
  ping(): Promise<void>;
  /**
   * Statements run so far, transaction control included; SQLite only (undefined on
   * PostgreSQL). For tests and the bench, which count the statements a request costs.
   */
  statementsRun(): number | undefined;
  close(): Promise<void>;
}

async function ping(kysely: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(kysely);
}

/**
 * Write transactions on SQLite begin IMMEDIATE: they take the write lock up front, so two
 * processes (the server and the CLI) wait for each other via busy_timeout instead of failing
 * with SQLITE_BUSY when a reader tries to become a writer.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** SQLite's default `wal_autocheckpoint`. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
/** The WAL's bound (pages of 4 KiB: 40 MiB) when a second thread checkpoints. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

/** Distinct SQL texts kept prepared; past this (many `in (...)` lengths) the cache restarts. */
const MAX_PREPARED = 500;

/**
 * better-sqlite3 as Kysely sees it, with each distinct SQL text prepared once and reused:
 * Kysely's driver prepares every query again, which costs more than running most of them.
 * Reuse is safe because statements run synchronously, one at a time, on the one connection.
 */
class PreparedStatementCache implements SqliteDatabase {
  readonly #statements = new Map<string, SqliteStatement>();
  run = 0;

  constructor(private readonly database: SQLite.Database) {}

  prepare(sql: string): SqliteStatement {
    this.run++;
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= MAX_PREPARED) this.#statements.clear();
      statement = this.database.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.database.close();
  }
}

function openSqlite(file: string, options: SqliteOptions): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  let checkpointer: Checkpointer | undefined;
  const background = options.backgroundCheckpoints;
  if (background) {
    // Not 0: PASSIVE checkpoints from another connection copy the WAL back but cannot make the
    // writer start it over while writes keep coming, so under steady load it would grow
    // without end. Past this size the writer's own commit checkpoints (little is left to copy
    // by then) and its next write restarts the WAL.
    database.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(file, (error) => {
      // Back to checkpointing on commit: a WAL nobody copies back grows without end.
      database.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
      background.onFailure(error);
    });
  }
  const statements = new PreparedStatementCache(database);
  const kysely = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: statements }),
  });
  return {
    kysely,
    dialect: 'sqlite',
    ping: () => ping(kysely),
    statementsRun: () => statements.run,
    close: async () => {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export interface PostgresOptions {
  /** Schema to work in; tests use one schema per run to stay isolated in a shared database. */
  schema?: string;
  maxConnections?: number;
}

/**
 * The PostgreSQL driver, loaded when a PostgreSQL database is opened: an embedded server never
 * needs its memory. Synchronously, through `require` (it is CommonJS), so that opening a
 * database stays synchronous.
 */
function loadPg(): typeof pg {
  return createRequire(import.meta.url)('pg') as typeof pg;
}

function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const driver = loadPg();
  const pool = new driver.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
    // Money and times are bigint columns holding values far below 2^53: read them as numbers.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : (driver.types.getTypeParser(oid, format) as (v: string) => unknown),
    },
  });
  // A connection closed by the server (restart, failover, pg_terminate_backend) emits an
  // error event: the pool hears it for idle connections and drops them; a connection checked
  // out between two queries of a transaction has no listener, and an unheard event ends the
  // process. Its next query fails instead (answered 503), and the pool then discards it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    ping: () => ping(kysely),
    statementsRun: () => undefined,
    close: () => kysely.destroy(),
  };
}

export interface SqliteOptions {
  /**
   * WAL checkpoints on a second thread instead of in the commits of this connection (a
   * long-running server); `onFailure` hears if that thread stops, and commits checkpoint again.
   */
  backgroundCheckpoints?: { onFailure(error: Error): void };
}

export function openDatabase(
  config: Config['database'],
  options: PostgresOptions & SqliteOptions = {},
): Db {
  return config.kind === 'sqlite'
    ? openSqlite(config.file, options)
    : openPostgres(config.url, options);
}
