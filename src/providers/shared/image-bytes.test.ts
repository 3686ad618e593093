import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeDataUri, imageFormatOf } from './image-bytes.js';

const pixel = () => sharp({ create: { width: 1, height: 1, channels: 3, background: '#c00' } });

describe('imageFormatOf', () => {
  it('tells PNG, JPEG, WebP and GIF apart by their first bytes', async () => {
    expect(imageFormatOf(await pixel().png().toBuffer())).toBe('png');
    expect(imageFormatOf(await pixel().jpeg().toBuffer())).toBe('jpeg');
    expect(imageFormatOf(await pixel().webp().toBuffer())).toBe('webp');
    expect(imageFormatOf(await pixel().gif().toBuffer())).toBe('gif');
    expect(imageFormatOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg');
  });

  it('refuses other bytes, a partial PNG signature and bare signatures', () => {
    expect(imageFormatOf(Buffer.from('hello, world'))).toBeUndefined();
    expect(imageFormatOf(Buffer.alloc(0))).toBeUndefined();
    const fakePng = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0]);
    expect(imageFormatOf(fakePng)).toBeUndefined();
    expect(imageFormatOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      undefined,
    );
    expect(imageFormatOf(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
    expect(imageFormatOf(Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'))).toBeUndefined();
    expect(imageFormatOf(Buffer.from('GIF8', 'latin1'))).toBeUndefined();
  });
});

describe('decodeDataUri', () => {
  it('decodes base64 data URIs only', () => {
    expect(decodeDataUri('data:image/png;base64,aGVsbG8=')?.toString()).toBe('hello');
    expect(decodeDataUri('data:image/png;name=a.png;base64,aGk=')?.toString()).toBe('hi');
    expect(decodeDataUri('data:image/png;base64,')).toBeUndefined();
    expect(decodeDataUri('data:text/plain,hello')).toBeUndefined();
    expect(decodeDataUri('https://example.com/a.png')).toBeUndefined();
  });
});
