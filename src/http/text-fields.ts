import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../errors.js';

// C0 controls but tab, line feed and carriage return (CR LF is a newline too). PostgreSQL
// refuses NUL in text, and renderers, loggers and terminals misbehave on the others.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

function rejected(param: string) {
  return invalidRequest(
    'invalid_value',
    `Invalid value for '${param}': control characters other than tab and newline are not allowed.`,
    param,
  );
}

/**
 * Throws 400 `invalid_value` naming `param` when `value`, or any key or string inside it,
 * holds a control character other than tab or newline. Iterative, so that depth costs no stack.
 */
export function assertCleanText(value: unknown, param: string): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (FORBIDDEN.test(next)) throw rejected(param);
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, inner] of Object.entries(next)) {
        if (FORBIDDEN.test(key)) throw rejected(param);
        pending.push(inner);
      }
    }
  }
}

/** Every top-level field of an object, each reported under its own name. */
export function assertCleanFields(fields: unknown): void {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    assertCleanText(fields, 'body');
    return;
  }
  for (const [name, value] of Object.entries(fields)) {
    // A key that is itself dirty cannot be quoted back as a param name.
    if (FORBIDDEN.test(name)) throw rejected('body');
    assertCleanText(value, name);
  }
}

/**
 * Checks path parameters, the query string and JSON bodies of every route once, before any
 * handler sees them. Multipart fields are checked where they are read (multipart.ts).
 */
export function registerTextFieldCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    assertCleanFields(request.params);
    assertCleanFields(request.query);
    if (request.body !== undefined) assertCleanFields(request.body);
  });
}
