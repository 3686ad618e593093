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

/**
 * Runs `work` again while the database is unavailable, a few times over about two seconds:
 * for settling money (releasing a hold) after the connection a request used was lost, when
 * the pool's next connection usually works. Other errors, and the last one, are thrown.
 */
export async function retryWhileUnavailable<T>(
  work: () => Promise<T>,
  delaysMs: readonly number[] = [100, 400, 1500],
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = delaysMs[attempt];
      if (delay === undefined || !isDatabaseUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
