import type { ServerResponse } from 'node:http';
import { clientLeftWithin } from '../shared/http.js';
import { now, usage } from './answer.js';
import type { FakeOpenAIBehaviour } from './behaviours.js';
import { makeImage } from './images.js';
import { GPT_SIZES } from './models.js';
import type { Json } from './types.js';
import type { Answer } from './validation.js';

/**
 * A streamed answer (`stream: true`, GPT image models): server-sent events with `partials`
 * partial images and then the `completed` image, per output; scripted behaviours break it.
 */
export async function streamAnswer(
  res: ServerResponse,
  a: Answer,
  behaviour: FakeOpenAIBehaviour | undefined,
) {
  const prefix = a.edit ? 'image_edit' : 'image_generation';
  const partials =
    behaviour?.type === 'stream_error'
      ? (behaviour.partials ?? 1)
      : Number(a.body.partial_images ?? 0);
  const common = {
    size: GPT_SIZES.includes(`${a.width}x${a.height}`) ? `${a.width}x${a.height}` : 'auto',
    quality: ['low', 'medium', 'high'].includes(String(a.body.quality)) ? a.body.quality : 'auto',
    background: a.transparent ? 'transparent' : 'opaque',
    output_format: a.format,
  };
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  const write = async (event: string, data: Json) => {
    // Split each event across two writes so that readers meet chunk boundaries.
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    const cut = Math.floor(text.length / 2);
    res.write(text.slice(0, cut));
    await new Promise((resolve) => setImmediate(resolve));
    res.write(text.slice(cut));
  };
  for (let i = 0; i < a.n; i++) {
    const partial = (await makeImage(64, 64, 'png', i, a.transparent)).toString('base64');
    for (let p = 0; p < partials; p++) {
      await write(`${prefix}.partial_image`, {
        type: `${prefix}.partial_image`,
        b64_json: partial,
        created_at: now(),
        ...common,
        partial_image_index: p,
      });
    }
    if (behaviour?.type === 'stream_error') {
      const code = behaviour.code ?? 'server_error';
      await write('error', {
        type: 'error',
        error: {
          type: behaviour.errorType ?? 'server_error',
          code,
          message: `Stream failed: ${code}`,
          param: null,
        },
      });
      return res.end();
    }
    if (behaviour?.type === 'stream_without_completed') return res.end();
    if (behaviour?.type === 'stream_slow' && (await clientLeftWithin(res, behaviour.ms))) return;
    const bytes = await makeImage(a.width, a.height, a.format, i, a.transparent);
    await write(`${prefix}.completed`, {
      type: `${prefix}.completed`,
      b64_json: bytes.toString('base64'),
      created_at: now(),
      ...common,
      usage: usage(a),
    });
  }
  res.end();
}
