import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../helpers/postgres.js';
import { api, startTestServer, type Dialect, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/tasks.js';

/**
 * Hostile requests from fast-check over the request schemas, plus hand-written cases: control
 * characters in every string, deep nesting, huge numbers, wrong types, duplicate keys, odd
 * content types. Whatever is sent: no 5xx, every error in OpenAI's shape, no open hold, no
 * orphan asset, and the balance moves only by what succeeded requests were charged.
 */

const CONTROL = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.tuple(fc.string({ maxLength: 6 }), CONTROL).map(([a, c]) => a + c),
);
const anything: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.5, 4294967296, 1e21),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
);
const field = <T>(good: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: anything }), {
    nil: undefined,
  });

function bodyArbitrary(image: string) {
  return fc.record(
    {
      model: field(fc.constantFrom('local-placeholder', 'gpt-image-1', 'nope')),
      prompt: field(fc.string({ minLength: 1, maxLength: 40 })),
      n: field(fc.integer({ min: 1, max: 3 })),
      size: field(fc.constantFrom('16x16', '32x48', '64x64', '5000x5000', '0x0')),
      quality: field(fc.constantFrom('auto', 'low', 'high', 'ultra')),
      output_format: field(fc.constantFrom('png', 'jpeg', 'webp', 'gif')),
      response_format: field(fc.constantFrom('url', 'b64_json')),
      background: field(fc.constantFrom('auto', 'opaque', 'transparent')),
      output_compression: field(fc.integer({ min: -5, max: 120 })),
      seed: field(fc.integer({ min: -1, max: 2 ** 32 })),
      user: field(fc.string({ maxLength: 300 })),
      metadata: field(fc.dictionary(fc.string({ maxLength: 70 }), fc.string({ maxLength: 20 }))),
      stream: field(fc.boolean()),
      images: field(fc.constant([{ image_url: image }])),
      webhook_url: field(fc.constantFrom('http://127.0.0.1:9/hook', 'ftp://x', 'http://10.0.0.1/')),
      api_base: field(fc.constant('http://127.0.0.1:1')),
    },
    { requiredKeys: [] },
  );
}

const ROUTES = [
  '/v1/images/generations',
  '/v1/images/edits',
  '/v1/async/images/generations',
  '/v1/async/images/edits',
];

/** Raw bodies a JSON encoder would never produce. */
const HOSTILE: Array<{ body: string; type: string }> = [
  {
    body: '{"model":"local-placeholder","prompt":"a","prompt":"b","size":"16x16"}',
    type: 'application/json',
  },
  { body: `{"prompt":${'['.repeat(3000)}}`, type: 'application/json' },
  { body: '{"prompt":"\\u0000"}', type: 'application/json' },
  {
    body: '{"__proto__":{"admin":true},"model":"local-placeholder","prompt":"a"}',
    type: 'application/json',
  },
  { body: '{"constructor":{"prototype":{"x":1}}}', type: 'application/json' },
  { body: '[]', type: 'application/json' },
  { body: 'null', type: 'application/json' },
  { body: '"str"', type: 'application/json' },
  { body: '{"n":1e999999}', type: 'application/json' },
  { body: '{', type: 'application/json' },
  { body: '', type: 'application/json' },
  { body: 'model=x&prompt=y', type: 'application/x-www-form-urlencoded' },
  { body: 'prompt', type: 'text/plain' },
  { body: '<x/>', type: 'application/xml' },
  { body: '--b\r\n', type: 'multipart/form-data; boundary=b' },
  { body: '{"model":"local-placeholder"}', type: 'application/json; charset=utf-16' },
];

const GETS = [
  '/v1/tasks?status=%00',
  '/v1/tasks?limit=-1',
  '/v1/tasks?limit=1e9',
  '/v1/tasks?after[]=x',
  '/v1/tasks/%ff',
  '/v1/usage?from=9999999999999999999',
  '/v1/usage?model[a]=b',
  '/v1/models/%00',
  `/v1/tasks/${'x'.repeat(5000)}`,
  '/v1/assets/..%2f..%2fetc%2fpasswd',
];

const RUNS: Record<Dialect, number> = { sqlite: 5_000, postgres: 1_000 };

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable)(`fuzzing on ${dialect}`, () => {
    let server: TestServer;
    let image: string;
    beforeAll(async () => {
      server = await startTestServer({ dialect, env: { PIXAPI_OUTBOUND_ALLOW: '127.0.0.1:9' } });
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

    it(`answers ${RUNS[dialect]} hostile requests without a 5xx and keeps the money right`, async () => {
      const { accountId, apiKey } = await server.account(100_000);
      let sent = 0;
      let chargedMilli = 0;
      const failures: string[] = [];
      const check = (label: string, status: number, body: unknown) => {
        sent++;
        // A model whose provider has no key is a documented 503, not a failure of ours.
        const code = (body as { error?: { code?: string } })?.error?.code;
        if (status >= 500 && code !== 'provider_not_configured')
          failures.push(`${status} ${label}`);
        if (status >= 400 && !(body as { error?: { type?: string } })?.error?.type) {
          failures.push(`not OpenAI-shaped ${status} ${label}`);
        }
        if (status === 200) {
          const credits = (body as { billing?: { credits?: number } }).billing?.credits ?? 0;
          chargedMilli += Math.round(credits * 1000);
        }
      };
      const send = async (path: string, body: string, type: string) => {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': type },
          body,
        });
        const raw = await res.text();
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = undefined;
        }
        check(`${path} ${body.slice(0, 200)}`, res.status, parsed);
      };

      for (const path of ROUTES) {
        for (const { body, type } of HOSTILE) await send(path, body, type);
      }
      for (const path of GETS) {
        const res = await api(server.url, 'GET', path, { key: apiKey }).catch(() => undefined);
        if (res) check(`GET ${path}`, res.status, res.body);
      }

      const samples = fc.sample(
        fc.tuple(fc.constantFrom(...ROUTES), bodyArbitrary(image)),
        RUNS[dialect] - sent,
      );
      for (let i = 0; i < samples.length; i += 8) {
        await Promise.all(
          samples
            .slice(i, i + 8)
            .map(([path, body]) => send(path, JSON.stringify(body), 'application/json')),
        );
      }
      expect(failures).toEqual([]);
      expect(sent).toBeGreaterThanOrEqual(RUNS[dialect]);

      // Let the accepted tasks end, then count what they charged.
      const db = server.services.db.kysely;
      await eventually(async () => {
        const open = await db
          .selectFrom('tasks')
          .select('id')
          .where('status', 'in', ['submitted', 'processing'])
          .executeTakeFirst();
        return open ? undefined : true;
      }, 120_000);
      const tasks = await db
        .selectFrom('tasks')
        .selectAll()
        .where('account_id', '=', accountId)
        .execute();
      for (const task of tasks) {
        if (task.status !== 'completed') continue;
        const result = JSON.parse(task.result!) as { billing: { credits: number } };
        chargedMilli += Math.round(result.billing.credits * 1000);
      }

      const openHolds = await db
        .selectFrom('holds')
        .select('id')
        .where('status', '=', 'open')
        .execute();
      expect(openHolds).toEqual([]);
      const account = await api(server.url, 'GET', '/v1/account', { key: apiKey });
      expect(Math.round((account.body.balance as number) * 1000)).toBe(100_000_000 - chargedMilli);

      // Every asset is an output of a success or an input of a task: nothing orphaned.
      const referenced = new Set<string>();
      for (const task of tasks) {
        for (const match of `${task.request}${task.result ?? ''}`.matchAll(/ast_[0-9A-Za-z]+/g)) {
          referenced.add(match[0]);
        }
      }
      const usage = await db
        .selectFrom('usage_records')
        .select(['status', 'images'])
        .where('account_id', '=', accountId)
        .where('endpoint', 'in', ['images.generations', 'images.edits'])
        .where('status', '=', 'succeeded')
        .execute();
      const syncImages = usage.reduce((sum, u) => sum + u.images, 0);
      const assets = await db
        .selectFrom('assets')
        .select('id')
        .where('account_id', '=', accountId)
        .execute();
      const unreferenced = assets.filter((a) => !referenced.has(a.id));
      expect(unreferenced.length).toBe(syncImages);
    }, 600_000);
  });
}
