import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the scale-out tests use; override with PIXAPI_TEST_DATABASE_URL. */
export const TEST_DATABASE_URL =
  process.env.PIXAPI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function probe(): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unreachable = await probe();
if (unreachable) {
  console.warn(
    `[pixapi tests] PostgreSQL at ${TEST_DATABASE_URL} is unreachable (${unreachable}): ` +
      'skipping the PostgreSQL variants of these tests.',
  );
}

/** True when PostgreSQL answered; tests use `describe.skipIf(!postgresAvailable)`. */
export const postgresAvailable = unreachable === undefined;

export interface TestSchema {
  /** A DATABASE_URL whose connections work inside a fresh, private schema. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh schema per test file, so that test files run in parallel on one database. */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `pixapi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      // pg-boss keeps its tables beside ours, in `<schema>_queue`.
      await client.query(`drop schema if exists ${schema}_queue cascade`);
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
