import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from '../helpers/server.js';

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `nothing stored or fetched before the money on ${dialect}`,
    () => {
      let server: TestServer;
      let images: http.Server;
      let imageUrl: string;
      let fetches = 0;
      let png: Buffer;

      beforeAll(async () => {
        png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#f00' } })
          .png()
          .toBuffer();
        images = http.createServer((_req, res) => {
          fetches++;
          res.writeHead(200, { 'content-type': 'image/png' }).end(png);
        });
        await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
        const host = `127.0.0.1:${(images.address() as AddressInfo).port}`;
        imageUrl = `http://${host}/in.png`;
        server = await startTestServer({
          dialect,
          workers: false,
          env: { PIXAPI_OUTBOUND_ALLOW: host },
        });
      });
      afterAll(async () => {
        await server?.close();
        await new Promise((r) => images?.close(r));
      });

      const assetsOf = async (accountId: string) =>
        (
          await server.services.db.kysely
            .selectFrom('assets')
            .select('id')
            .where('account_id', '=', accountId)
            .execute()
        ).length;

      const editBody = (image: string) => ({
        model: 'local-placeholder',
        prompt: 'a fox',
        size: '256x256',
        images: [{ image_url: image }],
      });

      it('an account without credits gets 402 for edits and leaves no asset', async () => {
        const { accountId, apiKey } = await server.account(0);
        const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
        for (let i = 0; i < 12; i++) {
          const res = await api(server.url, 'POST', '/v1/async/images/edits', {
            key: apiKey,
            body: editBody(dataUrl),
          });
          expect(res.status).toBe(402);
        }
        const form = new FormData();
        form.set('model', 'local-placeholder');
        form.set('prompt', 'a fox');
        form.set('image', new Blob([png]), 'in.png');
        const multipart = await fetch(`${server.url}/v1/async/images/edits`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}` },
          body: form,
        });
        expect(multipart.status).toBe(402);
        expect(await assetsOf(accountId)).toBe(0);
      });

      it('fetches no input image for an account that cannot pay, sync or async', async () => {
        const { apiKey } = await server.account(0);
        const before = fetches;
        for (const path of ['/v1/images/edits', '/v1/async/images/edits']) {
          const res = await api(server.url, 'POST', path, {
            key: apiKey,
            body: editBody(imageUrl),
          });
          expect(res.status, path).toBe(402);
        }
        expect(fetches).toBe(before);
      });

      it('removes the inputs of submissions that lose the race for the last credits', async () => {
        // One credit pays for one task: every request passes the early check, one wins the hold.
        const { accountId, apiKey } = await server.account(1);
        const answers = await Promise.all(
          Array.from({ length: 6 }, () =>
            api(server.url, 'POST', '/v1/async/images/edits', {
              key: apiKey,
              body: editBody(imageUrl),
            }),
          ),
        );
        const statuses = answers.map((a) => a.status).sort();
        expect(statuses).toEqual([202, 402, 402, 402, 402, 402]);
        expect(await assetsOf(accountId)).toBe(1);
      });
    },
  );
}
