import type { IncomingMessage } from 'node:http';
import { sortableId } from '../ids.js';

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's `x-request-id` when it is sane, else a new `req_` id. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE.test(given) ? given : sortableId('req');
}
