import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from '../helpers/server.js';

/** Every C0 control a client could slip into a string, but the allowed tab, LF and CR. */
const FORBIDDEN = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).filter(
  (c) => !'\t\n\r'.includes(c),
);

const dirty = fc
  .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 8 }))
  .map(([before, control, after]) => `${before}${control}${after}`);

const ROUTES = [
  '/v1/images/generations',
  '/v1/async/images/generations',
  '/v1/images/edits',
  '/v1/async/images/edits',
] as const;

/** A valid body for `route`, with `field` set to `value` (metadata takes it as a value). */
function bodyWith(route: string, field: string, value: string, image: string) {
  const body: Record<string, unknown> = {
    model: 'local-placeholder',
    prompt: 'a fox',
    size: '256x256',
  };
  if (route.includes('edits')) body.images = [{ image_url: image }];
  if (field === 'metadata') body.metadata = { note: value };
  else if (field === 'metadata-key') body.metadata = { [value]: 'x' };
  else body[field] = value;
  return body;
}

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(
    `control characters in text fields on ${dialect}`,
    () => {
      let server: TestServer;
      let image: string;
      beforeAll(async () => {
        server = await startTestServer({ dialect });
        const png = await sharp({
          create: { width: 16, height: 16, channels: 3, background: '#00f' },
        })
          .png()
          .toBuffer();
        image = `data:image/png;base64,${png.toString('base64')}`;
      });
      afterAll(async () => {
        await server?.close();
      });

      it('answers 400 invalid_value naming the field, in every string of every route', async () => {
        const { apiKey } = await server.account(1000);
        const fields = ['prompt', 'user', 'model', 'size', 'quality', 'metadata', 'metadata-key'];
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...ROUTES),
            fc.constantFrom(...fields, 'webhook_url'),
            dirty,
            async (route, field, value) => {
              fc.pre(field !== 'webhook_url' || route.includes('async'));
              const res = await api(server.url, 'POST', route, {
                key: apiKey,
                body: bodyWith(route, field, value, image),
              });
              expect(res.status).toBe(400);
              expect(res.body.error).toMatchObject({
                type: 'invalid_request_error',
                code: 'invalid_value',
                param: field.startsWith('metadata') ? 'metadata' : field,
              });
            },
          ),
          { numRuns: 120 },
        );
        // Nothing was held, queued or charged.
        const account = await api(server.url, 'GET', '/v1/account', { key: apiKey });
        expect(account.body.balance).toBe(1000);
        const tasks = await api(server.url, 'GET', '/v1/tasks', { key: apiKey });
        expect(tasks.body.data).toEqual([]);
      });

      it('checks path parameters and query strings too', async () => {
        const { apiKey } = await server.account(1);
        for (const path of [
          '/v1/tasks/task_%00',
          '/v1/tasks?after=%00',
          '/v1/tasks?status=%01',
          '/v1/usage?model=%00',
          '/v1/tasks/task_%1b/cancel',
        ]) {
          const method = path.endsWith('cancel') ? 'POST' : 'GET';
          const res = await api(server.url, method, path, { key: apiKey });
          expect(res.status, path).toBe(400);
          expect((res.body.error as { code: string }).code, path).toBe('invalid_value');
        }
      });

      it('checks multipart fields as JSON fields', async () => {
        const { apiKey } = await server.account(10);
        const form = new FormData();
        form.set('model', 'local-placeholder');
        form.set('prompt', 'a\u0000fox');
        form.set('image', new Blob([Buffer.from(image.split(',')[1]!, 'base64')]), 'in.png');
        const res = await fetch(`${server.url}/v1/images/edits`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}` },
          body: form,
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: unknown }).error).toMatchObject({
          code: 'invalid_value',
          param: 'prompt',
        });
      });

      it('keeps tabs and newlines, and a NUL prompt cannot take the route down', async () => {
        const { apiKey } = await server.account(100);
        for (let i = 0; i < 6; i++) {
          const res = await api(server.url, 'POST', '/v1/images/generations', {
            key: apiKey,
            body: { model: 'local-placeholder', prompt: 'a\u0000b', size: '256x256' },
          });
          expect(res.status).toBe(400);
        }
        const other = await server.account(10);
        const res = await api(server.url, 'POST', '/v1/images/generations', {
          key: other.apiKey,
          body: {
            model: 'local-placeholder',
            prompt: 'a\tfox\r\non <b>two</b> & lines',
            size: '256x256',
            user: 'user\tone',
          },
        });
        expect(res.status).toBe(200);
      });
    },
  );
}
