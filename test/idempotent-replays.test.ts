import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from './helpers/server.js';

interface Image {
  url?: string;
  b64_json?: string;
}
interface Images {
  data: Image[];
}

/**
 * Issue #8 item 10: an idempotency record keeps asset ids, never base64; a replay reads the
 * images back from storage, byte for byte, and says so clearly when they are gone.
 */
for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `idempotent replays of images on ${dialect}`,
    () => {
      let server: TestServer;
      let apiKey: string;
      let accountId: string;
      let n = 0;

      beforeAll(async () => {
        server = await startTestServer({ dialect });
        ({ apiKey, accountId } = await server.account(1000));
      });
      afterAll(async () => server?.close());

      function generate(key: string, body: Record<string, unknown>) {
        return api<Images>(server.url, 'POST', '/v1/images/generations', {
          key: apiKey,
          headers: { 'idempotency-key': key },
          body: { model: 'local-placeholder', prompt: 'a red fox', size: '256x256', ...body },
        });
      }

      async function storedBody(key: string): Promise<string> {
        const row = await server.services.db.kysely
          .selectFrom('idempotency_keys')
          .select('response_body')
          .where('account_id', '=', accountId)
          .where('key', '=', key)
          .executeTakeFirstOrThrow();
        return row.response_body ?? '';
      }

      it('a b64_json answer replays byte-identical images; the record holds no base64', async () => {
        const key = `b64-${++n}`;
        const first = await generate(key, { n: 3, response_format: 'b64_json' });
        expect(first.status).toBe(200);
        expect(first.body.data).toHaveLength(3);
        const record = await storedBody(key);
        // Three 256² PNGs are kilobytes of base64; the record is a few hundred bytes of ids.
        expect(record.length).toBeLessThan(2000);
        expect(record).not.toContain('"b64_json"');
        for (const image of first.body.data) {
          expect(record).not.toContain(image.b64_json!.slice(0, 64));
        }
        expect(record.match(/"b64_json_asset":"ast_[A-Za-z0-9]+\.png"/g)).toHaveLength(3);

        const replay = await generate(key, { n: 3, response_format: 'b64_json' });
        expect(replay.status).toBe(200);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(replay.headers.get('content-type')).toMatch(/^application\/json/);
        expect(replay.headers.get('x-pixapi-credits-charged')).toBe(
          first.headers.get('x-pixapi-credits-charged'),
        );
        expect(replay.body).toEqual(first.body);
        for (const [i, image] of replay.body.data.entries()) {
          expect(
            Buffer.from(image.b64_json!, 'base64').equals(
              Buffer.from(first.body.data[i]!.b64_json!, 'base64'),
            ),
          ).toBe(true);
        }
      });

      it('the default answer (url and b64_json) replays both, in the same order', async () => {
        const key = `both-${++n}`;
        const first = await generate(key, { n: 2 });
        expect(first.body.data[0]!.url).toBeTruthy();
        expect(first.body.data[0]!.b64_json).toBeTruthy();
        expect(await storedBody(key)).not.toContain('"b64_json"');
        const replay = await generate(key, { n: 2 });
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(JSON.stringify(replay.body)).toBe(JSON.stringify(first.body));
      });

      it('a url-only answer still replays as stored', async () => {
        const key = `url-${++n}`;
        const first = await generate(key, { n: 2, response_format: 'url' });
        expect(first.body.data[0]!.b64_json).toBeUndefined();
        const replay = await generate(key, { n: 2, response_format: 'url' });
        expect(replay.status).toBe(200);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(replay.body).toEqual(first.body);
      });

      it('a replay whose images were deleted is a clear 410, not a broken body', async () => {
        const key = `gone-${++n}`;
        const first = await generate(key, { n: 2, response_format: 'b64_json' });
        expect(first.status).toBe(200);
        const ids = [
          ...(await storedBody(key)).matchAll(/"b64_json_asset":"(ast_[A-Za-z0-9]+)\./g),
        ].map((match) => match[1]!);
        expect(ids).toHaveLength(2);
        await server.services.assets.deleteMany(ids.slice(1));
        const replay = await api<{ error: { code: string; message: string } }>(
          server.url,
          'POST',
          '/v1/images/generations',
          {
            key: apiKey,
            headers: { 'idempotency-key': key },
            body: {
              model: 'local-placeholder',
              prompt: 'a red fox',
              size: '256x256',
              n: 2,
              response_format: 'b64_json',
            },
          },
        );
        expect(replay.status).toBe(410);
        expect(replay.body.error.code).toBe('idempotent_images_expired');
        expect(replay.body.error.message).toMatch(/expired or were deleted/);
      });
    },
  );
}
