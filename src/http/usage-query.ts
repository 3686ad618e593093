import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { toCredits } from '../credits.js';
import { invalidRequest } from '../errors.js';
import type { UsageFilter, UsageRecord } from '../usage/usage-log.js';
import type { UsageLog } from '../usage/usage-log.js';
import { parseTime } from './pagination.js';

const STATUSES = ['succeeded', 'failed', 'blocked'] as const;

function text(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 200) {
    throw invalidRequest('invalid_value', `Invalid value for '${name}'.`, name);
  }
  return value;
}

/** The usage filters of a query string: from, to, model, key_id, status, request_id, task_id. */
export function parseUsageFilter(query: Record<string, unknown>): Omit<UsageFilter, 'accountId'> {
  const status = text(query, 'status');
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
    throw invalidRequest(
      'invalid_value',
      "'status' must be succeeded, failed or blocked.",
      'status',
    );
  }
  return {
    from: parseTime(query.from, 'from'),
    to: parseTime(query.to, 'to'),
    model: text(query, 'model'),
    keyId: text(query, 'key_id'),
    status: status as UsageFilter['status'],
    requestId: text(query, 'request_id'),
    taskId: text(query, 'task_id'),
  };
}

export function usageView(r: UsageRecord, withAccount = false) {
  return {
    id: r.id,
    object: 'usage.record',
    ...(withAccount ? { account_id: r.accountId } : {}),
    request_id: r.requestId,
    task_id: r.taskId,
    key_id: r.keyId,
    model: r.model,
    requested_model: r.requestedModel,
    route: r.route,
    endpoint: r.endpoint,
    status: r.status,
    error_code: r.errorCode,
    blocked_reason: r.blockedReason ?? null,
    images: r.images,
    credits: toCredits(r.credits),
    latency_ms: r.latencyMs,
    attempts: r.attempts,
    user: r.user,
    metadata: r.metadata,
    created: Math.floor(r.createdAt / 1000),
  };
}

const CSV_COLUMNS = [
  'id',
  'created_at',
  'request_id',
  'task_id',
  'key_id',
  'model',
  'requested_model',
  'endpoint',
  'status',
  'error_code',
  'images',
  'credits',
  'latency_ms',
  'attempts',
] as const;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets show, not run, it. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csvLine(r: UsageRecord, withAccount: boolean): string {
  const values: Array<string | number | null> = [
    r.id,
    new Date(r.createdAt).toISOString(),
    r.requestId,
    r.taskId,
    r.keyId,
    r.model,
    r.requestedModel,
    r.endpoint,
    r.status,
    r.errorCode,
    r.images,
    toCredits(r.credits),
    r.latencyMs,
    r.attempts,
  ];
  if (withAccount) values.push(r.accountId);
  return values.map(cell).join(',') + '\r\n';
}

/** Streams every matching record as CSV (no row limit; read a page at a time). */
export function sendUsageCsv(
  reply: FastifyReply,
  usage: UsageLog,
  filter: UsageFilter,
  withAccount: boolean,
) {
  const header = [...CSV_COLUMNS, ...(withAccount ? ['account_id'] : [])].join(',') + '\r\n';
  async function* lines() {
    yield header;
    for await (const record of usage.all(filter)) yield csvLine(record, withAccount);
  }
  const day = new Date().toISOString().slice(0, 10);
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="pixapi-usage-${day}.csv"`)
    .send(Readable.from(lines()));
}
