import { publicModel } from '../../catalog/public.js';
import { withServices } from '../context.js';
import type { Output } from '../output.js';

export async function modelsList(_options: unknown, out: Output): Promise<void> {
  await withServices(out, async ({ catalog }) => {
    const data = catalog.list().map((m) => publicModel(m, catalog));
    out.result(
      { data },
      data.map(
        (m) =>
          `${m.id.padEnd(34)} ${m.available ? 'available  ' : 'unavailable'} from ${m.pricing.from_credits} credits  (${m.provider})`,
      ),
    );
  });
}
