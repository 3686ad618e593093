import { pino } from 'pino';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectOutputs } from './outputs.js';

const options = {
  outputFormat: 'png' as const,
  outputCompression: undefined,
  download: () => Promise.reject(new Error('no downloads here')),
  log: pino({ level: 'silent' }),
};

let png: Buffer;
beforeAll(async () => {
  png = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#36c' } })
    .png()
    .toBuffer();
});

describe('collectOutputs', () => {
  it('keeps a PNG with the size its header gives', async () => {
    const [image] = await collectOutputs([{ bytes: png }], options);
    expect(image).toMatchObject({ format: 'png', width: 24, height: 16 });
  });

  it('drops a PNG whose header is damaged and bytes that are no image', async () => {
    const damaged = Buffer.from(png);
    damaged[17] = (damaged[17]! + 1) % 256; // the width, so the IHDR checksum no longer holds
    const truncated = png.subarray(0, 20);
    const delivered = await collectOutputs(
      [{ bytes: damaged }, { bytes: truncated }, { bytes: Buffer.from('not an image') }],
      options,
    );
    expect(delivered).toEqual([]);
  });

  it('transcodes to the asked format', async () => {
    const [image] = await collectOutputs([{ bytes: png }], { ...options, outputFormat: 'webp' });
    expect(image?.format).toBe('webp');
    expect(image?.bytes.toString('latin1', 8, 12)).toBe('WEBP');
  });
});
