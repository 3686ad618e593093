import type { FastifyRequest } from 'fastify';
import type { Principal } from '../accounts/accounts.js';
import { PixapiError } from '../errors.js';
import type { ImageRequest } from '../generation/request.js';
import type { Moderator } from '../moderation/moderator.js';
import type { UsageLog } from '../usage/usage-log.js';

export interface Screening {
  request: FastifyRequest;
  principal: Principal;
  endpoint: string;
  imageRequest: ImageRequest;
}

/**
 * Refuses a prompt that moderation blocks: 400 `content_policy_violation`, nothing held or
 * charged, and a `blocked` usage record naming the rule or category that matched.
 */
export async function screenPrompt(
  moderator: Moderator,
  usage: UsageLog,
  screening: Screening,
): Promise<void> {
  const { principal, imageRequest } = screening;
  const started = performance.now();
  const reason = await moderator.screen(principal.accountId, imageRequest.prompt);
  if (reason === undefined) return;
  await usage.record({
    requestId: screening.request.id,
    accountId: principal.accountId,
    keyId: principal.keyId,
    model: imageRequest.model.id,
    requestedModel: imageRequest.requestedModel.id,
    route: null,
    endpoint: screening.endpoint,
    status: 'blocked',
    errorCode: 'content_policy_violation',
    blockedReason: reason,
    images: 0,
    credits: 0,
    latencyMs: performance.now() - started,
    attempts: 0,
    user: imageRequest.user ?? null,
    metadata: imageRequest.metadata ?? null,
  });
  screening.request.log.info({ reason }, 'prompt blocked by moderation');
  throw new PixapiError({
    code: 'content_policy_violation',
    message: 'Your request was rejected by the content policy of this server. Nothing was charged.',
    param: 'prompt',
  });
}
