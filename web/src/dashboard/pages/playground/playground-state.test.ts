import { describe, expect, it } from 'vitest';
import type { Model } from '../../api/types.js';
import { INITIAL, modelsFor, requestBody } from './playground-state.js';

const model = (id: string, capabilities: string[], available = true): Model => ({
  id,
  name: id,
  description: '',
  capabilities,
  pricing: { from_credits: 1 },
  sizes: ['auto', '1024x1024'],
  qualities: ['auto', 'low'],
  output_formats: ['png', 'jpeg'],
  max_n: 4,
  stream: false,
  available,
});

describe('the playground request', () => {
  it('sends only what differs from the defaults', () => {
    const m = model('m', ['text-to-image']);
    expect(requestBody({ ...INITIAL, model: 'm', prompt: 'a fox' }, m)).toEqual({
      model: 'm',
      prompt: 'a fox',
      output_format: 'png',
    });
    expect(
      requestBody({ ...INITIAL, model: 'm', prompt: 'a fox', size: '1024x1024', n: 2 }, m),
    ).toMatchObject({ size: '1024x1024', n: 2 });
  });

  it('edits by URL send the URLs, one a line; uploads send none in the JSON body', () => {
    const m = model('m', ['image-to-image']);
    const edit = { ...INITIAL, mode: 'edit' as const, model: 'm', prompt: 'snow' };
    expect(
      requestBody({ ...edit, imageUrls: ' https://a/1.png \n\nhttps://a/2.png' }, m).image,
    ).toEqual(['https://a/1.png', 'https://a/2.png']);
    const file = new File([new Uint8Array([1])], 'in.png');
    expect(requestBody({ ...edit, files: [file] }, m).image).toBeUndefined();
  });

  it('offers the models that can do the mode, those that serve first', () => {
    const models = [
      model('down', ['text-to-image'], false),
      model('up', ['text-to-image']),
      model('edit-only', ['image-to-image']),
    ];
    expect(modelsFor(models, 'generate').map((m) => m.id)).toEqual(['up', 'down']);
    expect(modelsFor(models, 'edit').map((m) => m.id)).toEqual(['edit-only']);
  });
});
