import { SMTPServer } from 'smtp-server';
import type { ApiResponse } from './server.js';

/**
 * A browser-like client of the dashboard API: keeps the session cookies it is given and sends
 * the CSRF token on writes, as the dashboard's script does.
 */
export class SessionClient {
  cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(readonly base: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (options.csrf !== false && this.csrf && method !== 'GET') {
      headers['x-pixapi-csrf'] = this.csrf;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/Expires=Thu, 01 Jan 1970/i.test(line) || value.join('=') === '')
        this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
    const text = await response.text();
    const body = (
      text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text
    ) as T;
    const csrf = (body as { csrf_token?: unknown } | undefined)?.csrf_token;
    if (typeof csrf === 'string') this.csrf = csrf;
    return { status: response.status, headers: response.headers, body };
  }

  signUp(email: string, password = 'correct horse battery', extra: Record<string, unknown> = {}) {
    return this.call('POST', '/v1/auth/sign-up', { body: { email, password, ...extra } });
  }

  signIn(email: string, password = 'correct horse battery') {
    return this.call('POST', '/v1/auth/sign-in', { body: { email, password } });
  }
}

export interface SentMail {
  to: string;
  body: string;
}

/** An SMTP server on loopback that keeps every mail it is given. */
export async function startSmtpSink(): Promise<{
  url: string;
  mails: SentMail[];
  close: () => Promise<void>;
}> {
  const mails: SentMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let body = '';
      stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
      stream.on('end', () => {
        for (const rcpt of session.envelope.rcptTo) mails.push({ to: rcpt.address, body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A mail's text with quoted-printable soft line breaks and `=3D` undone. */
export function mailText(mail: SentMail): string {
  return mail.body.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

/** The token of the first link to `page` in a mail. */
export function linkToken(mail: SentMail, page: string): string {
  const text = mailText(mail);
  const match = new RegExp(`/${page}\\?token=([A-Za-z0-9_%-]+)`).exec(text);
  if (!match) throw new Error(`no ${page} link in mail`);
  return decodeURIComponent(match[1]!);
}

/** Waits until `check` holds (mail arrives asynchronously), for at most five seconds. */
export async function eventually<T>(check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting');
}
