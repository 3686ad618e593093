import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostedFiles } from '../shared/hosted-files.js';
import type { Site } from '../shared/hosted-files.js';
import { serveReplies } from '../shared/reply-server.js';
import { RequestLog } from '../shared/request-log.js';
import { problem, replicateErrors } from './behaviours.js';
import type { ReplicateReply, ReplicateScript } from './behaviours.js';
import { finalStatus, poll, view } from './predictions.js';
import type { FakePrediction } from './predictions.js';
import { REPLICATE_FAKE_TOKEN, REPLICATE_FAKE_VERSION } from './types.js';
import type { ReplicateFake, ReplicateFakeOptions, ReplicateRecordedRequest } from './types.js';
import { creationProblem } from './validation.js';

/** The seconds of a `Prefer: wait` / `wait=N` header; undefined when absent or invalid (ignored, per RFC 7240). */
function preferWait(header: string | undefined): number | undefined {
  if (!header) return undefined;
  for (const part of header.split(',').map((p) => p.trim())) {
    if (part === 'wait') return 60;
    const match = /^wait=(\d+)$/.exec(part);
    if (match) {
      const seconds = Number(match[1]);
      return seconds >= 1 && seconds <= 60 ? seconds : undefined;
    }
  }
  return undefined;
}

/**
 * A fake of Replicate's HTTP API on 127.0.0.1, answering as Replicate's docs describe:
 * `POST /v1/models/{owner}/{name}/predictions` with `{input}` and `POST /v1/predictions` with
 * `{version, input}` create a prediction (201); `GET /v1/predictions/{id}` polls it; `POST
 * .../cancel` cancels it. `Prefer: wait[=N]` is honoured: a prediction that finishes within the
 * wait is answered finished, otherwise it comes back `starting` once the (time-compressed) wait
 * is over. Outputs are hosted by this server (like replicate.delivery, without auth).
 *
 * Each creation takes the next scripted behaviour (`script(...)`), or the default: done at
 * once, succeeded with `num_outputs` images.
 *
 * Starts the fake on 127.0.0.1 on a free port.
 */
export async function startFakeReplicate(
  options: ReplicateFakeOptions = {},
): Promise<ReplicateFake> {
  const token = options.token ?? REPLICATE_FAKE_TOKEN;
  const models = new Set(
    options.models ?? [
      'black-forest-labs/flux-schnell',
      'black-forest-labs/flux-dev',
      'black-forest-labs/flux-kontext-pro',
    ],
  );
  const versions = new Set(options.versions ?? [REPLICATE_FAKE_VERSION]);
  const maxHoldMs = options.maxHoldMs ?? 10;
  const predictionUrlsNeedAuth = options.predictionUrlsNeedAuth ?? true;
  const log = new RequestLog<ReplicateRecordedRequest>();
  const scripts: ReplicateScript[] = [];
  const predictions = new Map<string, FakePrediction>();
  const site: Site = { origin: '', files: new HostedFiles() };

  function authFailure(headers: IncomingHttpHeaders): ReplicateReply | undefined {
    const header = headers.authorization;
    if (!header) {
      return problem(401, 'Unauthenticated', 'You did not pass an authentication token');
    }
    // Replicate accepts both schemes.
    if (header === `Bearer ${token}` || header === `Token ${token}`) return undefined;
    return problem(401, 'Unauthenticated', 'You did not pass a valid authentication token');
  }

  async function createPrediction(
    req: IncomingMessage,
    body: unknown,
    model: string | undefined,
  ): Promise<ReplicateReply> {
    const denied = authFailure(req.headers);
    if (denied) return denied;
    const script = scripts.shift() ?? {};
    if (script.createDelayMs) await sleep(script.createDelayMs);
    if (script.create) return script.create;
    const refused = creationProblem(req.headers['content-type'], body, model);
    if (refused) return refused;
    const fields = body as Record<string, unknown>;
    if (model !== undefined && !models.has(model)) return replicateErrors.notFound();
    const version = model === undefined ? String(fields.version) : REPLICATE_FAKE_VERSION;
    if (!versions.has(version)) {
      return problem(
        422,
        'Invalid version or not permitted',
        "The specified version does not exist (or perhaps you don't have permission to use it?)",
      );
    }
    const prediction: FakePrediction = {
      id: randomBytes(13).toString('hex').slice(0, 26),
      model: model ?? 'someone/some-model',
      version,
      input: fields.input as Record<string, unknown>,
      script,
      polls: 0,
      canceled: false,
      createdAt: new Date().toISOString(),
    };
    predictions.set(prediction.id, prediction);
    const wait = preferWait(
      typeof req.headers.prefer === 'string' ? req.headers.prefer : undefined,
    );
    const pending = (script.steps ?? []).length > 0;
    if (wait !== undefined && !pending) {
      return { status: 201, body: await view(prediction, finalStatus(prediction), site) };
    }
    if (wait !== undefined) await sleep(Math.min(wait * 1000, maxHoldMs));
    return { status: 201, body: await view(prediction, 'starting', site) };
  }

  async function route(req: IncomingMessage, body: unknown): Promise<ReplicateReply> {
    const path = new URL(req.url ?? '/', site.origin).pathname;
    const method = req.method ?? 'GET';
    const modelMatch = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path);
    if (method === 'POST' && modelMatch) {
      return createPrediction(req, body, `${modelMatch[1]}/${modelMatch[2]}`);
    }
    if (method === 'POST' && path === '/v1/predictions') {
      return createPrediction(req, body, undefined);
    }
    const predictionMatch = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(path);
    if (predictionMatch) {
      const denied = predictionUrlsNeedAuth ? authFailure(req.headers) : undefined;
      if (denied) return denied;
      const prediction = predictions.get(predictionMatch[1] ?? '');
      if (!prediction) return replicateErrors.notFound();
      if (method === 'GET' && !predictionMatch[2]) return poll(prediction, site);
      if (method === 'POST' && predictionMatch[2]) {
        const steps = prediction.script.steps ?? [];
        if (prediction.polls < steps.length) prediction.canceled = true;
        return { status: 200, body: await view(prediction, finalStatus(prediction), site) };
      }
    }
    return replicateErrors.notFound();
  }

  const server = await serveReplies({
    log,
    site,
    fileNotFound: replicateErrors.notFound(),
    route,
    failureBody: (error) => ({ detail: `fake replicate error: ${String(error)}`, status: 500 }),
  });
  site.origin = server.origin;

  return {
    url: site.origin,
    requests: log.entries,
    script: (...next) => void scripts.push(...next),
    reset: () => {
      scripts.length = 0;
      log.clear();
      predictions.clear();
      site.files.clear();
    },
    waitForRequest: (predicate) => log.waitFor(predicate),
    close: server.close,
  };
}
