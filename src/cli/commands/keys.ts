import { AccountError, type KeyInfo } from '../../accounts/accounts.js';
import { withServices } from '../context.js';
import { UsageError, type Output } from '../output.js';
import { requireOption, type Options } from '../args.js';

/** A key as the command line prints it: never the key, only its id and first characters. */
export function keyView(key: KeyInfo) {
  return {
    key_id: key.keyId,
    name: key.name,
    prefix: key.prefix,
    rpm: key.rpm,
    created_at: new Date(key.createdAt).toISOString(),
    revoked_at: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
  };
}

export async function keysCreate(options: Options, out: Output): Promise<void> {
  const accountId = requireOption(options, 'account');
  let rpm: number | undefined;
  if (options.rpm !== undefined) {
    rpm = Number(options.rpm);
    if (!Number.isInteger(rpm) || rpm < 1) throw new UsageError('--rpm must be a positive integer');
  }
  const name = typeof options.name === 'string' ? options.name : undefined;
  await withServices(out, async (services) => {
    try {
      const key = await services.accounts.createKey(accountId, { name, rpm });
      out.result({ key_id: key.keyId, api_key: key.apiKey }, [
        `Key ${key.keyId} created for ${accountId}.`,
        `API key (shown once): ${key.apiKey}`,
      ]);
    } catch (error) {
      if (error instanceof AccountError) throw new UsageError(error.message, 'not_found');
      throw error;
    }
  });
}

export async function keysList(options: Options, out: Output): Promise<void> {
  const accountId = requireOption(options, 'account');
  await withServices(out, async (services) => {
    if (!(await services.accounts.get(accountId))) {
      throw new UsageError(`no account ${accountId} (see pixapi accounts list)`, 'not_found');
    }
    const data = (await services.accounts.listKeys(accountId)).map(keyView);
    out.result(
      { data },
      data.map(
        (k) =>
          `${k.key_id}  ${k.prefix}…  ${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}${k.name ? `  ${k.name}` : ''}`,
      ),
    );
  });
}

export async function keysRevoke(options: Options, out: Output): Promise<void> {
  const keyId = requireOption(options, 'key');
  await withServices(out, async (services) => {
    if (!(await services.accounts.revokeKey(keyId))) {
      throw new UsageError(`no key ${keyId} (see pixapi keys list --account ID)`, 'not_found');
    }
    out.result({ key_id: keyId, revoked: true }, [`Key ${keyId} revoked.`]);
  });
}

export async function adminKeyRotate(_options: Options, out: Output): Promise<void> {
  await withServices(out, async (services) => {
    try {
      const rotated = await services.accounts.rotateAdminKey();
      out.result(
        {
          account_id: rotated.accountId,
          key_id: rotated.keyId,
          api_key: rotated.apiKey,
          revoked: rotated.revoked,
        },
        [
          `Admin API key: ${rotated.apiKey}`,
          `(key ${rotated.keyId}; revoked ${rotated.revoked.length ? rotated.revoked.join(', ') : 'no other key'})`,
        ],
      );
    } catch (error) {
      if (error instanceof AccountError) throw new UsageError(error.message, 'not_found');
      throw error;
    }
  });
}
