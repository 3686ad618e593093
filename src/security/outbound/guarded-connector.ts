import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector, errors } from 'undici';
import type { AddressPolicy, IpFamily } from './address-policy.js';

/**
 * The undici connect step, with the address check inside it. Resolving, checking and
 * connecting happen here, in one place, so the socket goes to exactly the address that passed:
 * a DNS answer that changes between a check and a connect (rebinding) has nothing to swap.
 */

/** Thrown (to undici, which hands it back to the request) when an address is refused. */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'PIXAPI_OUTBOUND_BLOCKED';
  constructor(readonly reason: 'address' | 'port') {
    super(reason === 'address' ? 'non-public address' : 'port not allowed');
  }
}

export interface GuardedConnectorOptions {
  policy: AddressPolicy;
  /** Socket connect timeout; the DNS lookup gets the same budget. */
  connectTimeoutMs: number;
  /** Replaces DNS (tests map public-looking names to chosen addresses). */
  lookup?: LookupFunction;
  /** Called with the checked address right before the socket connects; may throw. */
  connectHook?: (address: string, port: number) => void;
}

interface Resolved {
  address: string;
  family: IpFamily;
}

function resolve(hostname: string, lookup: LookupFunction, timeoutMs: number): Promise<Resolved[]> {
  const family = isIP(hostname);
  if (family === 4 || family === 6) return Promise.resolve([{ address: hostname, family }]);
  return new Promise((resolvePromise, rejectPromise) => {
    const timer = setTimeout(
      () => rejectPromise(new errors.ConnectTimeoutError('DNS lookup timed out')),
      timeoutMs,
    );
    lookup(hostname, { all: true }, (error, result) => {
      clearTimeout(timer);
      if (error) return rejectPromise(error);
      const answers = Array.isArray(result)
        ? result.map((entry) => entry.address)
        : result
          ? [result]
          : [];
      const resolved: Resolved[] = [];
      for (const address of answers) {
        const kind = isIP(address.replace(/%.*$/, ''));
        // Anything that is not an address is refused, never guessed at.
        if (kind !== 4 && kind !== 6) return rejectPromise(new BlockedAddressError('address'));
        resolved.push({ address, family: kind });
      }
      if (resolved.length === 0) {
        return rejectPromise(Object.assign(new Error('no addresses'), { code: 'ENOTFOUND' }));
      }
      resolvePromise(resolved);
    });
  });
}

/**
 * Builds the `connect` function for an undici `Agent`.
 *
 * @example
 * new Agent({ connect: guardedConnector({ policy, connectTimeoutMs: 5_000 }) });
 */
export function guardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const connectSocket = buildConnector({ timeout: options.connectTimeoutMs });
  const lookup = options.lookup ?? dnsLookup;

  return (connectOptions, callback) => {
    let settled = false;
    const done: buildConnector.Callback = (...args) => {
      if (settled) return;
      settled = true;
      callback(...args);
    };
    const hostname = connectOptions.hostname;
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);

    resolve(hostname, lookup, options.connectTimeoutMs)
      .then((addresses) => {
        // Every answer must pass, not just the one used: otherwise a name that resolves to a
        // public and a private address would pass or fail depending on the order.
        for (const { address, family } of addresses) {
          const verdict = options.policy.check({ address, family, port, hostname });
          if (verdict === 'denied_address') throw new BlockedAddressError('address');
          if (verdict === 'denied_port') throw new BlockedAddressError('port');
        }
        const target = addresses[0] as Resolved;
        options.connectHook?.(target.address, port);
        connectSocket(
          {
            ...connectOptions,
            hostname: target.address,
            // TLS still verifies the certificate for the name in the URL, and sends it as SNI.
            servername: isIP(hostname) ? undefined : connectOptions.servername || hostname,
          },
          done,
        );
      })
      .catch((error: Error) => done(error, null));
  };
}
