import { PixapiError } from '../errors.js';

export function permissionDenied(message: string) {
  return new PixapiError({
    status: 403,
    type: 'invalid_request_error',
    code: 'permission_denied',
    message,
    retryable: false,
  });
}

export function conflict(code: string, message: string, param: string | null = null) {
  return new PixapiError({
    status: 409,
    type: 'invalid_request_error',
    code,
    message,
    param,
    retryable: false,
  });
}

export function forbidden(code: string, message: string) {
  return new PixapiError({
    status: 403,
    type: 'invalid_request_error',
    code,
    message,
    retryable: false,
  });
}

export function invalidToken() {
  return new PixapiError({
    status: 400,
    type: 'invalid_request_error',
    code: 'invalid_token',
    message: 'This link is not valid: it was used already, has expired, or was never issued.',
    param: 'token',
    retryable: false,
  });
}
