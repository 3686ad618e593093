import { publicModel } from '../../billing/public-model.js';
import { withServices } from '../context.js';
import type { Output } from '../output.js';

type PublicModel = ReturnType<typeof publicModel>;

/** `deprecated, shuts down 2026-12-01 -> gpt-image-2` and the like; empty while active. */
function lifecycleNote(m: PublicModel): string {
  if (m.status === 'active') return '';
  const date = m.shutdown_date
    ? m.status === 'retired'
      ? ` ${m.shutdown_date}`
      : ` shuts down ${m.shutdown_date}`
    : '';
  const next = m.replacement ? ` -> ${m.replacement}` : '';
  const policy =
    m.status === 'retired'
      ? ` (${m.after_shutdown === 'redirect' ? 'redirected' : 'answers 410'})`
      : '';
  return `  ${m.status}${date}${next}${policy}`;
}

export async function modelsList(_options: unknown, out: Output): Promise<void> {
  await withServices(out, async ({ catalog }) => {
    const data = catalog.list().map((m) => publicModel(m, catalog));
    out.result(
      { data },
      data.map(
        (m) =>
          `${m.id.padEnd(34)} ${m.available ? 'available  ' : 'unavailable'} from ${m.pricing.from_credits} credits  (${m.provider})${lifecycleNote(m)}`,
      ),
    );
  });
}
