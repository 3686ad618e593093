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
  /**
   * The input images of an edit, shown side by side above a caption band with the prompt, so
   * that the output visibly depends on each of them. Absent for generations.
   */
  inputs?: readonly Buffer[];
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

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Generations: a panel in the middle. Edits: a caption band along the bottom. */
function textBox(spec: PlaceholderSpec): Box {
  if (spec.inputs?.length) {
    const band = captionBand(spec.height);
    return { left: 0, top: spec.height - band, width: spec.width, height: band };
  }
  const width = Math.max(8, Math.round(spec.width * 0.86));
  const height = Math.max(8, Math.round(spec.height * 0.5));
  return {
    left: Math.round((spec.width - width) / 2),
    top: Math.round((spec.height - height) / 2),
    width,
    height,
  };
}

function captionBand(height: number): number {
  return Math.max(8, Math.round(height * 0.28));
}

/** The inputs scaled into equal cells side by side above the caption band (a contact sheet). */
async function contactSheet(spec: PlaceholderSpec, inputs: readonly Buffer[]) {
  const areaHeight = spec.height - captionBand(spec.height);
  const cellWidth = Math.floor(spec.width / inputs.length);
  const gap = Math.min(4, Math.floor(cellWidth / 8));
  return Promise.all(
    inputs.map(async (bytes, index) => {
      const tile = await sharp(bytes)
        .resize(Math.max(1, cellWidth - 2 * gap), Math.max(1, areaHeight - 2 * gap), {
          fit: 'inside',
        })
        .png()
        .toBuffer({ resolveWithObject: true });
      return {
        input: tile.data,
        left: index * cellWidth + Math.floor((cellWidth - tile.info.width) / 2),
        top: Math.floor((areaHeight - tile.info.height) / 2),
      };
    }),
  );
}

async function textLayer(spec: PlaceholderSpec) {
  const box = textBox(spec);
  const panelW = box.width;
  const panelH = box.height;
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
    panelLeft: box.left,
    panelTop: box.top,
    textLeft: box.left + Math.round((panelW - text.info.width) / 2),
    textTop: box.top + Math.round((panelH - text.info.height) / 2),
  };
}

/**
 * Renders the built-in model's image: the prompt, legible, over a pattern derived from a hash
 * of (prompt, seed), at exactly the requested size and format; an edit shows its inputs side by
 * side with the prompt in a caption band. The same spec gives the same bytes, which makes it
 * useful for tests, demos and load tests. It is not an AI model.
 */
export async function renderPlaceholder(spec: PlaceholderSpec): Promise<Buffer> {
  const canvas = sharp(backgroundSvg(spec));
  const tiles = spec.inputs?.length ? await contactSheet(spec, spec.inputs) : [];
  const layers = await textLayer(spec);
  // Composite is the last step of a sharp pipeline, so dropping the alpha of an opaque image
  // takes a second pipeline over the raw pixels.
  const { data, info } = await canvas
    .ensureAlpha()
    .composite([
      ...tiles,
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
