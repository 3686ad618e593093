import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertSafeKey, type BlobStore } from './types.js';

/** Assets as files in one directory, written atomically (temp file, then rename). */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private file(key: string): string {
    return path.join(this.dir, assertSafeKey(key));
  }

  async put(key: string, body: Buffer): Promise<void> {
    const target = this.file(key);
    const temp = `${target}.${process.pid}.tmp`;
    await fsp.writeFile(temp, body);
    await fsp.rename(temp, target);
  }

  async get(key: string): Promise<Readable | undefined> {
    const file = this.file(key);
    try {
      const handle = await fsp.open(file, 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.file(key), { force: true });
  }

  async check(): Promise<void> {
    await fsp.access(this.dir, fs.constants.W_OK);
  }
}
