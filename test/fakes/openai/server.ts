import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientLeftWithin, readBody } from '../shared/http.js';
import { HostedFiles, sendFile } from '../shared/hosted-files.js';
import { RequestLog } from '../shared/request-log.js';
import { listenLocal } from '../shared/server.js';
import { answer } from './answer.js';
import { modelList } from './models.js';
import { scriptedFailure } from './behaviours.js';
import type { FakeOpenAIBehaviour } from './behaviours.js';
import { FakeError, invalid401, openaiError } from './errors.js';
import type { Format } from './images.js';
import { send } from './reply.js';
import { parseRequest } from './request.js';
import { streamAnswer } from './stream.js';
import type { FakeOpenAI, FakeOpenAIOptions, RecordedRequest } from './types.js';
import { requestValidator } from './validation.js';

function mask(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : '*****';
}

/**
 * A fake of OpenAI's Images API (`/v1/images/generations`, `/v1/images/edits`, SSE streaming)
 * on 127.0.0.1, answering as OpenAI documents: Bearer auth with OpenAI's 401 bodies, bodies
 * validated against OpenAI's published request schemas (unknown fields answer OpenAI's
 * `unknown_parameter` 400), real PNG/JPEG/WebP outputs of the requested size, `usage` for GPT
 * image models and `revised_prompt` for DALL·E 3. Tests script failures per request.
 *
 * `mode: 'compatible'` plays a self-hosted OpenAI-style server instead (LocalAI,
 * stable-diffusion.cpp): no auth, only a few known fields, `url` outputs that it serves itself.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const mode = options.mode ?? 'openai';
  const apiKey = options.apiKey ?? 'sk-fake-openai-test-key-0123456789';
  const validate = requestValidator(options);
  const log = new RequestLog<RecordedRequest>();
  const queue: FakeOpenAIBehaviour[] = [];
  const files = new HostedFiles();
  let baseOrigin = '';

  function host(bytes: Buffer, format: Format, relative: boolean): string {
    const name = `${randomBytes(8).toString('hex')}.${format === 'jpeg' ? 'jpg' : format}`;
    const path = files.put(name, bytes, `image/${format}`);
    return relative ? path : `${baseOrigin}${path}`;
  }

  function checkAuth(req: IncomingMessage): void {
    if (mode !== 'openai') return;
    const header = req.headers.authorization;
    if (!header) {
      throw invalid401(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        null,
      );
    }
    const given = header.replace(/^Bearer\s+/i, '');
    if (!/^Bearer\s+/i.test(header) || given !== apiKey) {
      throw invalid401(
        `Incorrect API key provided: ${mask(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_api_key',
      );
    }
  }

  async function handleImages(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    edit: boolean,
  ) {
    const raw = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body: undefined,
      files: [],
    };
    log.record(recorded);
    checkAuth(req);
    const parsed = await parseRequest(req, raw, edit);
    recorded.body = { ...parsed.body };
    recorded.files = parsed.files;
    const a = await validate(parsed, edit);
    const behaviour = queue.shift();
    if (behaviour) {
      const failure = scriptedFailure(behaviour, a.model);
      if (failure) throw failure;
      if (behaviour.type === 'slow' && (await clientLeftWithin(res, behaviour.ms))) return;
    }
    if (a.body.stream === true && mode === 'openai') return streamAnswer(res, a, behaviour);
    return answer(res, a, behaviour, { mode, host });
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0]!;
    const requestId = `req_${randomBytes(12).toString('hex')}`;
    res.setHeader('x-request-id', requestId);
    if (req.method === 'GET' && path.startsWith('/files/')) {
      const file = files.find(path);
      return file ? sendFile(res, file) : send(res, 404, 'not found');
    }
    if (req.method === 'GET' && path === '/v1/models' && mode === 'openai') {
      log.record({ method: 'GET', path, headers: req.headers, body: undefined, files: [] });
      checkAuth(req);
      return send(res, 200, modelList((options.now ?? Date.now)()));
    }
    if (req.method === 'POST' && path === '/v1/images/generations')
      return handleImages(req, res, path, false);
    if (req.method === 'POST' && path === '/v1/images/edits')
      return handleImages(req, res, path, true);
    throw openaiError(
      404,
      `Invalid URL (${req.method ?? 'GET'} ${path})`,
      'invalid_request_error',
      null,
      null,
    );
  }

  function fail(res: ServerResponse, error: unknown) {
    if (res.headersSent) return res.destroy();
    if (error instanceof FakeError) return send(res, error.status, error.body, error.headers);
    console.error('fake openai failed', error);
    send(res, 500, {
      error: {
        message: `fake failure: ${String(error)}`,
        type: 'fake_error',
        param: null,
        code: null,
      },
    });
  }

  const server = await listenLocal(route, fail);
  baseOrigin = server.origin;

  return {
    url: `${baseOrigin}/v1`,
    apiKey,
    requests: log.entries,
    script(behaviour, times = 1) {
      for (let i = 0; i < times; i++) queue.push(behaviour);
    },
    reset() {
      queue.length = 0;
      log.clear();
    },
    close: server.close,
  };
}
