import { pino } from 'pino';
import type { ProviderCall } from '../../src/providers/types.js';

/**
 * A ProviderCall for adapter tests that talk straight to a fake on 127.0.0.1. Provider-supplied
 * URLs are fetched with plain fetch here: the guarded client that does this in production is
 * tested on its own (src/security/outbound), and the fakes only ever hand out loopback URLs.
 */
export function testCall(options: { timeoutMs?: number; signal?: AbortSignal } = {}): ProviderCall {
  const signal = options.signal ?? AbortSignal.timeout(options.timeoutMs ?? 10_000);
  return {
    signal,
    log: pino({ level: 'silent' }),
    fetchProviderUrl: (url, init) =>
      fetch(url, {
        method: init?.method ?? 'GET',
        headers: init?.headers,
        body: init?.body,
        signal,
      }),
  };
}
