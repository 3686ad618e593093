import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCredits } from '../credits.js';
import type { ImageRequest } from '../generation/request.js';
import { streamImages } from '../generation/stream.js';
import type { EditExtras, GenerationOutcome } from '../generation/service.js';
import type { Services } from '../services.js';
import type { Principal } from '../accounts/accounts.js';
import { screenPrompt } from './moderation.js';
import type { CommitResponse, IdempotentOutcome } from './idempotency.js';
import { withAssetRefs } from '../idempotency/image-replay.js';
import { replyWithStream } from './image-stream.js';
import { withinLimits } from './rate-limits.js';
import { announceLifecycle } from './lifecycle-headers.js';

/**
 * A sync image response: the body and Pixapi's credit headers. Its idempotency record keeps
 * asset ids in place of `b64_json`; a replay reads the images back from storage.
 */
export function imageResponse(outcome: GenerationOutcome): IdempotentOutcome {
  return {
    status: 200,
    body: outcome.body,
    stored: withAssetRefs(outcome.body, outcome.assetFiles),
    headers: {
      'x-pixapi-credits-charged': formatCredits(outcome.chargedMilli),
      'x-pixapi-credits-remaining': formatCredits(outcome.balance.available),
    },
  };
}

/** What a sync image answer uses of the services. */
export type SyncImageDeps = Pick<
  Services,
  'catalog' | 'generation' | 'limits' | 'moderator' | 'usage'
>;

export interface SyncImageCall {
  request: FastifyRequest;
  reply: FastifyReply;
  services: SyncImageDeps;
  principal: Principal;
  endpoint: 'images.generations' | 'images.edits';
  imageRequest: ImageRequest;
  extra: EditExtras;
  commit: CommitResponse | undefined;
}

/**
 * Runs a validated sync generation or edit and answers it: as OpenAI's SSE events when it
 * streams, else as JSON whose idempotency record commits with the charge.
 */
export async function answerImageRequest(call: SyncImageCall): Promise<IdempotentOutcome> {
  const { reply, imageRequest } = call;
  const { generation } = call.services;
  return withinLimits(
    reply,
    call.services.limits,
    {
      principal: call.principal,
      images: imageRequest.n,
      maxCost: generation.maxCost(imageRequest).total,
    },
    () => answerAdmitted(call),
  );
}

async function answerAdmitted(call: SyncImageCall): Promise<IdempotentOutcome> {
  const { request, reply, imageRequest, extra, commit } = call;
  const { generation } = call.services;
  await screenPrompt(call.services.moderator, call.services.usage, {
    request,
    principal: call.principal,
    endpoint: call.endpoint,
    imageRequest,
  });
  announceLifecycle(reply, imageRequest, call.services.catalog);
  const caller = {
    principal: call.principal,
    requestId: request.id,
    endpoint: call.endpoint,
    log: request.log,
    phases: request.phases,
  };
  request.phases.facts.model = imageRequest.model.id;
  if (imageRequest.stream) {
    await replyWithStream(
      request,
      reply,
      imageRequest,
      (gone) => streamImages(generation, caller, imageRequest, extra, gone),
      call.endpoint === 'images.edits' ? 'image_edit' : 'image_generation',
    );
    // Streams are never stored: the key is released and a retry streams anew.
    return { status: 200, body: undefined, streamed: true };
  }
  const outcome = await generation.generate(
    caller,
    imageRequest,
    extra,
    commit && ((trx, result) => commit(trx, imageResponse(result))),
  );
  return imageResponse(outcome);
}
