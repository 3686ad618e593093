import { postgresAvailable } from './postgres.js';
import { startSmtpSink } from './people.js';
import { startTestServer, type TestServer } from './server.js';

export type Body = Record<string, unknown>;
export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

export const generation = { model: 'local-placeholder', prompt: 'A red fox', size: '32x32' };

// PostgreSQL variants are skipped, as elsewhere, when no test database answers.
export const dialects = postgresAvailable
  ? (['sqlite', 'postgres'] as const)
  : (['sqlite'] as const);

/** A server that mails through an SMTP sink on loopback, so tests can follow the links. */
export async function startDashboardServer(
  dialect: (typeof dialects)[number],
): Promise<{ server: TestServer; sink: SmtpSink }> {
  const sink = await startSmtpSink();
  const server = await startTestServer({ dialect, env: { SMTP_URL: sink.url } });
  return { server, sink };
}

/** Fresh addresses and ledger reads on the server `current()` returns (it starts in beforeAll). */
export function dashboardTools(current: () => TestServer) {
  let n = 0;
  const email = (who: string) => `${who}-${++n}@example.test`;

  const ledgerRows = async (accountId: string) =>
    current()
      .services.db.kysely.selectFrom('ledger_entries')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute();

  return { email, ledgerRows };
}
