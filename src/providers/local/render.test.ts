import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { escapeMarkup, renderPlaceholder } from './render.js';

const spec = {
  prompt: 'A red fox',
  seed: 1,
  width: 320,
  height: 200,
  format: 'png' as const,
  transparent: false,
};

describe('renderPlaceholder', () => {
  it('renders exactly the requested size and format', async () => {
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const meta = await sharp(await renderPlaceholder({ ...spec, format })).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([format, 320, 200]);
    }
  });

  it('is deterministic in (prompt, seed, size) and changes with each', async () => {
    const a = await renderPlaceholder(spec);
    expect(a.equals(await renderPlaceholder(spec))).toBe(true);
    expect(a.equals(await renderPlaceholder({ ...spec, seed: 2 }))).toBe(false);
    expect(a.equals(await renderPlaceholder({ ...spec, prompt: 'A blue fox' }))).toBe(false);
  });

  it('keeps an alpha channel only for transparent backgrounds', async () => {
    expect((await sharp(await renderPlaceholder(spec)).metadata()).hasAlpha).toBe(false);
    const clear = await renderPlaceholder({ ...spec, transparent: true });
    const { data } = await sharp(clear).raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBeLessThan(255);
  });

  it('draws the prompt in white inside the panel, and nowhere else', async () => {
    const image = sharp(await renderPlaceholder({ ...spec, prompt: 'HELLO WORLD' }));
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    let insidePanel = 0;
    let abovePanel = 0;
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        const i = (y * info.width + x) * info.channels;
        if (data[i]! > 230 && data[i + 1]! > 230 && data[i + 2]! > 230) {
          if (y < info.height * 0.25) abovePanel++;
          else insidePanel++;
        }
      }
    }
    expect(insidePanel).toBeGreaterThan(200);
    expect(abovePanel).toBe(0);
  });

  it('draws over a base image for edits', async () => {
    const base = await sharp({
      create: { width: 50, height: 50, channels: 3, background: '#00ff00' },
    })
      .png()
      .toBuffer();
    const out = await renderPlaceholder({ ...spec, base });
    const { data } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([0, 255, 0]);
  });
});

describe('renderPlaceholder with any text', () => {
  it('draws every string, control characters and markup included, without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({
            unit: fc.constantFrom('\u0000', '\u001b', '<', '&', '"', "'", 'a', '\ud800', '\r'),
            maxLength: 20,
          }),
        ),
        async (prompt) => {
          const image = await renderPlaceholder({ ...spec, prompt, width: 64, height: 64 });
          expect((await sharp(image).metadata()).width).toBe(64);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('escapes markup and replaces what Pango refuses', () => {
    expect(escapeMarkup('<b>&\u0000\ud800x\tz\n')).toBe('&#60;b&#62;&#38;\uFFFD\uFFFDx\tz\n');
  });
});
