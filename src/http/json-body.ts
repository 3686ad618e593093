import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../errors.js';

/** No request of the API nests deeper than 4; the margin is for pass-through options. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply `text` nests objects and arrays, read in one pass without recursion; stops
 * counting past `limit`. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Fastify's JSON parser (with its prototype-poisoning guards) behind a depth check, so that
 * no deeply nested body reaches code that walks it.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      done(
        invalidRequest(
          'invalid_body',
          `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
        ),
        undefined,
      );
      return;
    }
    void parse(request, text, done);
  });
}
