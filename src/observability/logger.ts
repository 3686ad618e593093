import { pino, type Logger } from 'pino';

/**
 * JSON logs. Authorization headers and anything named like a key are redacted wherever they
 * appear, so a key can never reach the logs by accident.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pixapi' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'headers.authorization',
          '*.apiKey',
          '*.api_key',
          'apiKey',
          'api_key',
        ],
        censor: '[redacted]',
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}

/**
 * What core code needs of a logger. Both pino's Logger and Fastify's request logger fit, so
 * the use case and the adapters do not depend on the HTTP framework.
 */
export type Log = Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;
