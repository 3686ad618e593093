import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import type { Task } from '../helpers/tasks.js';
import {
  Cluster,
  createDatabase,
  killAll,
  OwnBucket,
  OwnRedis,
  unavailableReason,
  waitFor,
  type Database,
} from './cluster.js';

/**
 * Scale-out, proven as an operator runs it: two `pixapi serve --no-worker` and two
 * `pixapi worker` processes on one PostgreSQL database, one Redis and one S3 bucket, driven
 * over both API ports at once, then under faults (a worker killed, Redis, PostgreSQL and the
 * bucket lost). The scenarios run in order on one cluster; each uses accounts of its own.
 */

const reason = await unavailableReason();
if (reason) console.warn(`[pixapi tests] skipping the cluster harness: ${reason}`);

const LOCAL_DELAY_MS = 300;
const generation = (prompt: string) => ({ model: 'local-placeholder', prompt, size: '32x32' });

describe.skipIf(reason !== undefined)('a cluster of 2 API and 2 worker processes', () => {
  let database: Database;
  let redis: OwnRedis;
  let bucket: OwnBucket;
  let dataDir: string;
  let cluster: Cluster;
  let a: string;
  let b: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-cluster-'));
    [database, redis, bucket] = await Promise.all([
      createDatabase(),
      OwnRedis.start(),
      OwnBucket.start(),
    ]);
    cluster = new Cluster({ database, redis, bucket, dataDir, localDelayMs: LOCAL_DELAY_MS });
    // The first process migrates; the others start on the migrated database.
    await cluster.startApi();
    await Promise.all([cluster.startApi(), cluster.startWorker(), cluster.startWorker()]);
    [a, b] = cluster.apis.map((p) => p.url) as [string, string];
  }, 60_000);

  afterAll(async () => {
    try {
      await Promise.race([
        Promise.all([cluster?.stop(), redis?.stop(), bucket?.remove()]),
        new Promise((r) => setTimeout(r, 15_000)),
      ]);
    } finally {
      killAll();
      await database?.drop().catch((error) => console.warn(`drop database: ${error}`));
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  /** The account's balance and open holds, read from the database. */
  async function money(accountId: string) {
    const [balance] = await database.query<{ balance: string; held: string }>(
      'select balance, held from account_balances where account_id = $1',
      [accountId],
    );
    const [holds] = await database.query<{ n: string }>(
      "select count(*) as n from holds where account_id = $1 and status = 'open'",
      [accountId],
    );
    const [captures] = await database.query<{ n: string; sum: string | null }>(
      "select count(*) as n, sum(amount) as sum from ledger_entries where account_id = $1 and kind = 'capture'",
      [accountId],
    );
    return {
      balance: Number(balance!.balance) / 1000,
      held: Number(balance!.held) / 1000,
      openHolds: Number(holds!.n),
      captures: Number(captures!.n),
      captured: -Number(captures!.sum ?? 0) / 1000 || 0,
    };
  }

  async function submit(base: string, key: string, prompt: string): Promise<string> {
    const res = await api<Task>(base, 'POST', '/v1/async/images/generations', {
      key,
      body: generation(prompt),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.id;
  }

  async function allCompleted(base: string, key: string, ids: string[], timeoutMs: number) {
    return waitFor(
      `${ids.length} tasks completed`,
      async () => {
        const tasks = await Promise.all(
          ids.map(async (id) => (await api<Task>(base, 'GET', `/v1/tasks/${id}`, { key })).body),
        );
        const failed = tasks.find((t) => t.status === 'failed' || t.status === 'canceled');
        if (failed) throw new Error(`task ${failed.id} ${failed.status}`);
        return tasks.every((t) => t.status === 'completed') ? tasks : undefined;
      },
      timeoutMs,
      250,
    );
  }

  it('ledger race: balance 10, 60 requests over both processes, exactly 10 served', async () => {
    const account = await cluster.account(10);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        api(i % 2 ? a : b, 'POST', '/v1/images/generations', {
          key: account.api_key,
          body: generation(`race ${i}`),
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(50);
    expect(await money(account.account_id)).toEqual({
      balance: 0,
      held: 0,
      openHolds: 0,
      captures: 10,
      captured: 10,
    });
  });

  it('tasks submitted on one process and polled on the other all complete, charged once', async () => {
    const account = await cluster.account(100);
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submit(a, account.api_key, `task ${i}`)),
    );
    const tasks = await allCompleted(b, account.api_key, ids, 30_000);
    expect(tasks).toHaveLength(20);
    expect(await money(account.account_id)).toMatchObject({
      balance: 80,
      held: 0,
      openHolds: 0,
      captures: 20,
    });
  });

  it('a worker killed with SIGKILL mid-run: every task finishes, each charged once', async () => {
    const account = await cluster.account(100);
    const ids = await Promise.all(
      Array.from({ length: 24 }, (_, i) => submit(b, account.api_key, `kill ${i}`)),
    );
    // A worker runs 8 tasks at a time: with more than 8 running, both workers hold some.
    await waitFor('tasks running on both workers', async () => {
      const [row] = await database.query<{ n: string }>(
        "select count(*) as n from tasks where account_id = $1 and status = 'processing'",
        [account.account_id],
      );
      return Number(row!.n) > 8 ? true : undefined;
    });
    const victim = cluster.workers[0]!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    // Its jobs move on when their lease ends (PIXAPI_SYNC_TIMEOUT_S + 15 s) and maintenance runs.
    const tasks = await allCompleted(a, account.api_key, ids, 60_000);
    expect(tasks).toHaveLength(24);
    expect(await money(account.account_id)).toMatchObject({
      balance: 76,
      held: 0,
      openHolds: 0,
      captures: 24,
    });
    // The cluster goes on with a fresh worker for the scenarios that follow.
    cluster.workers.splice(0, 1);
    await cluster.startWorker();
  }, 90_000);

  it('a key revoked through one process is refused by the other within 1 s', async () => {
    const account = await cluster.account(10);
    for (const base of [a, b]) {
      expect((await api(base, 'GET', '/v1/account', { key: account.api_key })).status).toBe(200);
    }
    await cluster.cli(['keys', 'revoke', '--key', account.key_id]);
    const revokedAt = Date.now();
    await waitFor(
      'both processes to refuse the revoked key',
      async () => {
        const statuses = await Promise.all(
          [a, b].map(
            async (base) =>
              (await api(base, 'GET', '/v1/account', { key: account.api_key })).status,
          ),
        );
        return statuses.every((s) => s === 401) ? true : undefined;
      },
      1_000,
      50,
    );
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(1_000);
  });

  /** Sends `n` generations alternately to both processes, all at once. */
  async function burst(key: string, n: number, label: string): Promise<number[]> {
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        api(i % 2 ? a : b, 'POST', '/v1/images/generations', {
          key,
          body: generation(`${label} ${i}`),
        }),
      ),
    );
    return answers.map((r) => r.status);
  }

  async function keyWithRpm(rpm: number) {
    const account = await cluster.account(100);
    const created = await cluster.cli<{ api_key: string }>([
      'keys',
      'create',
      '--account',
      account.account_id,
      '--rpm',
      String(rpm),
    ]);
    return created.api_key;
  }

  it('--rpm 5 is shared by both processes: 5 served in all', async () => {
    const statuses = await burst(await keyWithRpm(5), 12, 'rpm');
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('Redis lost: requests keep flowing on per-process limits, logged; shared again when back', async () => {
    await redis.stop();
    const during = await burst(await keyWithRpm(100), 8, 'no redis');
    expect(during).toEqual(Array(8).fill(200));
    for (const proc of cluster.apis) {
      expect(proc.output()).toContain('Redis unreachable');
    }
    await redis.restart();
    // Each process notices on its next request once its client has reconnected.
    const probe = await keyWithRpm(1000);
    await waitFor(
      'both processes to use Redis again',
      async () => {
        await burst(probe, 2, 'probe');
        return cluster.apis.every((p) => p.output().includes('Redis reachable again'))
          ? true
          : undefined;
      },
      15_000,
      500,
    );
    const after = await burst(await keyWithRpm(5), 12, 'redis back');
    expect(after.filter((s) => s === 200)).toHaveLength(5);
  }, 60_000);

  it('PostgreSQL connections terminated: in-flight requests fail cleanly, nothing double-charged, processes recover', async () => {
    const account = await cluster.account(100);
    const inFlight = Array.from({ length: 16 }, (_, i) =>
      api(i % 2 ? a : b, 'POST', '/v1/images/generations', {
        key: account.api_key,
        body: generation(`pg ${i}`),
      }),
    );
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, i) => submit(a, account.api_key, `pg task ${i}`)),
    );
    await new Promise((r) => setTimeout(r, LOCAL_DELAY_MS / 2));
    expect(await database.terminateBackends()).toBeGreaterThan(0);
    const answers = await Promise.all(inFlight);
    for (const answer of answers) {
      expect([200, 503], JSON.stringify(answer.body)).toContain(answer.status);
    }
    const served = answers.filter((r) => r.status === 200).length;

    // Recovered without a restart: both processes serve, the workers run tasks.
    for (const base of [a, b]) {
      await waitFor(`${base} to serve again`, async () => {
        const res = await api(base, 'POST', '/v1/images/generations', {
          key: account.api_key,
          body: generation('after pg'),
        });
        return res.status === 200 ? true : undefined;
      });
    }
    await allCompleted(b, account.api_key, ids, 60_000);
    const after = await money(account.account_id);
    // Every capture is one served image: the 16 (those answered 200), 2 probes, 6 tasks at most.
    expect(after.openHolds).toBe(0);
    expect(after.held).toBe(0);
    expect(after.balance).toBe(100 - after.captured);
    expect(after.captures).toBeGreaterThanOrEqual(served + 2 + 6);
    expect(after.captures).toBeLessThanOrEqual(16 + 2 + 6);
    const [usage] = await database.query<{ n: string }>(
      "select count(*) as n from usage_records where account_id = $1 and status = 'succeeded' and endpoint = 'images.generations'",
      [account.account_id],
    );
    expect(after.captures - 6).toBe(Number(usage!.n));
  }, 90_000);

  it('the bucket lost: 503 storage_unavailable, holds released, nothing charged', async () => {
    const account = await cluster.account(10);
    await bucket.stop();
    try {
      const answers = await Promise.all(
        [a, b].map((base) =>
          api<{ error: { code: string } }>(base, 'POST', '/v1/images/generations', {
            key: account.api_key,
            body: generation('no bucket'),
          }),
        ),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.body.error.code).toBe('storage_unavailable');
      }
      expect(await money(account.account_id)).toEqual({
        balance: 10,
        held: 0,
        openHolds: 0,
        captures: 0,
        captured: 0,
      });
    } finally {
      await bucket.restart();
    }
    const res = await api(a, 'POST', '/v1/images/generations', {
      key: account.api_key,
      body: generation('bucket back'),
    });
    expect(res.status).toBe(200);
  }, 60_000);

  it('no process died along the way', async () => {
    for (const proc of [...cluster.apis, ...cluster.workers]) {
      expect(proc.child.exitCode, `${proc.name}\n${proc.output().slice(-3000)}`).toBeNull();
    }
  });
});
