import { describe, expect, it } from 'vitest';
import { UpstreamFailure } from '../errors.js';
import {
  DECLINED_FINISH_REASONS,
  SAFETY_FINISH_REASONS,
  camelKeys,
  decodeImageData,
  fromGenerateContentResponse,
} from './response.js';

// A 1x1 PNG.
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
// A 1x1 JPEG's first bytes are enough for the sniffing check.
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString('base64');

const usageMetadata = {
  promptTokenCount: 12,
  candidatesTokenCount: 1120,
  thoughtsTokenCount: 180,
  totalTokenCount: 1312,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }],
};

function answer(parts: unknown[], finishReason: string | undefined = 'STOP', extra = {}) {
  return JSON.stringify({
    candidates: [{ content: { parts, role: 'model' }, finishReason, index: 0 }],
    usageMetadata,
    modelVersion: 'gemini-3-pro-image-preview',
    ...extra,
  });
}

function failure(body: string): UpstreamFailure {
  try {
    fromGenerateContentResponse(body);
  } catch (error) {
    if (error instanceof UpstreamFailure) return error;
    throw error;
  }
  throw new Error('expected a UpstreamFailure');
}

describe('fromGenerateContentResponse', () => {
  it('reads the image and the usage of a documented answer', () => {
    const image = fromGenerateContentResponse(
      answer([{ text: 'Here is your fox.' }, { inlineData: { mimeType: 'image/png', data: PNG } }]),
    );
    expect(image.bytes.equals(Buffer.from(PNG, 'base64'))).toBe(true);
    expect(image.mimeType).toBe('image/png');
    expect(image.usage).toEqual({
      input_tokens: 12,
      output_tokens: 1300,
      total_tokens: 1312,
      input_tokens_details: { text_tokens: 12, image_tokens: 0 },
    });
  });

  it('reads snake_case parts (inline_data, mime_type)', () => {
    const body = JSON.stringify({
      candidates: [
        {
          content: { parts: [{ inline_data: { mime_type: 'image/jpeg', data: JPEG_START } }] },
          finish_reason: 'STOP',
        },
      ],
    });
    const image = fromGenerateContentResponse(body);
    expect(image.mimeType).toBe('image/jpeg');
    expect(image.usage).toBeUndefined();
  });

  it('skips thought parts, even thought images, and takes the final image', () => {
    const draft = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.from('draft')]);
    const image = fromGenerateContentResponse(
      answer([
        { text: 'Planning the composition', thought: true },
        { inlineData: { mimeType: 'image/png', data: draft.toString('base64') }, thought: true },
        { inlineData: { mimeType: 'image/png', data: PNG }, thoughtSignature: 'c2ln' },
      ]),
    );
    expect(image.bytes.equals(Buffer.from(PNG, 'base64'))).toBe(true);
  });

  it('tolerates a missing finishReason when the image is there', () => {
    const image = fromGenerateContentResponse(
      answer([{ inlineData: { mimeType: 'image/png', data: PNG } }], undefined),
    );
    expect(image.bytes.length).toBeGreaterThan(0);
  });

  it('fails a finishReason other than STOP even with an image', () => {
    const error = failure(
      answer([{ inlineData: { mimeType: 'image/png', data: PNG } }], 'MAX_TOKENS'),
    );
    expect(error.kind).toBe('invalid_response');
    expect(error.upstreamCode).toBe('MAX_TOKENS');
  });

  it.each(['SAFETY', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY'])(
    'promptFeedback.blockReason %s → safety',
    (blockReason) => {
      const error = failure(JSON.stringify({ promptFeedback: { blockReason }, usageMetadata }));
      expect(error.kind).toBe('safety');
      expect(error.upstreamCode).toBe(blockReason);
    },
  );

  it.each([...SAFETY_FINISH_REASONS])('finishReason %s → safety', (finishReason) => {
    const error = failure(JSON.stringify({ candidates: [{ finishReason, index: 0 }] }));
    expect(error.kind).toBe('safety');
    expect(error.upstreamCode).toBe(finishReason);
  });

  it('a safety finishReason wins over an image that came with it', () => {
    const error = failure(
      answer([{ inlineData: { mimeType: 'image/png', data: PNG } }], 'IMAGE_SAFETY'),
    );
    expect(error.kind).toBe('safety');
  });

  it.each([...DECLINED_FINISH_REASONS])('finishReason %s → terminal', (finishReason) => {
    const error = failure(JSON.stringify({ candidates: [{ finishReason, index: 0 }] }));
    expect(error.kind).toBe('terminal');
    expect(error.upstreamCode).toBe(finishReason);
  });

  it('text without an image → invalid_response that quotes the text', () => {
    const error = failure(answer([{ text: 'I cannot draw that.' }]));
    expect(error.kind).toBe('invalid_response');
    expect(error.message).toContain('I cannot draw that.');
  });

  it.each([
    ['not JSON', '<html>oops</html>'],
    ['no candidates', JSON.stringify({ usageMetadata })],
    ['null candidates', JSON.stringify({ candidates: null, usageMetadata })],
    ['a wrong shape', JSON.stringify({ candidates: 'many' })],
    ['an inlineData without data', answer([{ inlineData: { mimeType: 'image/png' } }])],
    ['bad base64', answer([{ inlineData: { mimeType: 'image/png', data: 'iVBOR!!*~' } }])],
    [
      'bytes that are not an image',
      answer([
        { inlineData: { mimeType: 'image/png', data: Buffer.from('hi').toString('base64') } },
      ]),
    ],
    [
      'a non-image inlineData only',
      answer([{ inlineData: { mimeType: 'application/pdf', data: PNG } }]),
    ],
  ])('%s → invalid_response', (_, body) => {
    expect(failure(body).kind).toBe('invalid_response');
  });
});

describe('decodeImageData', () => {
  it('accepts PNG and JPEG, with line breaks', () => {
    expect(decodeImageData(`${PNG.slice(0, 20)}\n${PNG.slice(20)}`)).toBeInstanceOf(Buffer);
    expect(decodeImageData(JPEG_START)).toBeInstanceOf(Buffer);
  });

  it('accepts the URL-safe alphabet and GIF', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([0xfb, 0xff, 0xbf])]);
    expect(gif.toString('base64url')).toBe('R0lGODlh-_-_');
    expect(decodeImageData(gif.toString('base64url'))?.equals(gif)).toBe(true);
  });

  it('refuses invalid characters and empty data', () => {
    expect(decodeImageData('iVBORw0K$$$')).toBeUndefined();
    expect(decodeImageData('')).toBeUndefined();
  });
});

describe('camelKeys', () => {
  it('renames keys at every depth and leaves values alone', () => {
    expect(camelKeys({ usage_metadata: [{ prompt_token_count: 1, text: 'a_b' }] })).toEqual({
      usageMetadata: [{ promptTokenCount: 1, text: 'a_b' }],
    });
  });
});
