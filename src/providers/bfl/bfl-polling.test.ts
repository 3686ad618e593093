import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  failure,
  fake,
  input,
  polls,
  provider,
  task,
  useFakeBfl,
} from '../../../test/helpers/bfl-adapter.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import type { ProviderCall } from '../types.js';

useFakeBfl();

/** Resolves once the fake has recorded a request that matches. */
async function untilRecorded(match: (path: string, method: string) => boolean): Promise<void> {
  while (!fake.requests.some((r) => match(r.path, r.method))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('bfl adapter: polling', () => {
  it('keeps polling through Pending, Queued and Processing', async () => {
    fake.script(task(['Pending', 'Queued', 'Processing', 'Pending', 'Ready']));
    const result = await provider.generate(input(), testCall());
    expect(polls()).toHaveLength(5);
    expect(result.images).toHaveLength(1);
  });

  it.each([
    ['Request Moderated', 'safety'],
    ['Content Moderated', 'safety'],
    ['Error', 'retryable'],
    ['Failed', 'retryable'],
    ['Task not found', 'invalid_response'],
  ] as const)('%s → %s', async (status, kind) => {
    fake.script(task(['Pending', status]));
    const f = await failure(provider.generate(input(), testCall()));
    expect(f.kind).toBe(kind);
  });

  it('Ready without result.sample → invalid_response', async () => {
    fake.script(task([{ kind: 'ready-without-sample' }]));
    expect((await failure(provider.generate(input(), testCall()))).kind).toBe('invalid_response');
  });

  it('a non-JSON polling answer → invalid_response', async () => {
    fake.script(task([{ kind: 'non-json' }]));
    expect((await failure(provider.generate(input(), testCall()))).kind).toBe('invalid_response');
  });

  it('rides out a few transient polling failures without resubmitting', async () => {
    const unavailable = {
      kind: 'http',
      status: 503,
      body: { detail: 'Service Unavailable' },
    } as const;
    fake.script(task(['Pending', unavailable, unavailable, 'Ready']));
    const result = await provider.generate(input(), testCall());
    expect(result.images).toHaveLength(1);
    expect(fake.submissions()).toHaveLength(1);
  });

  it('gives up as retryable when polling keeps failing', async () => {
    fake.script(task([{ kind: 'http', status: 500, body: { detail: 'Internal Server Error' } }]));
    const f = await failure(provider.generate(input(), testCall()));
    expect(f).toMatchObject({ kind: 'retryable', status: 500 });
    expect(polls()).toHaveLength(4); // the first try and 3 tolerated failures
  });

  it('follows a polling URL on another path of the API host (regional), with x-key', async () => {
    fake.script(task(['Pending', 'Ready'], { regional: true }));
    await provider.generate(input(), testCall());
    expect(polls().map((p) => p.path)).toEqual([
      '/regional/v1/get_result',
      '/regional/v1/get_result',
    ]);
    expect(polls().every((p) => p.headers['x-key'] === fake.apiKey)).toBe(true);
  });

  it('polls the base URL when the answer has no polling_url', async () => {
    fake.script(task(['Ready'], { omitPollingUrl: true }));
    const result = await provider.generate(input(), testCall());
    expect(result.images).toHaveLength(1);
    expect(polls()[0]?.headers['x-key']).toBe(fake.apiKey);
  });

  /** A call whose guarded client sends `https://<host>/...` to the fake, recording what it got. */
  function reroutingCall(
    seen: Array<{ url: string; headers: Record<string, string> }>,
  ): ProviderCall {
    const base = testCall();
    return {
      ...base,
      fetchProviderUrl: (url, init) => {
        seen.push({ url, headers: init?.headers ?? {} });
        const local = new URL(url);
        return base.fetchProviderUrl(`${fake.url}${local.pathname}${local.search}`, init);
      },
    };
  }

  it('sends x-key to a regional BFL host (api.eu.bfl.ai) through the guarded client', async () => {
    fake.script(task(['Ready'], { pollingOrigin: 'https://api.eu.bfl.ai' }));
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    const result = await provider.generate(input(), reroutingCall(seen));
    expect(result.images).toHaveLength(1);
    expect(seen[0]?.url.startsWith('https://api.eu.bfl.ai/v1/get_result?id=')).toBe(true);
    expect(seen[0]?.headers['x-key']).toBe(fake.apiKey);
  });

  it('never sends x-key to a polling URL on another host', async () => {
    fake.script(
      task(['Pending', 'Ready'], {
        pollingOrigin: 'https://elsewhere.example',
        pollingAuth: 'none',
      }),
    );
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    const result = await provider.generate(input(), reroutingCall(seen));
    expect(result.images).toHaveLength(1);
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => !('x-key' in s.headers))).toBe(true);
    expect(polls().every((p) => p.headers['x-key'] === undefined)).toBe(true);
  });

  it('returns the URL even when the sample is junk (Pixapi validates what it downloads)', async () => {
    fake.script(task(['Ready'], { sample: 'junk' }));
    const result = await provider.generate(input(), testCall());
    const bytes = Buffer.from(await (await fetch(result.images[0]?.url ?? '')).arrayBuffer());
    await expect(sharp(bytes).metadata()).rejects.toThrow();
  });
});

describe('bfl adapter: aborts', () => {
  it('aborts a slow submission with the signal reason', async () => {
    fake.script({ kind: 'slow', delayMs: 20_000 });
    const controller = new AbortController();
    const pending = provider.generate(input(), testCall({ signal: controller.signal }));
    await untilRecorded((path, method) => method === 'POST' && path.startsWith('/v1/'));
    const reason = new Error('client deadline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('stops polling when the signal aborts', async () => {
    fake.script(task(['Pending']));
    const controller = new AbortController();
    const pending = provider.generate(input(), testCall({ signal: controller.signal }));
    await untilRecorded((path) => path.endsWith('/get_result'));
    const reason = new Error('client deadline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
