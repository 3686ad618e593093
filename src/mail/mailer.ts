import nodemailer from 'nodemailer';
import type { Log } from '../observability/logger.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends the dashboard's mails (password reset, verification, invites). */
export interface Mailer {
  /** False when no SMTP server is configured: callers then hand out links another way. */
  readonly enabled: boolean;
  send(mail: Mail): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer when `SMTP_URL` is set; otherwise a mailer that sends nothing. A
 * failed send is logged (without the mail's body: it holds a secret link) and not thrown, so
 * that a mail server outage never tells a caller whether an address has an account.
 */
export function createMailer(
  settings: { smtpUrl: string | undefined; from: string },
  log: Log,
): Mailer {
  if (!settings.smtpUrl) {
    return { enabled: false, send: async () => {}, close: () => {} };
  }
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    enabled: true,
    send: async (mail) => {
      try {
        await transport.sendMail({ from: settings.from, ...mail });
      } catch (error) {
        log.error({ err: error, subject: mail.subject }, 'mail not sent');
      }
    },
    close: () => transport.close(),
  };
}
