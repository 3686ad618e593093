import type { Config } from '../config.js';
import { LocalBlobStore } from './local.js';
import type { BlobStore } from './types.js';

/** The configured blob store. A new backend is one file plus one case here. */
export function createBlobStore(storage: Config['storage']): BlobStore {
  switch (storage.kind) {
    case 'local':
      return new LocalBlobStore(storage.dir);
    case 's3':
      throw new Error('PIXAPI_STORAGE=s3 is not available in this version');
  }
}
