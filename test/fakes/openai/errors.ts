/** OpenAI's error envelope `{error: {message, type, param, code}}`, thrown and then answered. */
export class FakeError {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export function openaiError(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | null,
) {
  return new FakeError(status, { error: { message, type, param, code } });
}

export function invalid(message: string, param: string | null, code: string | null) {
  return openaiError(400, message, 'invalid_request_error', param, code);
}

export function invalid401(message: string, code: string | null) {
  return openaiError(401, message, 'invalid_request_error', null, code);
}
