import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { UpstreamFailure } from '../errors.js';
import { decodeBase64Image, fromOpenAIImagesResponse } from './response.js';

const BASE = 'https://api.openai.com/v1';
let png: Buffer;
const usage = {
  input_tokens: 10,
  output_tokens: 1056,
  total_tokens: 1066,
  input_tokens_details: { text_tokens: 10, image_tokens: 0 },
};

beforeAll(async () => {
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
    .png()
    .toBuffer();
});

function failureOf(fn: () => unknown): UpstreamFailure {
  try {
    fn();
  } catch (error) {
    if (error instanceof UpstreamFailure) return error;
    throw error;
  }
  throw new Error('expected a UpstreamFailure');
}

describe('fromOpenAIImagesResponse', () => {
  it('reads base64 images, revised prompts and usage', () => {
    const parsed = fromOpenAIImagesResponse(
      'openai',
      {
        created: 1764072000,
        data: [{ b64_json: png.toString('base64'), revised_prompt: 'A fox, revised' }],
        usage: { ...usage, output_tokens_details: { image_tokens: 1056, text_tokens: 0 } },
      },
      BASE,
    );
    expect(parsed.images).toHaveLength(1);
    expect(parsed.images[0]!.bytes!.equals(png)).toBe(true);
    expect(parsed.images[0]!.revisedPrompt).toBe('A fox, revised');
    expect(parsed.usage).toEqual(usage);
    expect(parsed.dropped).toBe(0);
  });

  it('reads URL outputs, resolving relative ones against the base URL', () => {
    const parsed = fromOpenAIImagesResponse(
      'x',
      { data: [{ url: 'https://cdn.example/a.png' }, { url: '/generated/b.png' }] },
      'http://localai:8080/v1',
    );
    expect(parsed.images.map((i) => i.url)).toEqual([
      'https://cdn.example/a.png',
      'http://localai:8080/generated/b.png',
    ]);
  });

  it('decodes data: URLs in the url field', () => {
    const parsed = fromOpenAIImagesResponse(
      'x',
      { data: [{ url: `data:image/png;base64,${png.toString('base64')}` }] },
      BASE,
    );
    expect(parsed.images[0]!.bytes!.equals(png)).toBe(true);
  });

  it('drops items that are not images and keeps the others', () => {
    const parsed = fromOpenAIImagesResponse(
      'openai',
      {
        data: [
          { b64_json: Buffer.from('not an image at all').toString('base64') },
          { b64_json: png.toString('base64') },
          {},
        ],
      },
      BASE,
    );
    expect(parsed.images).toHaveLength(1);
    expect(parsed.dropped).toBe(2);
  });

  it('is invalid_response without data or without any usable image', () => {
    expect(failureOf(() => fromOpenAIImagesResponse('openai', { created: 1 }, BASE)).kind).toBe(
      'invalid_response',
    );
    expect(failureOf(() => fromOpenAIImagesResponse('openai', { data: [] }, BASE)).kind).toBe(
      'invalid_response',
    );
    expect(failureOf(() => fromOpenAIImagesResponse('openai', 'ok', BASE)).kind).toBe(
      'invalid_response',
    );
    expect(
      failureOf(() =>
        fromOpenAIImagesResponse('openai', { data: [{ b64_json: 'bm90IGFuIGltYWdl' }] }, BASE),
      ).kind,
    ).toBe('invalid_response');
    expect(
      failureOf(() =>
        fromOpenAIImagesResponse('openai', { data: [{ url: 'ftp://x/y.png' }] }, BASE),
      ).kind,
    ).toBe('invalid_response');
  });

  it('ignores a malformed usage rather than failing the images', () => {
    const parsed = fromOpenAIImagesResponse(
      'openai',
      { data: [{ b64_json: png.toString('base64') }], usage: { total_tokens: 'many' } },
      BASE,
    );
    expect(parsed.usage).toBeUndefined();
  });
});

describe('decodeBase64Image', () => {
  it('refuses text that is not strict base64 instead of decoding junk', () => {
    const b64 = png.toString('base64');
    expect(decodeBase64Image(`${b64.slice(0, 10)}!!${b64.slice(10)}`)).toBeUndefined();
    expect(decodeBase64Image('')).toBeUndefined();
    expect(decodeBase64Image(`${b64.slice(0, 20)}\n${b64.slice(20)}`)?.equals(png)).toBe(true);
  });

  it('decodes clean base64 and refuses base64url, inner padding and bad lengths', () => {
    const b64 = png.toString('base64');
    expect(decodeBase64Image(b64)?.equals(png)).toBe(true);
    // Node decodes `-` and `_` as base64url without skipping them: they must still be refused.
    expect(decodeBase64Image(`${b64.slice(0, 20)}-${b64.slice(21)}`)).toBeUndefined();
    expect(decodeBase64Image(`${b64.slice(0, 20)}_${b64.slice(21)}`)).toBeUndefined();
    expect(decodeBase64Image(`${b64.slice(0, 8)}=${b64.slice(9)}`)).toBeUndefined();
    expect(decodeBase64Image(`${b64}A`)).toBeUndefined();
  });

  it('takes a data: prefix and refuses formats Pixapi does not accept (GIF)', async () => {
    const b64 = png.toString('base64');
    expect(decodeBase64Image(`data:image/png;base64,${b64}`)?.equals(png)).toBe(true);
    const gif = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#c33' } })
      .gif()
      .toBuffer();
    expect(decodeBase64Image(gif.toString('base64'))).toBeUndefined();
  });
});
