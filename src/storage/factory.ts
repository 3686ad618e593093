import type { Config } from '../config.js';
import { LocalBlobStore } from './local.js';
import { S3BlobStore } from './s3.js';
import type { BlobStore } from './types.js';

/** The configured blob store. A new backend is one file plus one case here. */
export function createBlobStore(storage: Config['storage']): BlobStore {
  switch (storage.kind) {
    case 'local':
      return new LocalBlobStore(storage.dir);
    case 's3':
      return new S3BlobStore(storage.s3);
  }
}
