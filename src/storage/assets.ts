import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db } from '../db/connection.js';
import { insertRow } from '../db/prepared.js';
import type { AssetDelivery } from '../config.js';
import { unguessableId } from '../ids.js';
import type { BlobStore } from './types.js';

export const IMAGE_TYPES = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
} as const;

export type ImageExtension = keyof typeof IMAGE_TYPES;

export interface NewAsset {
  accountId: string;
  bytes: Buffer;
  extension: ImageExtension;
  width: number;
  height: number;
  /** Overrides the configured retention (inputs shared with providers live briefly). */
  ttlMs?: number;
  /** The task whose attempt stored it, so that a crashed attempt's leftovers can be found. */
  taskId?: string;
  /** The request that produced it, so that the usage log can show a request's images. */
  requestId?: string;
}

export interface StoredAsset {
  id: string;
  url: string;
  extension: ImageExtension;
}

export interface OpenedAsset {
  contentType: string;
  bytes: number;
  etag: string;
  /** UTC ms, or null when kept until deleted. */
  expiresAt: number | null;
  body: Readable;
}

/** Where a client finds an asset's bytes when they are not served by this process. */
export interface AssetLocation {
  /** A URL on the bucket (signed, or public) to answer with a redirect. */
  location: string;
  /** How long the location stays valid, in seconds (what a cache may keep the redirect). */
  maxAgeS: number;
}

/** The longest a presigned asset URL lives: long enough to follow, short enough to not share. */
export const SIGNED_URL_TTL_S = 300;

/** The file name of an asset in its URL: the id and the extension. */
export const ASSET_FILE = /^(ast_[A-Za-z0-9]{22})\.(png|jpeg|webp)$/;

/**
 * Stored outputs: bytes in the blob store, metadata in the database, served by URL. Ids carry
 * about 131 random bits, so a URL is the capability to read the asset.
 */
export class AssetService {
  constructor(
    private readonly db: Db,
    private readonly store: BlobStore,
    private readonly options: {
      publicUrl: () => string;
      ttlHours: number;
      delivery?: AssetDelivery;
    },
  ) {
    if (options.delivery?.mode === 'redirect' && !store.signedUrl) {
      throw new Error('asset delivery redirect needs a store that signs URLs (S3)');
    }
  }

  get deliveryMode(): AssetDelivery['mode'] {
    return this.options.delivery?.mode ?? 'proxy';
  }

  /**
   * The asset that a URL names when it is one of this server's own asset URLs
   * (`PIXAPI_PUBLIC_URL/v1/assets/ast_....png`), else undefined.
   */
  ownAsset(url: string): { id: string; extension: string } | undefined {
    const delivery = this.options.delivery;
    const prefixes = [`${this.options.publicUrl()}/v1/assets/`];
    if (delivery?.mode === 'public') prefixes.push(`${delivery.publicBase}/`);
    const prefix = prefixes.find((p) => url.startsWith(p));
    if (prefix === undefined) return undefined;
    const match = ASSET_FILE.exec(url.slice(prefix.length));
    return match ? { id: match[1]!, extension: match[2]! } : undefined;
  }

  /** The URL answers give for an asset: on the public bucket, or on this server. */
  url(id: string, extension: string): string {
    const delivery = this.options.delivery;
    if (delivery?.mode === 'public') return `${delivery.publicBase}/${id}.${extension}`;
    return `${this.options.publicUrl()}/v1/assets/${id}.${extension}`;
  }

  /**
   * Where to redirect a request for the asset when delivery is `redirect` or `public`;
   * undefined when the asset is unknown or expired. Nothing is read from the store.
   */
  async locate(id: string, extension: string): Promise<AssetLocation | undefined> {
    const row = await this.db.kysely
      .selectFrom('assets')
      .select(['storage_key', 'expires_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || row.storage_key !== `${id}.${extension}`) return undefined;
    const now = Date.now();
    if (row.expires_at !== null && row.expires_at <= now) return undefined;
    const remainingS =
      row.expires_at === null ? Infinity : Math.floor((row.expires_at - now) / 1000);
    const delivery = this.options.delivery;
    if (delivery?.mode === 'public') {
      return {
        location: `${delivery.publicBase}/${row.storage_key}`,
        maxAgeS: Math.max(0, Math.min(remainingS, 7 * 24 * 3600)),
      };
    }
    // A signed URL outliving the asset would read nothing: it ends with the asset at the latest.
    const expiresInS = Math.max(1, Math.min(SIGNED_URL_TTL_S, remainingS));
    return {
      location: await this.store.signedUrl!(row.storage_key, expiresInS),
      maxAgeS: 0,
    };
  }

  async save(asset: NewAsset): Promise<StoredAsset> {
    const id = unguessableId('ast');
    const key = `${id}.${asset.extension}`;
    const now = Date.now();
    await this.store.put(key, asset.bytes, IMAGE_TYPES[asset.extension]);
    await insertRow(this.db.kysely, 'assets', {
      id,
      account_id: asset.accountId,
      storage_key: key,
      content_type: IMAGE_TYPES[asset.extension],
      bytes: asset.bytes.length,
      etag: `"${createHash('sha256').update(asset.bytes).digest('base64url').slice(0, 27)}"`,
      width: asset.width,
      height: asset.height,
      created_at: now,
      expires_at: this.expiry(now, asset.ttlMs),
      task_id: asset.taskId ?? null,
      request_id: asset.requestId ?? null,
    });
    return { id, url: this.url(id, asset.extension), extension: asset.extension };
  }

  private expiry(now: number, ttlMs: number | undefined): number | null {
    if (ttlMs !== undefined) return now + ttlMs;
    return this.options.ttlHours > 0 ? now + this.options.ttlHours * 3_600_000 : null;
  }

  /** The asset's bytes and headers, or undefined when unknown, expired or of another type. */
  async open(id: string, extension: string): Promise<OpenedAsset | undefined> {
    const row = await this.db.kysely
      .selectFrom('assets')
      .select(['storage_key', 'content_type', 'bytes', 'etag', 'expires_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || row.storage_key !== `${id}.${extension}`) return undefined;
    if (row.expires_at !== null && row.expires_at <= Date.now()) return undefined;
    const body = await this.store.get(row.storage_key);
    if (!body) return undefined;
    return {
      contentType: row.content_type,
      bytes: row.bytes,
      etag: row.etag,
      expiresAt: row.expires_at,
      body,
    };
  }

  /** The whole asset in memory (task inputs), or undefined when it is gone. */
  async read(id: string, extension: string): Promise<Buffer | undefined> {
    const opened = await this.open(id, extension);
    if (!opened) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of opened.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** The images a request stored in the account, oldest first (a usage record's outputs). */
  async listForRequest(accountId: string, requestId: string) {
    const rows = await this.db.kysely
      .selectFrom('assets')
      .select(['id', 'content_type', 'width', 'height', 'expires_at'])
      .where('request_id', '=', requestId)
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      contentType: r.content_type,
      width: r.width,
      height: r.height,
      expiresAt: r.expires_at === null ? null : Number(r.expires_at),
    }));
  }

  /** Deletes what a task's attempts stored, except `keep` (the outputs of its result). */
  async deleteTaskOutputs(taskId: string, keep: readonly string[] = []): Promise<number> {
    let query = this.db.kysely.selectFrom('assets').select('id').where('task_id', '=', taskId);
    if (keep.length > 0) query = query.where('id', 'not in', keep);
    const rows = await query.execute();
    return this.deleteMany(rows.map((r) => r.id));
  }

  /** Deletes assets, bytes first, then their rows. */
  async deleteMany(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db.kysely
      .selectFrom('assets')
      .select(['id', 'storage_key'])
      .where('id', 'in', ids)
      .execute();
    for (const row of rows) await this.store.delete(row.storage_key);
    await this.db.kysely.deleteFrom('assets').where('id', 'in', ids).execute();
    return rows.length;
  }

  /** Deletes assets past their expiry, bytes first; returns how many were removed. */
  async deleteExpired(now = Date.now(), batch = 500): Promise<number> {
    let removed = 0;
    for (;;) {
      const rows = await this.db.kysely
        .selectFrom('assets')
        .select('id')
        .where('expires_at', '<=', now)
        .limit(batch)
        .execute();
      if (rows.length === 0) return removed;
      removed += await this.deleteMany(rows.map((r) => r.id));
      if (rows.length < batch) return removed;
    }
  }

  async check(): Promise<void> {
    await this.store.check();
  }
}
