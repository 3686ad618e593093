import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bflErrors, startFakeBfl } from '../../../test/fakes/bfl/index.js';
import type { BflBehaviour, BflPollStep, FakeBfl } from '../../../test/fakes/bfl/index.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import { loadConfig } from '../../config.js';
import { UpstreamFailure } from '../errors.js';
import type {
  EditInput,
  GenerateInput,
  ImageProvider,
  InputImage,
  ProviderCall,
} from '../types.js';
import { bflProvider, createBflProvider } from './index.js';
import { generateInput, sized } from '../../../test/helpers/provider-fixtures.js';

let fake: FakeBfl;
let provider: ImageProvider;

const FAST = { initialDelayMs: 2, maxDelayMs: 10 };

beforeAll(async () => {
  fake = await startFakeBfl();
  provider = createBflProvider({ apiKey: fake.apiKey, baseUrl: fake.url }, FAST);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const input = (overrides: Partial<GenerateInput> = {}): GenerateInput =>
  generateInput({
    model: 'flux-2-pro',
    prompt: 'a red fox in snow',
    size: sized(256, 192, 'free'),
    ...overrides,
  });

async function inputImage(color: string): Promise<InputImage> {
  const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: color } })
    .png()
    .toBuffer();
  return {
    bytes,
    contentType: 'image/png',
    width: 64,
    height: 48,
    publicUrl: () => Promise.resolve('http://127.0.0.1:1/unused'),
  };
}

async function editInput(
  images: InputImage[],
  over: Partial<GenerateInput> = {},
): Promise<EditInput> {
  return { ...input(over), images, mask: await inputImage('#000'), inputFidelity: undefined };
}

async function failure(promise: Promise<unknown>): Promise<UpstreamFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamFailure) return error;
    throw error;
  }
  throw new Error('expected a UpstreamFailure');
}

const task = (steps: BflPollStep[], more: Partial<Extract<BflBehaviour, { kind: 'task' }>> = {}) =>
  ({ kind: 'task', steps, ...more }) as const;

const polls = () => fake.requests.filter((r) => r.path.endsWith('/get_result'));

/** Resolves once the fake has recorded a request that matches. */
async function untilRecorded(match: (path: string, method: string) => boolean): Promise<void> {
  while (!fake.requests.some((r) => match(r.path, r.method))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('bfl adapter: generations', () => {
  it('submits the documented body, polls with x-key and returns the signed sample URL', async () => {
    const result = await provider.generate(input(), testCall());

    expect(fake.submissions()).toHaveLength(1);
    const [submission] = fake.submissions();
    expect(submission?.path).toBe('/v1/flux-2-pro');
    expect(submission?.headers['x-key']).toBe(fake.apiKey);
    expect(submission?.headers['content-type']).toBe('application/json');
    expect(submission?.body).toEqual({
      prompt: 'a red fox in snow',
      width: 256,
      height: 192,
      output_format: 'png',
      safety_tolerance: 2,
    });
    expect(polls().length).toBe(2); // Pending, then Ready
    expect(polls().every((p) => p.headers['x-key'] === fake.apiKey)).toBe(true);

    expect(result.images).toHaveLength(1);
    const url = result.images[0]?.url ?? '';
    expect(url.startsWith(`${fake.url}/results/`)).toBe(true);
    const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 256, height: 192 });
  });

  it('submits n tasks in parallel with consecutive seeds for n > 1', async () => {
    const result = await provider.generate(input({ n: 3, seed: 7 }), testCall());

    expect(result.images).toHaveLength(3);
    expect(new Set(result.images.map((i) => i.url)).size).toBe(3);
    const seeds = fake.submissions().map((s) => (s.body as { seed: number }).seed);
    expect(seeds.sort()).toEqual([7, 8, 9]);
  });

  it('returns the images that succeeded when some tasks fail', async () => {
    fake.script(task(['Ready']), task(['Content Moderated']), bflErrors.serverError());
    const result = await provider.generate(input({ n: 3 }), testCall());
    expect(result.images).toHaveLength(1);
    expect(result.images[0]?.url).toContain('/results/');
  });

  it('throws the safety refusal when every task failed', async () => {
    fake.script(bflErrors.serverError(), task(['Pending', 'Request Moderated']));
    const f = await failure(provider.generate(input({ n: 2 }), testCall()));
    expect(f.kind).toBe('safety');
  });

  it('sends the nearest aspect_ratio to Kontext and passes documented options', async () => {
    const size = { width: 1024, height: 576, requested: '1024x576', tier: 'free' };
    const options = { prompt_upsampling: true, guidance: 3, safety_tolerance: 4 };
    await provider.generate(
      input({ model: 'flux-kontext-pro', size, outputFormat: 'webp', options }),
      testCall(),
    );

    expect(fake.submissions()[0]?.body).toEqual({
      prompt: 'a red fox in snow',
      aspect_ratio: '16:9',
      output_format: 'png',
      safety_tolerance: 4,
      prompt_upsampling: true,
    });
  });

  it('sends aspect_ratio and raw to FLUX1.1 [pro] Ultra', async () => {
    const size = { width: 768, height: 1024, requested: '768x1024', tier: 'free' };
    const result = await provider.generate(
      input({ model: 'flux-pro-1.1-ultra', size, outputFormat: 'jpeg', options: { raw: true } }),
      testCall(),
    );
    expect(fake.submissions()[0]?.body).toMatchObject({
      aspect_ratio: '3:4',
      raw: true,
      output_format: 'jpeg',
    });
    expect(result.images[0]?.url).toMatch(/sample\.jpeg/);
  });

  it('fits sizes to FLUX1.1 [pro] (multiples of 32, at most 1440)', async () => {
    const size = { width: 2048, height: 1024, requested: '2048x1024', tier: 'free' };
    await provider.generate(input({ model: 'flux-pro-1.1', size }), testCall());
    expect(fake.submissions()[0]?.body).toMatchObject({ width: 1440, height: 736 });
  });
});

describe('bfl adapter: HTTP failures', () => {
  it('a wrong key → misconfigured (403 from BFL)', async () => {
    const wrong = createBflProvider({ apiKey: 'not-the-key', baseUrl: fake.url }, FAST);
    const f = await failure(wrong.generate(input(), testCall()));
    expect(f).toMatchObject({ kind: 'misconfigured', status: 403 });
    expect(f.message).not.toContain('not-the-key');
  });

  it('402 out of credits → misconfigured', async () => {
    fake.script(bflErrors.insufficientCredits());
    const f = await failure(provider.generate(input(), testCall()));
    expect(f).toMatchObject({
      kind: 'misconfigured',
      status: 402,
      upstreamCode: 'insufficient_credits',
    });
  });

  it('429 with retry-after seconds → retryable with retryAfterMs', async () => {
    fake.script(bflErrors.rateLimited('3'));
    const f = await failure(provider.generate(input(), testCall()));
    expect(f).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 3000 });
  });

  it('429 with an HTTP-date retry-after → retryable with a delay', async () => {
    fake.script(bflErrors.rateLimited(new Date(Date.now() + 60_000).toUTCString()));
    const f = await failure(provider.generate(input(), testCall()));
    expect(f.kind).toBe('retryable');
    expect(f.retryAfterMs).toBeGreaterThan(0);
  });

  it.each([500, 502, 503])('%i → retryable', async (status) => {
    fake.script(bflErrors.serverError(status));
    const f = await failure(provider.generate(input(), testCall()));
    expect(f).toMatchObject({ kind: 'retryable', status });
  });

  it('400 → terminal', async () => {
    fake.script(bflErrors.badRequest('Prompt too long'));
    const f = await failure(provider.generate(input(), testCall()));
    expect(f).toMatchObject({ kind: 'terminal', status: 400 });
    expect(f.message).toContain('Prompt too long');
  });

  it("422 from BFL's validation → terminal", async () => {
    const f = await failure(
      provider.generate(input({ options: { safety_tolerance: 9 } }), testCall()),
    );
    expect(f).toMatchObject({ kind: 'terminal', status: 422, upstreamCode: 'validation_error' });
    expect(f.message).toContain('body.safety_tolerance');
  });

  it('an unknown model endpoint (404) → terminal', async () => {
    const f = await failure(provider.generate(input({ model: 'flux-nonexistent' }), testCall()));
    expect(f).toMatchObject({ kind: 'terminal', status: 404 });
  });

  it('non-JSON 200 → invalid_response', async () => {
    fake.script({ kind: 'non-json' });
    expect((await failure(provider.generate(input(), testCall()))).kind).toBe('invalid_response');
  });

  it('JSON 200 without a task id → invalid_response', async () => {
    fake.script({ kind: 'wrong-shape' });
    expect((await failure(provider.generate(input(), testCall()))).kind).toBe('invalid_response');
  });

  it('a refused connection → retryable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const offline = createBflProvider({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}` }, FAST);
    const f = await failure(offline.generate(input(), testCall()));
    expect(f.kind).toBe('retryable');
  });
});

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

describe('bfl adapter: edits', () => {
  it('sends the input images as input_image, input_image_2 (base64, no data: prefix)', async () => {
    const images = [await inputImage('#f00'), await inputImage('#00f')];
    const result = await provider.edit!(await editInput(images), testCall());

    expect(result.images).toHaveLength(1);
    const body = fake.submissions()[0]?.body as Record<string, unknown>;
    expect(body.input_image).toBe(images[0]?.bytes.toString('base64'));
    expect(body.input_image_2).toBe(images[1]?.bytes.toString('base64'));
    expect(Object.keys(body).some((k) => k.includes('mask'))).toBe(false);
  });

  it('sends at most 4 references to Kontext', async () => {
    const images = await Promise.all(['#100', '#200', '#300', '#400', '#500'].map(inputImage));
    await provider.edit!(await editInput(images, { model: 'flux-kontext-max' }), testCall());
    const body = fake.submissions()[0]?.body as Record<string, unknown>;
    expect(
      Object.keys(body)
        .filter((k) => k.startsWith('input_image'))
        .sort(),
    ).toEqual(['input_image', 'input_image_2', 'input_image_3', 'input_image_4']);
  });

  it('refuses edits on a model without image input, before any request', async () => {
    const f = await failure(
      provider.edit!(
        await editInput([await inputImage('#f00')], { model: 'flux-pro-1.1' }),
        testCall(),
      ),
    );
    expect(f.kind).toBe('terminal');
    expect(fake.submissions()).toHaveLength(0);
  });
});

describe('bflProvider definition', () => {
  it('is configured by BFL_API_KEY and uses BFL_BASE_URL', async () => {
    expect(bflProvider).toMatchObject({ name: 'bfl', requires: 'BFL_API_KEY' });
    expect(bflProvider.isConfigured(loadConfig({}))).toBe(false);
    const config = loadConfig({ BFL_API_KEY: fake.apiKey, BFL_BASE_URL: `${fake.url}/` });
    expect(bflProvider.isConfigured(config)).toBe(true);
    fake.script(task(['Ready']));
    const result = await bflProvider.create(config).generate(input(), testCall());
    expect(result.images).toHaveLength(1);
  });
});

describe('the BFL fake rejects what BFL rejects', () => {
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${fake.url}/v1/flux-2-pro`, { method: 'POST', headers, body });
  const json = { 'content-type': 'application/json' };

  it('answers 401 without x-key and 403 with a wrong one', async () => {
    const missing = await post('{"prompt":"x"}', json);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ detail: 'Not authenticated' });
    const wrong = await post('{"prompt":"x"}', { ...json, 'x-key': 'nope' });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ detail: 'Not authenticated - Invalid Authentication' });
  });

  it('answers 422 extra_forbidden for unknown fields', async () => {
    const res = await post('{"prompt":"x","x":1}', { ...json, 'x-key': fake.apiKey });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      detail: [
        {
          type: 'extra_forbidden',
          loc: ['body', 'x'],
          msg: 'Extra inputs are not permitted',
          input: 1,
        },
      ],
    });
  });

  it('answers 422 for a non-JSON content type and for a data: URL as input_image', async () => {
    const form = await post('prompt=x', { 'content-type': 'text/plain', 'x-key': fake.apiKey });
    expect(form.status).toBe(422);
    const dataUrl = await post(
      '{"prompt":"x","input_image":"data:image/png;base64,iVBORw0KGgo="}',
      {
        ...json,
        'x-key': fake.apiKey,
      },
    );
    expect(dataUrl.status).toBe(422);
    const { detail } = (await dataUrl.json()) as { detail: Array<{ loc: string[] }> };
    expect(detail[0]?.loc).toEqual(['body', 'input_image']);
  });
});
