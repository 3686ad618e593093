import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_INTERVAL_MS, startCheckpointer } from './checkpointer.js';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, openDatabase, type Db } from './connection.js';

describe('WAL checkpoints on their own thread', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  function tempFile() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-ckpt-'));
    dirs.push(dir);
    return path.join(dir, 'db.sqlite');
  }
  /** The rows the database file holds by itself, without its WAL. */
  function rowsInMainFile(file: string): number {
    const copy = `${file}.copy`;
    fs.copyFileSync(file, copy);
    const alone = new SQLite(copy, { readonly: true });
    try {
      const table = alone.prepare("select 1 from sqlite_master where name = 't'").get();
      return table ? (alone.prepare('select count(*) as n from t').get() as { n: number }).n : 0;
    } finally {
      alone.close();
    }
  }

  it('copies committed rows into the database file while the server only commits', async () => {
    const file = tempFile();
    const failures: Error[] = [];
    const db = openDatabase(
      { kind: 'sqlite', file },
      { backgroundCheckpoints: { onFailure: (error) => failures.push(error) } },
    );
    dbs.push(db);
    await sql`create table t (v integer)`.execute(db.kysely);
    for (let i = 0; i < 10; i++) await sql`insert into t values (${i})`.execute(db.kysely);
    // A handful of pages: far below the 1,000 at which a commit would checkpoint by itself.
    expect(rowsInMainFile(file)).toBe(0);
    await sleep(CHECKPOINT_INTERVAL_MS * 3);
    expect(rowsInMainFile(file)).toBe(10);
    expect(failures).toEqual([]);
    // The connection itself checkpoints only past the backstop.
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
      db.kysely,
    );
    expect(rows[0]?.wal_autocheckpoint).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
  });

  it('checkpoints again soon while writes keep coming', async () => {
    const file = tempFile();
    const writer = new SQLite(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('create table t (v integer)');
    const insert = writer.prepare('insert into t values (1)');
    const writes = setInterval(() => insert.run(), 10);
    const failures: Error[] = [];
    // Idle passes 3 s apart, busy ones 20 ms apart.
    const checkpointer = startCheckpointer(file, (error) => failures.push(error), 3000, 20);
    try {
      let copied = 0;
      for (let i = 0; i < 100 && copied === 0; i++) {
        await sleep(100);
        copied = rowsInMainFile(file);
      }
      expect(copied).toBeGreaterThan(0);
      // Long before the next idle pass would come, the rows written meanwhile are in the file.
      const since = performance.now();
      let later = copied;
      while (later === copied && performance.now() - since < 1000) {
        await sleep(50);
        later = rowsInMainFile(file);
      }
      expect(later).toBeGreaterThan(copied);
    } finally {
      clearInterval(writes);
      await checkpointer.stop();
      writer.close();
    }
    expect(failures).toEqual([]);
  });

  it('stops in a process with nothing else to wait for (a script closing its server)', () => {
    const file = tempFile();
    const script = `
      import { startCheckpointer } from ${JSON.stringify(new URL('./checkpointer.ts', import.meta.url).pathname)};
      const checkpointer = startCheckpointer(${JSON.stringify(file)}, (error) => { throw error; });
      await checkpointer.stop();
      console.log('stopped');
    `;
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        timeout: 20_000,
      },
    );
    expect(out.toString().trim()).toBe('stopped');
  });

  it('tells when its thread stops, once', async () => {
    const failures: Error[] = [];
    // A database that cannot be opened: the thread fails at once.
    const checkpointer = startCheckpointer(
      path.join(tempFile(), 'missing', 'db.sqlite'),
      (error) => failures.push(error),
      10,
    );
    for (let i = 0; i < 100 && failures.length === 0; i++) await sleep(20);
    await checkpointer.stop();
    expect(failures).toHaveLength(1);
  });

  it('without it, a connection checkpoints on commit as SQLite does by default', async () => {
    const db = openDatabase({ kind: 'sqlite', file: tempFile() });
    dbs.push(db);
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
      db.kysely,
    );
    expect(rows[0]?.wal_autocheckpoint).toBe(1000);
  });
});
