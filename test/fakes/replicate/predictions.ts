import type { Site } from '../shared/hosted-files.js';
import { solidImage } from '../shared/images.js';
import type { ReplicateFinal, ReplicateReply, ReplicateScript } from './behaviours.js';

/** A prediction, as the fake keeps it, and the JSON that Replicate shows of it. */
export interface FakePrediction {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  script: ReplicateScript;
  polls: number;
  canceled: boolean;
  createdAt: string;
  output?: unknown;
}

async function renderOutputs(
  p: FakePrediction,
  final: ReplicateFinal & { status: 'succeeded' },
  site: Site,
) {
  if (final.output !== undefined) return final.output;
  const requested = typeof p.input.num_outputs === 'number' ? p.input.num_outputs : 1;
  const count = final.outputs ?? requested;
  const format = typeof p.input.output_format === 'string' ? p.input.output_format : 'webp';
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = final.notImage
      ? Buffer.from('<html>definitely not an image</html>')
      : await solidImage({
          width: 96,
          height: 64,
          background: { r: 30, g: 90 + i * 40, b: 200 },
          format: format === 'png' ? 'png' : format === 'jpg' ? 'jpeg' : 'webp',
        });
    const name = `${p.id}/out-${i}.${format}`;
    const path = site.files.put(name, bytes, `image/${format === 'jpg' ? 'jpeg' : format}`);
    urls.push(`${site.origin}${path}`);
  }
  return final.single ? urls[0] : urls;
}

export async function view(
  p: FakePrediction,
  status: string,
  site: Site,
): Promise<Record<string, unknown>> {
  const base = `${p.script.urlOrigin ?? site.origin}/v1/predictions/${p.id}`;
  const final = p.script.final ?? { status: 'succeeded' };
  let output: unknown = null;
  let error: unknown = null;
  if (status === 'succeeded' && final.status === 'succeeded') {
    p.output ??= await renderOutputs(p, final, site);
    output = p.output;
  }
  if (status === 'failed' && final.status === 'failed') error = final.error;
  const done = ['succeeded', 'failed', 'canceled'].includes(status);
  return {
    id: p.id,
    model: p.model,
    version: p.version,
    input: p.input,
    logs: '',
    output,
    data_removed: false,
    error,
    status,
    created_at: p.createdAt,
    started_at: status === 'starting' ? null : p.createdAt,
    completed_at: done ? new Date().toISOString() : null,
    urls: { get: base, cancel: `${base}/cancel`, web: `https://replicate.com/p/${p.id}` },
    metrics: done ? { predict_time: 0.42 } : {},
  };
}

export function finalStatus(p: FakePrediction): string {
  return p.canceled ? 'canceled' : (p.script.final ?? { status: 'succeeded' }).status;
}

/** Answers one poll: the next scripted step, else the final state. */
export async function poll(p: FakePrediction, site: Site): Promise<ReplicateReply> {
  const step = p.canceled ? undefined : (p.script.steps ?? [])[p.polls];
  p.polls++;
  if (step === undefined) return { status: 200, body: await view(p, finalStatus(p), site) };
  if (typeof step !== 'string') return step;
  return { status: 200, body: await view(p, step, site) };
}
