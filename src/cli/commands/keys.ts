import { AccountError } from '../../accounts/accounts.js';
import { limitsToJson } from '../../limits/json.js';
import type { LimitSet } from '../../limits/types.js';
import { withServices } from '../context.js';
import { limitOptions } from '../limit-options.js';
import { UsageError, type Output } from '../output.js';
import { requireOption, type Options } from '../args.js';

export async function keysCreate(options: Options, out: Output): Promise<void> {
  const accountId = requireOption(options, 'account');
  const limits = limitOptions(options);
  const name = typeof options.name === 'string' ? options.name : undefined;
  await withServices(async (services) => {
    try {
      const key = await services.accounts.createKey(accountId, { name, limits });
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

export async function keysUpdate(options: Options, out: Output): Promise<void> {
  const keyId = requireOption(options, 'key');
  const limits = limitOptions(options);
  if (Object.keys(limits).length === 0) {
    throw new UsageError(
      'give at least one of --rpm, --images-per-minute, --max-concurrent, --daily-credits, --monthly-credits',
    );
  }
  await withServices(async (services) => {
    if (!(await services.limitStore.updateKey(keyId, limits))) {
      throw new UsageError(`no key ${keyId}`);
    }
    const now = (await services.limitStore.key(keyId)) as LimitSet;
    const json = limitsToJson(now);
    out.result({ key_id: keyId, limits: json }, [
      `Key ${keyId} limits: ${Object.entries(json)
        .map(([k, v]) => `${k}=${v ?? 'none'}`)
        .join(', ')}.`,
    ]);
  });
}

export async function keysRevoke(options: Options, out: Output): Promise<void> {
  const keyId = requireOption(options, 'key');
  await withServices(async (services) => {
    if (!(await services.accounts.revokeKey(keyId))) throw new UsageError(`no key ${keyId}`);
    out.result({ key_id: keyId, revoked: true }, [`Key ${keyId} revoked.`]);
  });
}
