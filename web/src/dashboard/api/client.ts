/** An API answer in OpenAI's error shape, `{error: {message, type, code, param}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string | null = null,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { message?: string; type?: string; code?: string | null; param?: string | null };
}

/** The CSRF token the session answer carries; every cookie-authenticated write sends it back. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const CSRF_HEADER = 'x-pixapi-csrf';

/** The token from the session answer, or from its readable cookie when no answer came yet. */
function currentCsrfToken(): string | null {
  if (csrfToken) return csrfToken;
  const match = /(?:^|;\s*)pixapi_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

async function toError(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's error page): the status line is all there is.
  }
  const e = body.error;
  return new ApiError(
    response.status,
    e?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    e?.type ?? null,
    e?.code ?? null,
    e?.param ?? null,
  );
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

/** One call to the JSON API with the session cookie; throws ApiError on a non-2xx answer. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? (options.body || options.form ? 'POST' : 'GET');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = method === 'GET' ? null : currentCsrfToken();
  if (csrf) headers[CSRF_HEADER] = csrf;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The server could not be reached. Check your connection and retry.');
  }
  if (!response.ok) throw await toError(response);
  return response;
}

export async function json<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(path, options);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** A query string from the set fields of a filter; empty values are left out. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
