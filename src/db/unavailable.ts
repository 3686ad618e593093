/**
 * Whether an error means the database connection went away (a restart, a failover, an
 * operator's pg_terminate_backend, the network) rather than a query being wrong: such a request
 * may succeed when sent again, once the pool has opened a new connection.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash
    // shutdown, cannot connect now); then Node's socket errors.
    if (/^08/.test(code) || /^57P0[1-3]$/.test(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  }
  // node-postgres reports a socket closed under a query by message only.
  return (
    typeof message === 'string' &&
    /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/.test(
      message,
    )
  );
}
