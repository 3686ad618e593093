import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPixelBudget } from '../../src/providers/local/pixel-budget.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

describe('heavy local work', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('holds at most the pixel budget at once, however many large requests arrive', async () => {
    // Parallel requests go through the process-wide budget (its bound is tested in
    // pixel-budget.test.ts); this checks that the local renderer asks it for every image.
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api(server.url, 'POST', '/v1/images/generations', {
          key: server.adminKey,
          body: {
            model: 'local-placeholder',
            prompt: 'big',
            size: '1024x1024',
            n: 2,
            output_format: 'jpeg',
          },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(localPixelBudget.peak).toBeGreaterThan(0);
    expect(localPixelBudget.peak).toBeLessThanOrEqual(localPixelBudget.capacity);
  });
});
