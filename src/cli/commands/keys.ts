import { AccountError } from '../../accounts/accounts.js';
import { withServices } from '../context.js';
import { UsageError, type Output } from '../output.js';
import { requireOption, type Options } from '../args.js';

export async function keysCreate(options: Options, out: Output): Promise<void> {
  const accountId = requireOption(options, 'account');
  let rpm: number | undefined;
  if (options.rpm !== undefined) {
    rpm = Number(options.rpm);
    if (!Number.isInteger(rpm) || rpm < 1) throw new UsageError('--rpm must be a positive integer');
  }
  const name = typeof options.name === 'string' ? options.name : undefined;
  await withServices(async (services) => {
    try {
      const key = await services.accounts.createKey(accountId, { name, rpm });
      out.result({ key_id: key.keyId, api_key: key.apiKey }, [
        `Key ${key.keyId} created for ${accountId}.`,
        `API key (shown once): ${key.apiKey}`,
      ]);
    } catch (error) {
      if (error instanceof AccountError) throw new UsageError(error.message);
      throw error;
    }
  });
}

export async function keysRevoke(options: Options, out: Output): Promise<void> {
  const keyId = requireOption(options, 'key');
  await withServices(async (services) => {
    if (!(await services.accounts.revokeKey(keyId))) throw new UsageError(`no key ${keyId}`);
    out.result({ key_id: keyId, revoked: true }, [`Key ${keyId} revoked.`]);
  });
}
