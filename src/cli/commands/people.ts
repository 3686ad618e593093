import { PASSWORD_MAX, PASSWORD_MIN } from '../../people/passwords.js';
import { isEmail } from '../../people/tokens.js';
import { ADMIN_STARTING_CREDITS } from '../../server.js';
import { requireOption, type Options } from '../args.js';
import { withServices } from '../context.js';
import { UsageError, type Output } from '../output.js';

/** The password from PIXAPI_PASSWORD, else the first line of stdin (never an argument: ps shows those). */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.PIXAPI_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  let input = '';
  for await (const chunk of process.stdin) {
    input += String(chunk);
    if (input.includes('\n')) break;
  }
  return input.split(/\r?\n/)[0] ?? '';
}

function email(options: Options): string {
  const value = requireOption(options, 'email');
  if (!isEmail(value))
    throw new UsageError(`--email must be an email address, got "${String(value)}"`);
  return value;
}

/**
 * Sets a person's password and makes them a site admin and an owner of the `admin` account
 * (creating the person, and the account on a new database): how the first admin signs in.
 */
export async function adminSetPassword(options: Options, out: Output): Promise<void> {
  const address = email(options);
  const password = await readPassword();
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new UsageError(`the password needs ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
  await withServices(out, async (services) => {
    const created = await services.accounts.bootstrapAdmin({
      apiKey: services.config.adminKey,
      credits: ADMIN_STARTING_CREDITS,
    });
    if (created) out.note('created the admin account; its key: pixapi admin-key rotate');
    const admin = await services.db.kysely
      .selectFrom('accounts')
      .select('id')
      .where('is_admin', '=', 1)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const user = await services.people.users.ensure(address, { siteAdmin: true });
    await services.people.members.add(services.db.kysely, admin.id, user.id, 'owner');
    await services.people.users.setPassword(user.id, password);
    await services.people.users.markVerified(user.id);
    out.result({ user_id: user.id, email: user.email, site_admin: true, account_id: admin.id }, [
      `Password set for ${user.email} (site admin, owner of the admin account).`,
      `Sign in at ${services.publicUrl()}/`,
    ]);
  });
}

/** Prints a one-hour password-reset link, for servers without SMTP_URL. */
export async function adminResetLink(options: Options, out: Output): Promise<void> {
  const address = email(options);
  await withServices(out, async (services) => {
    const user = await services.people.users.byEmail(address);
    if (!user) throw new UsageError(`nobody signed up as ${address}`, 'not_found');
    const token = await services.people.users.issueToken(user.id, 'password_reset');
    const url = `${services.publicUrl()}/reset-password?token=${encodeURIComponent(token)}`;
    out.result({ email: user.email, reset_url: url, expires_in_s: 3600 }, [
      `Reset link for ${user.email} (valid 1 hour, once):`,
      url,
    ]);
  });
}
