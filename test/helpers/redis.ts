import { Redis } from 'ioredis';

/** The Redis the shared-limit tests use; override with PIXAPI_TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.PIXAPI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function probe(): Promise<string | undefined> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.disconnect();
  }
}

const unreachable = await probe();
if (unreachable) {
  console.warn(
    `[pixapi tests] Redis at ${TEST_REDIS_URL} is unreachable (${unreachable}): ` +
      'skipping the Redis variants of these tests.',
  );
}

/** True when Redis answered; tests use `describe.skipIf(!redisAvailable)`. */
export const redisAvailable = unreachable === undefined;
