import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientLeftWithin, jsonOrText, readText, sendText } from '../shared/http.js';
import { RequestLog } from '../shared/request-log.js';
import { listenLocal } from '../shared/server.js';
import { answer } from './answers.js';
import { API_KEY_INVALID, googleError, rateLimitBody } from './errors.js';
import { field } from './fields.js';
import { FAKE_GEMINI_KEY, MODEL_LIMITS, modelsPage } from './models.js';
import type { Context, FakeGemini, FakeGeminiBehavior, RecordedRequest } from './types.js';
import { REQUEST, inlineImages, unknownField } from './validation.js';

/** Google answers pretty-printed JSON with a charset. */
function sendGoogleJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  sendText(res, status, JSON.stringify(body, null, 2), {
    'content-type': 'application/json; charset=UTF-8',
    ...headers,
  });
}

const ROUTE = /^\/v1beta\/models\/([^/:]+):generateContent$/;

/**
 * A fake of the Gemini API's generateContent route for image models, run as a real HTTP server on
 * 127.0.0.1. It answers as Google documents: camelCase JSON, one candidate whose parts hold text,
 * optional "thought" parts (Gemini 3 Pro) and the image as base64 `inlineData`; Google's error
 * envelope `{error:{code,message,status,details}}` for every failure. Starts on 127.0.0.1 and a
 * free port.
 *
 * @example
 * const fake = await startFakeGemini();
 * fake.script({ kind: 'error', status: 503 }, { kind: 'image' });
 * // ...point the adapter at fake.url with FAKE_GEMINI_KEY...
 * await fake.close();
 */
export async function startFakeGemini(
  options: {
    apiKey?: string;
    thoughts?: boolean;
    /** Caps models.list pages below Google's 1000, so that tests see a client page through. */
    listPageSize?: number;
  } = {},
): Promise<FakeGemini> {
  const apiKey = options.apiKey ?? FAKE_GEMINI_KEY;
  const log = new RequestLog<RecordedRequest>();
  const queue: FakeGeminiBehavior[] = [];

  function authFailure(
    req: IncomingMessage,
    url: URL,
  ): { status: number; body: unknown } | undefined {
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (!key) {
      return {
        status: 403,
        body: googleError(
          403,
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        ),
      };
    }
    if (key !== apiKey) {
      return {
        status: 400,
        body: googleError(400, 'API key not valid. Please pass a valid API key.', API_KEY_INVALID),
      };
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: string) {
    // Not JSON: kept as text, rejected below once auth passed.
    const body = jsonOrText(raw);
    log.record({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });

    if (req.method === 'GET' && url.pathname === '/v1beta/models') {
      const refused = authFailure(req, url);
      if (refused) return sendGoogleJson(res, refused.status, refused.body);
      return sendGoogleJson(res, 200, modelsPage(url, options.listPageSize));
    }
    const route = ROUTE.exec(url.pathname);
    if (req.method !== 'POST' || !route) {
      return sendGoogleJson(
        res,
        404,
        googleError(404, `Method not found: ${req.method} ${url.pathname}`),
      );
    }
    const refused = authFailure(req, url);
    if (refused) return sendGoogleJson(res, refused.status, refused.body);
    const model = decodeURIComponent(route[1]!);
    const limits = MODEL_LIMITS[model];
    if (!limits) {
      return sendGoogleJson(
        res,
        404,
        googleError(
          404,
          `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
        ),
      );
    }
    const invalid = (message: string) => sendGoogleJson(res, 400, googleError(400, message));
    // Unsure how Google words a wrong content type; it refuses the body as JSON, so do we.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return invalid('Invalid JSON payload received. Unexpected content type.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return invalid('Invalid JSON payload received. Unexpected token.');
    }
    const unknown = unknownField(body, REQUEST, '');
    if (unknown) return invalid(unknown);
    const images = inlineImages(body);
    if (typeof images === 'string') return invalid(images);
    const imageConfig = field(field(body, 'generationConfig'), 'imageConfig');
    const ratio = field(imageConfig, 'aspectRatio');
    if (ratio !== undefined && !limits.ratios.includes(String(ratio))) {
      return invalid(`Unsupported aspect ratio: ${String(ratio)}`);
    }
    const size = field(imageConfig, 'imageSize');
    // Unsure: gemini-2.5-flash-image documents no imageSize; the fake refuses one so that
    // tests prove the adapter leaves it out.
    if (size !== undefined && !limits.sizes.includes(String(size))) {
      return invalid(`Unsupported image size: ${String(size)}`);
    }

    const ctx: Context = {
      model,
      body,
      images,
      thoughtsByDefault: options.thoughts ?? model.startsWith('gemini-3-pro'),
    };
    let behavior = queue.shift() ?? { kind: 'image' };
    while (behavior.kind === 'slow') {
      const { delayMs, then } = behavior;
      if (await clientLeftWithin(res, delayMs)) return;
      behavior = then ?? { kind: 'image' };
    }
    switch (behavior.kind) {
      case 'hang-up':
        return req.socket.destroy();
      case 'non-json':
        return sendText(res, 200, '<html><body>Service temporarily unavailable</body></html>', {
          'content-type': 'text/html; charset=UTF-8',
        });
      case 'rate-limited':
        return sendGoogleJson(
          res,
          429,
          rateLimitBody(behavior, model),
          behavior.retryAfter ? { 'retry-after': behavior.retryAfter } : {},
        );
      case 'error':
        return sendGoogleJson(
          res,
          behavior.status,
          googleError(behavior.status, behavior.message, behavior.details),
          behavior.headers,
        );
      default: {
        const out = await answer(ctx, behavior);
        return sendGoogleJson(res, out.status, out.body);
      }
    }
  }

  const server = await listenLocal(
    async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      await handle(req, res, url, await readText(req));
    },
    (res, error) => {
      if (!res.headersSent)
        sendGoogleJson(res, 500, googleError(500, `fake failed: ${String(error)}`));
    },
  );

  return {
    url: server.origin,
    requests: log.entries,
    script: (...behaviors) => void queue.push(...behaviors),
    reset: () => {
      queue.length = 0;
      log.clear();
    },
    waitForRequests: (count) => log.waitForCount(count),
    close: server.close,
  };
}
