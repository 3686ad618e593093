import type { Config } from '../config.js';
import { LocalBlobStore } from './local.js';
import type { BlobStore } from './types.js';

/**
 * The configured blob store. A new backend is one file plus one case here. S3's SDK is loaded
 * only when S3 is configured: it is ~20 MB of memory that a disk-backed server never uses.
 */
export async function createBlobStore(storage: Config['storage']): Promise<BlobStore> {
  switch (storage.kind) {
    case 'local':
      return new LocalBlobStore(storage.dir);
    case 's3': {
      const { S3BlobStore } = await import('./s3.js');
      return new S3BlobStore(storage.s3);
    }
  }
}
