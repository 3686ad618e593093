import type { UsageEntry } from '../../src/usage/usage-log.js';

/** A succeeded one-image usage entry of 1 credit on model `m1`, without a key, as patched. */
export function usageEntry(patch: Partial<UsageEntry> & Pick<UsageEntry, 'accountId'>): UsageEntry {
  return {
    requestId: 'req',
    keyId: null,
    model: 'm1',
    requestedModel: 'm1',
    route: null,
    endpoint: 'images.generations',
    status: 'succeeded',
    errorCode: null,
    images: 1,
    credits: 1000,
    latencyMs: 1,
    attempts: 1,
    user: null,
    metadata: null,
    ...patch,
  };
}
