import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonOrText, readText, sendJson, sendText } from '../shared/http.js';
import { RequestLog } from '../shared/request-log.js';
import { listenLocal } from '../shared/server.js';
import type { BflBehaviour } from './behaviours.js';
import { outputSize, sendPoll, sendSample } from './tasks.js';
import type { Task } from './tasks.js';
import type { FakeBfl, RecordedRequest } from './types.js';
import { SCHEMAS, validate } from './validation.js';

/**
 * A fake of Black Forest Labs' Flux API (docs.bfl.ai), run as a real HTTP server on 127.0.0.1:
 * - `POST /v1/{model}` with `x-key`: validates the body like BFL's FastAPI schemas (unknown
 *   fields → 422 `extra_forbidden`, wrong types and ranges → 422) and answers
 *   `{id, polling_url, cost, input_mp, output_mp}`.
 * - `GET /v1/get_result?id=` (and `/regional/v1/get_result?id=`, a second polling path standing
 *   in for a regional host): `{id, status, result, progress, details, preview}`.
 * - `GET /results/{id}/sample.{jpeg|png}?se=..&sig=..`: the signed output URL, a real image.
 * Each submission that passes auth and validation takes the next scripted behaviour; with none
 * scripted, a task goes Pending once, then Ready.
 */
export async function startFakeBfl(options: { apiKey?: string } = {}): Promise<FakeBfl> {
  const apiKey = options.apiKey ?? 'bfl-test-key';
  const log = new RequestLog<RecordedRequest>();
  const tasks = new Map<string, Task>();
  const timers = new Set<NodeJS.Timeout>();
  let queue: BflBehaviour[] = [];
  let origin = '';

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  /** FastAPI's APIKeyHeader: 401 without the header, 403 with a wrong key. */
  const authFailure = (req: IncomingMessage, res: ServerResponse): boolean => {
    const key = req.headers['x-key'];
    if (key === undefined) {
      sendJson(res, 401, { detail: 'Not authenticated' });
      return true;
    }
    if (key !== apiKey) {
      sendJson(res, 403, { detail: 'Not authenticated - Invalid Authentication' });
      return true;
    }
    return false;
  };

  const answerSubmission = async (
    res: ServerResponse,
    model: string,
    body: Record<string, unknown>,
    behaviour: BflBehaviour,
    aborted: () => boolean,
  ): Promise<void> => {
    switch (behaviour.kind) {
      case 'slow':
        await delay(behaviour.delayMs);
        if (aborted()) return;
        return answerSubmission(res, model, body, behaviour.then ?? { kind: 'task' }, aborted);
      case 'http':
        return sendJson(res, behaviour.status, behaviour.body ?? {}, behaviour.headers);
      case 'non-json':
        return sendText(res, 200, '<html><body>502 Bad Gateway</body></html>', {
          'content-type': 'text/html',
        });
      case 'wrong-shape':
        return sendJson(res, 200, { ok: true });
      case 'task': {
        const id = randomUUID();
        const format = body.output_format === 'png' ? 'png' : 'jpeg';
        tasks.set(id, {
          id,
          steps: behaviour.steps ?? ['Pending', 'Ready'],
          polls: 0,
          format,
          ...outputSize(body),
          sample: behaviour.sample ?? 'image',
          pollingAuth: behaviour.pollingAuth ?? 'key',
          prompt: String(body.prompt),
          seed: typeof body.seed === 'number' ? body.seed : 1234,
        });
        const path = behaviour.regional ? '/regional/v1/get_result' : '/v1/get_result';
        const pollingUrl = `${behaviour.pollingOrigin ?? origin}${path}?id=${id}`;
        const answer = behaviour.omitPollingUrl
          ? { id }
          : { id, polling_url: pollingUrl, cost: 3, input_mp: 0, output_mp: 1 };
        return sendJson(res, 200, answer);
      }
    }
  };

  const answerPoll = (req: IncomingMessage, res: ServerResponse, id: string) => {
    const task = tasks.get(id);
    if (!task) {
      if (authFailure(req, res)) return;
      return sendJson(res, 200, {
        id,
        status: 'Task not found',
        result: null,
        progress: null,
        details: null,
      });
    }
    if (task.pollingAuth === 'key' && authFailure(req, res)) return;
    sendPoll(res, task, origin);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readText(req);
    // Recorded as text when it is not JSON.
    const body = jsonOrText(raw);
    log.record({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    });
    let closed = false;
    res.on('close', () => {
      closed = true;
    });

    const submit = /^\/v1\/([^/]+)$/.exec(url.pathname);
    const sample = /^\/results\/([^/]+)\/sample\.(\w+)$/.exec(url.pathname);
    if (req.method === 'GET' && /^(\/regional)?\/v1\/get_result$/.test(url.pathname)) {
      return answerPoll(req, res, url.searchParams.get('id') ?? '');
    }
    if (req.method === 'GET' && sample)
      return sendSample(res, tasks.get(sample[1] ?? ''), sample[2] ?? '');
    if (req.method !== 'POST' || !submit || !SCHEMAS[submit[1] ?? '']) {
      return sendJson(res, 404, { detail: 'Not Found' });
    }
    const model = submit[1] ?? '';
    if (authFailure(req, res)) return;
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 422, {
        detail: [
          {
            type: 'model_attributes_type',
            loc: ['body'],
            msg: 'Input should be a valid dictionary or object to extract fields from',
            input: raw,
          },
        ],
      });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendJson(res, 422, {
        detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }],
      });
    }
    const fields = body as Record<string, unknown>;
    const issues = validate(model, fields);
    if (issues.length > 0) return sendJson(res, 422, { detail: issues });
    const behaviour = queue.shift() ?? { kind: 'task' };
    await answerSubmission(res, model, fields, behaviour, () => closed);
  };

  const server = await listenLocal(handle, (res, error) => {
    if (!res.headersSent) sendJson(res, 500, { detail: `fake failure: ${String(error)}` });
  });
  origin = server.origin;

  return {
    url: origin,
    apiKey,
    requests: log.entries,
    script: (...behaviours) => {
      queue.push(...behaviours);
    },
    reset: () => {
      queue = [];
      tasks.clear();
      log.clear();
    },
    submissions: () => log.entries.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/')),
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return server.close();
    },
  };
}
