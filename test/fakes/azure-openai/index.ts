import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../shared/http.js';
import { solidImage } from '../shared/images.js';
import { RequestLog } from '../shared/request-log.js';
import { listenLocal } from '../shared/server.js';
import { parseRequest } from '../openai/request.js';
import type { RecordedRequest } from '../openai/types.js';

export const AZURE_FAKE_KEY = '0123456789abcdef0123456789abcdef';
export const AZURE_FAKE_API_VERSION = '2025-04-01-preview';

export interface FakeAzureOpenAI {
  /** The resource endpoint, as AZURE_OPENAI_ENDPOINT takes it. */
  url: string;
  requests: Array<RecordedRequest & { query: URLSearchParams }>;
  reset(): void;
  close(): Promise<void>;
}

class AzureError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('azure error');
  }
}

const error = (status: number, code: string, message: string, extra: object = {}) =>
  new AzureError(status, { error: { code, message, ...extra } });

const ROUTE = /^\/openai\/deployments\/([^/]+)\/images\/(generations|edits)$/;

/**
 * A fake of Azure OpenAI's image deployments on 127.0.0.1: the deployment in the path, a
 * required `api-version`, the key in `api-key` (a Bearer header is not it), JSON generations and
 * multipart edits, PNG or JPEG only (`webp` refused), and the content filter's refusal (a 400
 * `contentFilter` with the filter results) for prompts containing "forbidden".
 */
export async function startFakeAzureOpenAI(
  deployments: string[] = ['gpt-image-1'],
): Promise<FakeAzureOpenAI> {
  const log = new RequestLog<RecordedRequest & { query: URLSearchParams }>();
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const recorded = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: undefined as Record<string, unknown> | undefined,
      files: [] as RecordedRequest['files'],
    };
    log.record(recorded);
    if (req.headers['api-key'] !== AZURE_FAKE_KEY) {
      throw error(
        401,
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      );
    }
    const route = ROUTE.exec(url.pathname);
    if (req.method !== 'POST' || !route) throw error(404, '404', 'Resource not found');
    if (!url.searchParams.get('api-version')) {
      throw error(404, '404', 'Resource not found');
    }
    const deployment = decodeURIComponent(route[1]!);
    if (!deployments.includes(deployment)) {
      throw error(
        404,
        'DeploymentNotFound',
        'The API deployment for this resource does not exist.',
      );
    }
    const edit = route[2] === 'edits';
    const parsed = await parseRequest(req, raw, edit);
    recorded.body = parsed.body;
    recorded.files = parsed.files;
    const body = parsed.body;
    if (edit && !parsed.multipart)
      throw error(400, 'invalid_request_error', 'Edits are multipart.');
    if (edit && parsed.files.filter((f) => f.field.startsWith('image')).length === 0) {
      throw error(400, 'invalid_request_error', "'image' is required.");
    }
    const format = body.output_format ?? 'png';
    if (format !== 'png' && format !== 'jpeg') {
      throw error(
        400,
        'invalid_value',
        `Invalid value: '${String(format)}'. Supported values are: 'png' and 'jpeg'.`,
      );
    }
    if (typeof body.prompt === 'string' && body.prompt.includes('forbidden')) {
      throw error(
        400,
        'contentFilter',
        'Your request was rejected as a result of our safety system.',
        {
          inner_error: {
            code: 'ResponsibleAIPolicyViolation',
            content_filter_results: { violence: { filtered: true, severity: 'high' } },
          },
        },
      );
    }
    const n = Number(body.n ?? 1);
    const bytes = await solidImage({
      width: 1024,
      height: 1024,
      background: '#36c',
      format,
    });
    sendJson(res, 200, {
      created: Math.floor(Date.now() / 1000),
      data: Array.from({ length: n }, () => ({ b64_json: bytes.toString('base64') })),
    });
  }
  const server = await listenLocal(handle, (res, failure) => {
    if (failure instanceof AzureError) return sendJson(res, failure.status, failure.body);
    const e = failure as { status?: number; body?: unknown };
    if (typeof e.status === 'number') return sendJson(res, e.status, e.body);
    sendJson(res, 500, { error: { code: 'InternalServerError', message: String(failure) } });
  });
  return {
    url: server.origin,
    requests: log.entries,
    reset: () => void log.entries.splice(0),
    close: () => server.close(),
  };
}
