import { solidImage } from '../shared/images.js';

const COLOURS = ['#c33', '#36c', '#3a3', '#c93', '#939', '#399'];
export type Format = 'png' | 'jpeg' | 'webp';

/** The `index`-th output: a real image in a colour of its own, transparent when asked. */
export function makeImage(
  width: number,
  height: number,
  format: Format,
  index: number,
  transparent: boolean,
): Promise<Buffer> {
  const colour = COLOURS[index % COLOURS.length]!;
  return solidImage({
    width,
    height,
    format,
    channels: 4,
    background: transparent ? { r: 0, g: 0, b: 0, alpha: 0 } : colour,
    flatten: colour,
    quality: 60,
    compressionLevel: 2,
  });
}
