import { toCredits } from '../../billing/credits.js';
import { codeView } from '../../billing/redeem-codes.js';
import { withServices } from '../context.js';
import { UsageError, type Output } from '../output.js';
import { positiveCredits, type Options } from '../args.js';

export async function codesCreate(options: Options, out: Output): Promise<void> {
  const credits = positiveCredits(options, 'credits');
  const uses = options.uses === undefined ? 1 : Number(options.uses);
  if (!Number.isInteger(uses) || uses < 1) {
    throw new UsageError('--uses must be a whole number of 1 or more');
  }
  let expiresAt: number | null = null;
  if (typeof options.expires === 'string') {
    expiresAt = Date.parse(options.expires);
    if (Number.isNaN(expiresAt)) throw new UsageError('--expires must be a date (2026-12-31)');
  }
  await withServices(out, async (services) => {
    const code = await services.codes.create({
      credits,
      maxUses: uses,
      expiresAt,
      note: typeof options.note === 'string' ? options.note : null,
      code: typeof options.code === 'string' ? options.code : undefined,
    });
    const until = code.expiresAt ? `, until ${new Date(code.expiresAt).toISOString()}` : '';
    out.result(codeView(code), [
      code.code,
      `worth ${toCredits(code.credits)} credits, ${code.maxUses} use${code.maxUses > 1 ? 's' : ''}${until}`,
    ]);
  });
}

export async function codesList(_options: Options, out: Output): Promise<void> {
  await withServices(out, async (services) => {
    const codes = (await services.codes.list()).map(codeView);
    out.result(
      { object: 'list', data: codes },
      codes.length === 0
        ? ['No codes yet (pixapi codes create --credits C).']
        : codes.map(
            (c) =>
              `${c.code}  ${c.credits} credits  ${c.uses}/${c.max_uses} used${c.expires_at ? `  until ${new Date(c.expires_at * 1000).toISOString()}` : ''}${c.note ? `  ${c.note}` : ''}`,
          ),
    );
  });
}
