import { PixapiError, type ErrorCodeWithStatus } from '../errors.js';

export function permissionDenied(message: string) {
  return new PixapiError({
    code: 'permission_denied',
    message,
  });
}

export function conflict(
  code: ErrorCodeWithStatus<409>,
  message: string,
  param: string | null = null,
) {
  return new PixapiError({ code, message, param });
}

export function forbidden(code: ErrorCodeWithStatus<403>, message: string) {
  return new PixapiError({ code, message });
}

export function invalidToken() {
  return new PixapiError({
    code: 'invalid_token',
    message: 'This link is not valid: it was used already, has expired, or was never issued.',
    param: 'token',
  });
}
