import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  errorBody,
  invalidRequest,
  notFound,
  PixapiError,
  toPixapiError,
} from './errors.js';

describe('PixapiError', () => {
  it('takes status, type and retryability from the code table', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      const error = new PixapiError({ code: code as keyof typeof ERROR_CODES, message: 'm' });
      expect([code, error.status, error.type, error.retryable]).toEqual([
        code,
        spec.status,
        spec.type,
        spec.retryable,
      ]);
    }
  });

  it('lets an occurrence say otherwise: its own status (retryable as the status says) or retryability', () => {
    const tooMany = new PixapiError({ code: 'invalid_request', status: 429, message: 'm' });
    expect([tooMany.status, tooMany.retryable]).toEqual([429, true]);
    const final = new PixapiError({ code: 'internal_error', message: 'm', retryable: false });
    expect([final.status, final.retryable]).toEqual([500, false]);
  });

  it('helpers for one status accept only the codes of that status', () => {
    expect(invalidRequest('invalid_value', 'm', 'size').status).toBe(400);
    expect(notFound('model_not_found', 'm').status).toBe(404);
    // @ts-expect-error model_not_found is a 404: the table's status would win anyway
    expect(invalidRequest('model_not_found', 'm').status).toBe(404);
    // @ts-expect-error not a code of the table
    expect(() => new PixapiError({ code: 'no_such_code', message: 'm' })).toThrow(TypeError);
  });
});

describe('toPixapiError', () => {
  it('keeps Pixapi errors as they are', () => {
    const error = invalidRequest('invalid_value', 'm');
    expect(toPixapiError(error)).toBe(error);
  });

  it("maps errors carrying their own 4xx (Fastify's) by status, and 5xx to an internal error", () => {
    const withStatus = (statusCode: number) => Object.assign(new Error('x'), { statusCode });
    expect(
      [400, 404, 408, 413, 414, 415, 405].map((status) => {
        const error = toPixapiError(withStatus(status));
        return [error.status, error.code, error.retryable];
      }),
    ).toEqual([
      [400, 'invalid_body', false],
      [404, 'not_found', false],
      [408, 'request_timeout', true],
      [413, 'payload_too_large', false],
      [414, 'uri_too_long', false],
      [415, 'unsupported_media_type', false],
      [405, 'invalid_request', false],
    ]);
    expect(toPixapiError(withStatus(502)).code).toBe('internal_error');
  });

  it('calls a lost database connection database_unavailable and anything else internal_error', () => {
    const lost = Object.assign(new Error('gone'), { code: 'ECONNREFUSED' });
    expect(toPixapiError(lost).code).toBe('database_unavailable');
    const unknown = toPixapiError(new Error('secret detail'));
    expect(errorBody(unknown, 'req_1')).toEqual({
      error: {
        message: 'Internal error. Quote the request id to support.',
        type: 'server_error',
        param: null,
        code: 'internal_error',
        request_id: 'req_1',
      },
    });
  });
});
