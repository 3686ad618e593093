import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import sharp from 'sharp';

export type OutputFormat = 'png' | 'jpeg' | 'webp';

export interface PlaceholderSpec {
  prompt: string;
  seed: number;
  width: number;
  height: number;
  format: OutputFormat;
  transparent: boolean;
  /** 0–100, jpeg and webp only. */
  compression?: number;
  /** An input image to draw over (edits); otherwise a pattern is drawn from the prompt's hash. */
  base?: Buffer;
}

// The font ships with the package so that the text renders the same on every machine,
// including minimal containers that have no system fonts.
const FONT_FILE = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const MAX_PROMPT_CHARS = 280;

/**
 * The prompt as Pango markup that draws it literally: markup characters become character
 * references, and what Pango refuses (control characters, unpaired surrogates) becomes U+FFFD.
 * Validation already rejects control characters; this keeps the renderer safe on its own.
 */
export function escapeMarkup(text: string): string {
  return (
    text
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      // eslint-disable-next-line no-control-regex -- replacing control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD')
      .replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
  );
}

function palette(prompt: string, seed: number) {
  const digest = createHash('sha256')
    .update(JSON.stringify([prompt, seed]))
    .digest();
  const hue = (digest.readUInt16BE(0) / 65536) * 360;
  const hue2 = (hue + 60 + (digest[2]! / 255) * 120) % 360;
  return {
    from: `hsl(${hue.toFixed(1)}, 65%, 45%)`,
    to: `hsl(${hue2.toFixed(1)}, 70%, 30%)`,
    angle: (digest[3]! / 255) * 180,
    stripe: 24 + (digest[4]! % 48),
  };
}

function backgroundSvg(spec: PlaceholderSpec): Buffer {
  const { width: w, height: h } = spec;
  const p = palette(spec.prompt, spec.seed);
  const fill = spec.transparent ? '' : `<rect width="${w}" height="${h}" fill="url(#g)"/>`;
  const opacity = spec.transparent ? 0.35 : 0.12;
  // Plain rectangles in a rotated group: librsvg renders them an order of magnitude faster
  // than an SVG <pattern>.
  const reach = Math.ceil(Math.hypot(w, h));
  const stripes: string[] = [];
  for (let x = -reach; x < reach; x += p.stripe * 2) {
    stripes.push(`<rect x="${x}" y="${-reach}" width="${p.stripe}" height="${2 * reach}"/>`);
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
      <defs>
        <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="${p.from}"/><stop offset="1" stop-color="${p.to}"/>
        </linearGradient>
      </defs>
      ${fill}
      <g fill="${p.from}" fill-opacity="${opacity}"
        transform="rotate(${p.angle.toFixed(1)} ${w / 2} ${h / 2})">${stripes.join('')}</g>
    </svg>`,
  );
}

async function textLayer(spec: PlaceholderSpec) {
  const panelW = Math.max(8, Math.round(spec.width * 0.86));
  const panelH = Math.max(8, Math.round(spec.height * 0.5));
  const pad = Math.max(2, Math.round(Math.min(panelW, panelH) * 0.06));
  const prompt =
    spec.prompt.length > MAX_PROMPT_CHARS
      ? `${spec.prompt.slice(0, MAX_PROMPT_CHARS)}…`
      : spec.prompt;
  const markup =
    `<span foreground="#ffffff">${escapeMarkup(prompt)}</span>\n` +
    `<span foreground="#ffffffb0" size="x-small">local-placeholder · seed ${spec.seed} · not an AI image</span>`;
  const text = await sharp({
    text: {
      text: markup,
      font: 'DejaVu Sans',
      fontfile: FONT_FILE,
      width: panelW - 2 * pad,
      height: panelH - 2 * pad,
      rgba: true,
      align: 'centre',
      wrap: 'word-char',
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  const panel = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${panelW}" height="${panelH}">
      <rect width="${panelW}" height="${panelH}" rx="${pad}" fill="#000000" fill-opacity="0.55"/>
    </svg>`,
  );
  return {
    panel,
    text: text.data,
    panelLeft: Math.round((spec.width - panelW) / 2),
    panelTop: Math.round((spec.height - panelH) / 2),
    textLeft: Math.round((spec.width - text.info.width) / 2),
    textTop: Math.round((spec.height - text.info.height) / 2),
  };
}

/**
 * Renders the built-in model's image: the prompt, legible, over a pattern derived from a hash
 * of (prompt, seed), at exactly the requested size and format. The same spec gives the same
 * bytes, which makes it useful for tests, demos and load tests. It is not an AI model.
 */
export async function renderPlaceholder(spec: PlaceholderSpec): Promise<Buffer> {
  const { width, height } = spec;
  const canvas = spec.base
    ? sharp(spec.base).resize(width, height, { fit: 'cover' })
    : sharp(backgroundSvg(spec));
  const layers = await textLayer(spec);
  // Composite is the last step of a sharp pipeline, so dropping the alpha of an opaque image
  // takes a second pipeline over the raw pixels.
  const { data, info } = await canvas
    .ensureAlpha()
    .composite([
      { input: layers.panel, left: layers.panelLeft, top: layers.panelTop },
      { input: layers.text, left: layers.textLeft, top: layers.textTop },
    ])
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = sharp(data, { raw: info });
  const image = spec.transparent ? pixels : pixels.removeAlpha();
  const quality = spec.compression ?? 90;
  switch (spec.format) {
    case 'jpeg':
      return image.jpeg({ quality }).toBuffer();
    case 'webp':
      return image.webp({ quality, effort: 2 }).toBuffer();
    case 'png':
      return image.png().toBuffer();
  }
}
