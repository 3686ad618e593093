import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, freePort, OwnBucket } from './cluster/cluster.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { runCli } from './helpers/cli.js';
import { createTestSchema, postgresAvailable, type TestSchema } from './helpers/postgres.js';
import { redisAvailable, TEST_REDIS_URL } from './helpers/redis.js';

/**
 * `pixapi doctor` (the compiled CLI): every dependency answering gives exit 0 and "ok" lines;
 * each one down is named in words, with exit 1.
 */

interface Report {
  checks: Array<{ name: string; status: string; detail: string }>;
  problems: number;
}

async function doctor(env: Record<string, string>) {
  const result = await runCli(['doctor', '--json'], env);
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const statusOf = (report: Report) =>
  Object.fromEntries(report.checks.map((c) => [c.name, c.status]));

describe('pixapi doctor', () => {
  let dataDir: string;
  let openai: FakeOpenAI;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-doctor-'));
    openai = await startFakeOpenAI();
  });
  afterAll(async () => {
    await openai?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('names a data directory without a database and pending migrations', async () => {
    const env = { PIXAPI_DATA_DIR: path.join(dataDir, 'empty') };
    const { code, report } = await doctor(env);
    expect(code).toBe(1);
    expect(report.checks.find((c) => c.name === 'database (SQLite)')?.detail).toMatch(
      /no database at .*pixapi\.sqlite/,
    );
    // The check created nothing.
    expect(fs.existsSync(path.join(dataDir, 'empty', 'pixapi.sqlite'))).toBe(false);
  });

  it('passes on a migrated SQLite deployment with a reachable provider', async () => {
    const env = {
      PIXAPI_DATA_DIR: path.join(dataDir, 'ok'),
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.url,
    };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const { code, report } = await doctor(env);
    expect(report.problems).toBe(0);
    expect(code).toBe(0);
    expect(statusOf(report)).toMatchObject({
      configuration: 'ok',
      'database (SQLite)': 'ok',
      migrations: 'ok',
      redis: 'skipped',
      'storage (local)': 'ok',
      'provider openai': 'ok',
    });
  });

  it('says in words what is unreachable, and exits 1', async () => {
    const closed = String(await freePort());
    const result = await runCli(['doctor'], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/pixapi`,
      REDIS_URL: `redis://127.0.0.1:${closed}`,
      PIXAPI_STORAGE: 's3',
      S3_BUCKET: 'pixapi',
      S3_ENDPOINT: `http://127.0.0.1:${closed}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'a',
      S3_SECRET_ACCESS_KEY: 'b',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `http://127.0.0.1:${closed}/v1`,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL database \(PostgreSQL\): cannot connect: .*ECONNREFUSED/);
    expect(result.stdout).toMatch(/-- +migrations: the database is unreachable/);
    expect(result.stdout).toMatch(/FAIL redis: cannot reach REDIS_URL: .*ECONNREFUSED/);
    expect(result.stdout).toMatch(/FAIL storage \(s3\): cannot write: .*ECONNREFUSED/);
    expect(result.stdout).toMatch(/FAIL provider openai: unreachable/);
    expect(result.stdout).toMatch(/4 problems: /);
  });

  it('refuses a configuration that cannot start', async () => {
    const { code, report } = await doctor({ PIXAPI_STORAGE: 's3' });
    expect(code).toBe(1);
    expect(report.checks).toEqual([
      {
        name: 'configuration',
        status: 'problem',
        detail: expect.stringMatching(/PIXAPI_STORAGE=s3 needs S3_BUCKET/),
      },
    ]);
  });

  describe.skipIf(!postgresAvailable || !redisAvailable)('scale-out dependencies', () => {
    let schema: TestSchema;
    let bucket: OwnBucket;
    beforeAll(async () => {
      schema = await createTestSchema();
      bucket = await OwnBucket.start();
    });
    afterAll(async () => {
      await bucket?.remove();
      await schema?.drop();
    });

    it('passes on PostgreSQL, Redis and a bucket; names pending migrations before migrate', async () => {
      const env = {
        DATABASE_URL: schema.url,
        REDIS_URL: TEST_REDIS_URL,
        PIXAPI_STORAGE: 's3',
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: bucket.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      };
      const before = await doctor(env);
      expect(before.code).toBe(1);
      expect(before.report.checks.find((c) => c.name === 'migrations')?.detail).toMatch(
        /pending \(001-initial, .*\): run pixapi migrate/,
      );
      expect((await runCli(['migrate'], env)).code).toBe(0);
      const after = await doctor(env);
      expect(after.report.problems).toBe(0);
      expect(after.code).toBe(0);
      expect(statusOf(after.report)).toMatchObject({
        'database (PostgreSQL)': 'ok',
        migrations: 'ok',
        redis: 'ok',
        'storage (s3)': 'ok',
      });
      // The probe object was deleted again.
      expect(fs.readdirSync(path.join(bucket.directory, BUCKET))).toEqual([]);
    });
  });
});
