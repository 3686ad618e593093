import type { ServerResponse } from 'node:http';
import { sendJson, sendText } from '../shared/http.js';
import { cachedSolidImage } from '../shared/images.js';
import type { BflPollStep } from './behaviours.js';

/** A submitted task: what its polls answer, and the sample image it ends with. */
export interface Task {
  id: string;
  steps: BflPollStep[];
  polls: number;
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  sample: 'image' | 'junk';
  pollingAuth: 'key' | 'none';
  prompt: string;
  seed: number;
}

/** Output size: the requested pixels, or a small image of the requested aspect ratio. */
export function outputSize(body: Record<string, unknown>): { width: number; height: number } {
  if (typeof body.width === 'number' && typeof body.height === 'number' && body.width > 0) {
    return { width: body.width, height: body.height };
  }
  const match =
    typeof body.aspect_ratio === 'string' ? /^(\d+):(\d+)$/.exec(body.aspect_ratio) : null;
  if (match) return { width: Number(match[1]) * 16, height: Number(match[2]) * 16 };
  return { width: 1024, height: 1024 };
}

/** Answers one poll of `task`: the next step of its script (the last step repeats). */
export function sendPoll(res: ServerResponse, task: Task, origin: string): void {
  const { id } = task;
  const step = task.steps[Math.min(task.polls, task.steps.length - 1)] ?? 'Ready';
  task.polls += 1;
  const base = { id, result: null, progress: null, details: null, preview: null };
  if (typeof step === 'object') {
    if (step.kind === 'http') return sendJson(res, step.status, step.body ?? {}, step.headers);
    if (step.kind === 'non-json') {
      return sendText(res, 200, 'upstream connect error', { 'content-type': 'text/plain' });
    }
    return sendJson(res, 200, { ...base, status: 'Ready', result: { prompt: task.prompt } });
  }
  switch (step) {
    case 'Ready': {
      const sample = `${origin}/results/${id}/sample.${task.format}?se=2026-12-31T00%3A00%3A00Z&sig=fake`;
      return sendJson(res, 200, {
        ...base,
        status: 'Ready',
        result: {
          sample,
          prompt: task.prompt,
          seed: task.seed,
          start_time: 1,
          end_time: 2,
          duration: 1,
        },
        progress: 1,
      });
    }
    case 'Pending':
    case 'Queued':
    case 'Processing':
      return sendJson(res, 200, { ...base, status: step, progress: 0.5 });
    case 'Request Moderated':
    case 'Content Moderated':
      return sendJson(res, 200, {
        ...base,
        status: step,
        details: { 'Moderation Reasons': ['Derivative Works Filter'] },
      });
    case 'Error':
    case 'Failed':
      return sendJson(res, 200, { ...base, status: step, details: { error: 'Generation failed' } });
    case 'Task not found':
      return sendJson(res, 200, { ...base, status: step });
  }
}

/** The signed sample URL: the task's image, or junk bytes when scripted so. */
export async function sendSample(
  res: ServerResponse,
  task: Task | undefined,
  ext: string,
): Promise<void> {
  if (!task || ext !== task.format) {
    return sendText(res, 404, '<Error><Code>BlobNotFound</Code></Error>', {
      'content-type': 'application/xml',
    });
  }
  const bytes =
    task.sample === 'junk'
      ? Buffer.from('this is not an image at all')
      : await cachedSolidImage({
          width: task.width,
          height: task.height,
          background: '#c33',
          format: task.format,
        });
  sendText(res, 200, bytes, {
    'content-type': `image/${task.format}`,
    'content-length': bytes.length,
  });
}
