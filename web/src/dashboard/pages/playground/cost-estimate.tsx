import { useQuery } from '@tanstack/react-query';
import { images } from '../../api/endpoints.js';
import { credits, creditsLabel } from '../../ui/format.js';
import { ErrorNotice } from '../../ui/notice.js';

/** What the request would hold and charge at most, asked of the server as the form changes. */
export function CostEstimate({ body }: { body: Record<string, unknown> }) {
  const estimate = useQuery({
    queryKey: ['estimate', body],
    queryFn: () => images.estimate(body),
    staleTime: 30_000,
  });
  if (estimate.isPending) return <p className="text-sm text-slate-600">Estimating cost…</p>;
  if (estimate.error)
    return <ErrorNotice error={estimate.error} title="This request would be refused:" />;
  const e = estimate.data;
  return (
    <p className="text-sm text-slate-800" data-testid="estimate">
      Costs at most <strong>{creditsLabel(e.max_charge_credits)}</strong> (
      {credits(e.credits_per_image)} per image × {e.n}, {e.size}). You have{' '}
      {creditsLabel(e.available_credits)} available.
      {!e.sufficient && (
        <span className="block text-red-800">Not enough credits for this request.</span>
      )}
      {!e.available && (
        <span className="block text-red-800">This model cannot serve requests right now.</span>
      )}
    </p>
  );
}
