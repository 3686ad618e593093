import { describe, expect, it } from 'vitest';
import type { EditInput, InputImage } from '../types.js';
import { editImageUrls } from './edit-urls.js';

function image(url: string): InputImage {
  return {
    bytes: Buffer.alloc(0),
    contentType: 'image/png',
    width: 1,
    height: 1,
    publicUrl: async () => url,
  };
}

describe('editImageUrls', () => {
  it('gives the URLs of the input images in order, and of the mask', async () => {
    const input = {
      images: [image('https://p/1'), image('https://p/2')],
      mask: image('https://p/m'),
    };
    expect(await editImageUrls(input as EditInput)).toEqual({
      images: ['https://p/1', 'https://p/2'],
      mask: 'https://p/m',
    });
  });

  it('leaves the mask undefined without one', async () => {
    const input = { images: [image('https://p/1')], mask: undefined };
    expect(await editImageUrls(input as EditInput)).toEqual({
      images: ['https://p/1'],
      mask: undefined,
    });
  });
});
