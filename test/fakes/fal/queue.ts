import type { Site } from '../shared/hosted-files.js';
import { solidImage } from '../shared/images.js';
import { json } from './behaviours.js';
import type { FalReply, FalScript } from './behaviours.js';
import { isRecord } from './validation.js';

/** A queued request, and what its status and response URLs answer. */
export interface QueuedRequest {
  id: string;
  appPath: string;
  input: Record<string, unknown>;
  script: FalScript;
  polls: number;
  completed: boolean;
  canceled: boolean;
}

async function renderImages(
  request: QueuedRequest,
  site: Site,
): Promise<Array<Record<string, unknown>>> {
  const { input, script } = request;
  const count = script.images ?? (typeof input.num_images === 'number' ? input.num_images : 1);
  const size = isRecord(input.image_size) ? input.image_size : {};
  const width = Math.min(Number(size.width) || 512, 2048);
  const height = Math.min(Number(size.height) || 512, 2048);
  const jpeg = input.output_format === 'jpeg';
  const contentType = jpeg ? 'image/jpeg' : 'image/png';
  const files = [];
  for (let i = 0; i < count; i++) {
    const bytes = script.notImage
      ? Buffer.from('this is not an image, only some text')
      : await solidImage({
          width,
          height,
          background: { r: 200, g: 40 + i * 40, b: 60 },
          format: jpeg ? 'jpeg' : 'png',
        });
    const name = `${request.id}-${i}.${jpeg ? 'jpeg' : 'png'}`;
    const path = site.files.put(name, bytes, contentType);
    files.push({ url: `${site.origin}${path}`, content_type: contentType, width, height });
  }
  return files;
}

/** The URLs handed out for a request; like fal's, they drop the model's subpath. */
export function urlsOf(request: QueuedRequest, script: FalScript, site: Site) {
  const base = `${script.urlOrigin ?? site.origin}/${request.appPath}/requests/${request.id}`;
  return {
    request_id: request.id,
    response_url: base,
    status_url: `${base}/status`,
    cancel_url: `${base}/cancel`,
  };
}

/** Answers one poll of the status URL: the next scripted step, else COMPLETED. */
export function status(request: QueuedRequest, site: Site): FalReply {
  const steps = request.script.queue ?? ['IN_QUEUE', 'IN_PROGRESS'];
  const step = steps[request.polls];
  request.polls++;
  if (request.canceled) {
    request.completed = true;
    return json(200, {
      status: 'COMPLETED',
      ...urlsOf(request, request.script, site),
      error: 'Request was cancelled',
      error_type: 'client_cancelled',
    });
  }
  if (step === undefined) {
    request.completed = true;
    return json(200, {
      status: 'COMPLETED',
      ...urlsOf(request, request.script, site),
      logs: null,
      metrics: { inference_time: 0.42 },
      ...request.script.completed,
    });
  }
  if (typeof step !== 'string') return step;
  const ahead = steps.slice(request.polls).filter((s) => s === 'IN_QUEUE').length;
  return json(202, {
    status: step,
    ...(step === 'IN_QUEUE' ? { queue_position: ahead } : { logs: null }),
    ...urlsOf(request, request.script, site),
  });
}

/** Answers the response URL: the scripted reply, else the generated images. */
export async function result(request: QueuedRequest, site: Site): Promise<FalReply> {
  if (!request.completed) return json(400, { detail: 'Request is still in progress' });
  if (request.script.result) return request.script.result;
  const images = await renderImages(request, site);
  return json(200, {
    images,
    timings: { inference: 0.42 },
    seed: typeof request.input.seed === 'number' ? request.input.seed : 1234,
    has_nsfw_concepts: request.script.nsfw ?? images.map(() => false),
    prompt: request.input.prompt,
  });
}
