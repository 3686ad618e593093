import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REPLICATE_FAKE_TOKEN, replicateErrors } from '../../../test/fakes/replicate/index.js';
import { testCall } from '../../../test/helpers/provider-call.js';
import {
  download,
  failureOf,
  fake,
  input,
  isPoll,
  replicate,
  useFakeReplicate,
} from '../../../test/helpers/replicate-adapter.js';
import { collectOutputs } from '../../generation/outputs.js';
import { createReplicateProvider } from './index.js';

useFakeReplicate();

describe('replicate adapter: failed predictions', () => {
  it('makes NSFW and sensitive-content failures safety refusals', async () => {
    fake.script({
      steps: ['processing'],
      final: {
        status: 'failed',
        error:
          'All generated images contained NSFW content. Try running it again with a different prompt.',
      },
    });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'safety',
    });

    fake.script({
      final: {
        status: 'failed',
        error:
          'The input or output was flagged as sensitive. Please try again with different inputs. (E005)',
      },
    });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'safety',
      upstreamCode: 'E005',
    });
  });

  it('makes model errors terminal and interruptions retryable', async () => {
    fake.script({
      final: { status: 'failed', error: 'RuntimeError: CUDA error: device-side assert' },
    });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'terminal',
    });
    fake.script({
      final: { status: 'failed', error: 'Prediction interrupted; please retry (code: PA)' },
    });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
    });
  });

  it('retries a prediction canceled by someone else', async () => {
    fake.script({ steps: ['processing'], final: { status: 'canceled' } });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
    });
  });
});

describe('replicate adapter: errors', () => {
  it('makes a wrong token and missing credit operator problems, without leaking the token', async () => {
    const wrong = createReplicateProvider({ apiToken: 'r8_wrong_secret', baseUrl: fake.url });
    const failure = await failureOf(wrong.generate(input(), testCall()));
    expect(failure).toMatchObject({ kind: 'misconfigured', status: 401 });
    expect((failure as Error).message).not.toContain('r8_wrong_secret');

    fake.script({ create: replicateErrors.insufficientCredit() });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'misconfigured',
      status: 402,
    });
  });

  it('makes an unknown model, an unknown version and invalid input terminal', async () => {
    const unknown = input({ model: 'someone/not-a-model' });
    expect(await failureOf(replicate.generate(unknown, testCall()))).toMatchObject({
      kind: 'terminal',
      status: 404,
    });
    const version = input({ model: 'f'.repeat(64) });
    expect(await failureOf(replicate.generate(version, testCall()))).toMatchObject({
      kind: 'terminal',
      upstreamCode: 'Invalid version or not permitted',
    });
    const invalid = input({ options: { aspect_ratio: '7:3' } });
    expect(await failureOf(replicate.generate(invalid, testCall()))).toMatchObject({
      kind: 'terminal',
      status: 422,
      upstreamCode: 'Input validation failed',
    });
  });

  it('retries throttling with the delay from the text or retry-after', async () => {
    fake.script({ create: replicateErrors.throttled(4) });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 4000,
    });
    fake.script({ create: replicateErrors.throttled(1, true) });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      retryAfterMs: 1000,
    });
  });

  it('retries 5xx, and gives up when the prediction URL keeps failing', async () => {
    fake.script({ create: replicateErrors.serverError(500) });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      status: 500,
    });
    const down = replicateErrors.serverError(502);
    fake.script({ steps: ['processing', down, down, down, down, 'processing'] });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'retryable',
      status: 502,
    });
  });
});

describe('replicate adapter: malformed answers', () => {
  it('makes a non-JSON creation answer invalid_response', async () => {
    fake.script({ create: { status: 201, rawBody: '<html>ok?</html>' } });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'invalid_response',
    });
  });

  it('makes a success without outputs invalid_response', async () => {
    fake.script({ final: { status: 'succeeded', output: [] } });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'invalid_response',
    });
    fake.script({ steps: ['processing'], final: { status: 'succeeded', output: null } });
    expect(await failureOf(replicate.generate(input(), testCall()))).toMatchObject({
      kind: 'invalid_response',
    });
  });

  it('passes on a URL to bytes that are not an image, which Pixapi then drops', async () => {
    fake.script({ final: { status: 'succeeded', notImage: true } });
    const result = await replicate.generate(input(), testCall());
    const delivered = await collectOutputs(result.images, {
      outputFormat: 'webp',
      outputCompression: undefined,
      download,
      log: pino({ level: 'silent' }),
    });
    expect(result.images).toHaveLength(1);
    expect(delivered).toEqual([]);
  });
});

describe('replicate adapter: aborts', () => {
  it('lets the abort propagate during a slow creation', async () => {
    const controller = new AbortController();
    const reason = new Error('client deadline');
    fake.script({ createDelayMs: 5000 });
    const pending = failureOf(replicate.generate(input(), testCall({ signal: controller.signal })));
    await fake.waitForRequest((r) => r.method === 'POST');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('stops polling on abort and cancels the prediction', async () => {
    const controller = new AbortController();
    const reason = new Error('client deadline');
    fake.script({ steps: Array.from({ length: 10_000 }, () => 'processing' as const) });
    const pending = failureOf(replicate.generate(input(), testCall({ signal: controller.signal })));
    await fake.waitForRequest(isPoll);
    controller.abort(reason);
    expect(await pending).toBe(reason);
    const cancel = await fake.waitForRequest((r) => r.path.endsWith('/cancel'));
    expect(cancel.method).toBe('POST');
    expect(cancel.headers.authorization).toBe(`Bearer ${REPLICATE_FAKE_TOKEN}`);
  });
});
