import { AccountError, type KeyInfo } from '../../accounts/accounts.js';
import { limitsToJson } from '../../limits/json.js';
import type { LimitSet } from '../../limits/types.js';
import { withServices } from '../context.js';
import { limitOptions } from '../limit-options.js';
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
  const limits = limitOptions(options);
  const name = typeof options.name === 'string' ? options.name : undefined;
  await withServices(out, async (services) => {
    try {
      const key = await services.accounts.createKey(accountId, { name, limits });
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

export async function keysUpdate(options: Options, out: Output): Promise<void> {
  const keyId = requireOption(options, 'key');
  const limits = limitOptions(options);
  if (Object.keys(limits).length === 0) {
    throw new UsageError(
      'give at least one of --rpm, --images-per-minute, --max-concurrent, --daily-credits, --monthly-credits',
    );
  }
  await withServices(out, async (services) => {
    if (!(await services.limitStore.updateKey(keyId, limits))) {
      throw new UsageError(`no key ${keyId} (see pixapi keys list --account ID)`, 'not_found');
    }
    const json = limitsToJson((await services.limitStore.key(keyId)) as LimitSet);
    out.result({ key_id: keyId, limits: json }, [
      `Key ${keyId} limits: ${Object.entries(json)
        .map(([k, v]) => `${k}=${v ?? 'none'}`)
        .join(', ')}.`,
    ]);
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
