/** A mistake of the person running the command: printed as one line, exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** Machine-readable, for `--json` callers: `invalid_usage`, `not_found`... */
  readonly code: string;
  constructor(message: string, code = 'invalid_usage') {
    super(message);
    this.code = code;
  }
}

export interface Output {
  json: boolean;
  /** Prints the result: the JSON object with --json, else the human lines. */
  result(json: object, human: string[]): void;
  /** A failure: one line on stderr and, with --json, `{"error":{message,code}}` on stdout. */
  error(message: string, code: string): void;
  /** A note for the person at the terminal (which database, a new one...): stderr only. */
  note(line: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human.join('\n')}\n`);
    },
    error(message, code) {
      process.stderr.write(`pixapi: ${message}\n`);
      if (json) process.stdout.write(`${JSON.stringify({ error: { message, code } })}\n`);
    },
    note(line) {
      process.stderr.write(`pixapi: ${line}\n`);
    },
  };
}
