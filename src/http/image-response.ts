import { formatCredits } from '../billing/credits.js';
import type { GenerationOutcome } from '../generation/service.js';
import type { IdempotentOutcome } from './idempotency.js';

/** A sync image response: the body and Pixapi's credit headers. */
export function imageResponse(outcome: GenerationOutcome): IdempotentOutcome {
  return {
    status: 200,
    body: outcome.body,
    headers: {
      'x-pixapi-credits-charged': formatCredits(outcome.chargedMilli),
      'x-pixapi-credits-remaining': formatCredits(outcome.balance.available),
    },
  };
}
