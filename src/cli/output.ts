/** A mistake of the person running the command: printed as one line, exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Output {
  json: boolean;
  /** Prints the result: the JSON object with --json, else the human lines. */
  result(json: object, human: string[]): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human.join('\n')}\n`);
    },
  };
}
