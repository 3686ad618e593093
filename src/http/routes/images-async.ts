import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { defaultWebhookUrl } from '../../accounts/account-directory.js';
import type { Principal } from '../../accounts/accounts.js';
import { invalidRequest, PixapiError } from '../../errors.js';
import { EDIT_FIELDS } from '../../generation/edit-inputs.js';
import { prepareEdit } from '../../generation/edits.js';
import { asObject, parseImageRequest, type ImageRequest } from '../../generation/request.js';
import type { Services } from '../../services.js';
import { removeInputs, storeInputs } from '../../tasks/stored-request.js';
import type { Submission } from '../../tasks/task-service.js';
import type { TaskView } from '../../tasks/task-view.js';
import { principalOf } from '../auth.js';
import { fingerprint, idempotent, uploadedFiles, type CommitResponse } from '../idempotency.js';
import { announceLifecycle } from '../lifecycle-headers.js';
import { readMultipartEdit } from '../multipart.js';
import type { KeyGuard } from '../plugins.js';
import { screenPrompt } from '../moderation.js';
import { withinLimits } from '../rate-limits.js';
import { EDIT_JSON_LIMIT } from './images-edits.js';

/** Webhook targets follow the outbound rules of image URLs, checked now and again at delivery. */
function webhookUrl(value: unknown, services: Pick<Services, 'outbound'>): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 2048) {
    throw invalidRequest(
      'invalid_value',
      "Invalid value for 'webhook_url': expected a URL.",
      'webhook_url',
    );
  }
  try {
    return services.outbound.assertAllowedUrl(value, 'webhook_url').href;
  } catch (error) {
    if (!(error instanceof PixapiError)) throw error;
    throw invalidRequest('webhook_url_rejected', error.message, 'webhook_url');
  }
}

/** The task's own `webhook_url`, else the account's default one (set in the dashboard). */
async function taskWebhook(
  value: unknown,
  accountId: string,
  services: Pick<Services, 'db' | 'outbound'>,
): Promise<string | undefined> {
  if (value !== undefined && value !== null) return webhookUrl(value, services);
  const fallback = await defaultWebhookUrl(services.db, accountId);
  return fallback ? webhookUrl(fallback, services) : undefined;
}

function noStreaming(request: ImageRequest): void {
  if (request.stream) {
    throw invalidRequest('unsupported_parameter', 'Tasks do not stream: remove stream.', 'stream');
  }
}

function accepted(task: TaskView) {
  return { status: 202, body: task, headers: { location: `/v1/tasks/${task.id}` } };
}

/** What imagesAsyncRoutes uses of the services. */
export type ImagesAsyncDeps = Pick<
  Services,
  | 'assets'
  | 'catalog'
  | 'config'
  | 'db'
  | 'generation'
  | 'idempotency'
  | 'limits'
  | 'moderator'
  | 'outbound'
  | 'tasks'
  | 'usage'
>;

/** The same bodies as the sync endpoints plus `webhook_url`; each answers 202 with a task. */
export function imagesAsyncRoutes(
  app: FastifyInstance,
  services: ImagesAsyncDeps,
  guard: KeyGuard,
): void {
  const admission = (principal: Principal, imageRequest: ImageRequest) => ({
    principal,
    images: imageRequest.n,
    maxCost: services.generation.maxCost(imageRequest).total,
  });
  /** Both routes: the limits, then the prompt screen, then the task, committed with its key. */
  const submit = async (s: {
    request: FastifyRequest;
    reply: FastifyReply;
    principal: Principal;
    imageRequest: ImageRequest;
    submission: Pick<Submission, 'endpoint' | 'stored' | 'webhookUrl'>;
    commit: CommitResponse | undefined;
  }) => {
    const { request, principal, imageRequest, commit } = s;
    const task = await withinLimits(
      s.reply,
      services.limits,
      admission(principal, imageRequest),
      async () => {
        await screenPrompt(services.moderator, services.usage, {
          request,
          principal,
          endpoint: `async.${s.submission.endpoint}`,
          imageRequest,
        });
        return services.tasks.submit(
          { principal, requestId: request.id, request: imageRequest, ...s.submission },
          commit && ((trx, view) => commit(trx, accepted(view))),
        );
      },
    );
    return accepted(task);
  };
  app.post('/v1/async/images/generations', { onRequest: guard }, async (request, reply) => {
    const principal = principalOf(request);
    return idempotent({
      request,
      reply,
      store: services.idempotency,
      accountId: principal.accountId,
      fingerprint: () => fingerprint('POST', '/v1/async/images/generations', request.body),
      run: async (commit) => {
        const body = asObject(request.body);
        const imageRequest = parseImageRequest(body, services.catalog, {
          capability: 'text-to-image',
          extraFields: ['webhook_url'],
        });
        noStreaming(imageRequest);
        announceLifecycle(reply, imageRequest, services.catalog);
        const target = await taskWebhook(body.webhook_url, principal.accountId, services);
        return submit({
          request,
          reply,
          principal,
          imageRequest,
          submission: { endpoint: 'images.generations', stored: { body }, webhookUrl: target },
          commit,
        });
      },
    });
  });

  app.post(
    '/v1/async/images/edits',
    { onRequest: guard, bodyLimit: EDIT_JSON_LIMIT },
    async (request, reply) => {
      const principal = principalOf(request);
      const upload = request.isMultipart() ? await readMultipartEdit(request) : undefined;
      const raw = upload ? upload.body : request.body;
      return idempotent({
        request,
        reply,
        store: services.idempotency,
        accountId: principal.accountId,
        fingerprint: () =>
          fingerprint('POST', '/v1/async/images/edits', raw, uploadedFiles(upload?.sources)),
        run: async (commit) => {
          const body = asObject(raw);
          const target = await taskWebhook(body.webhook_url, principal.accountId, services);
          const { request: imageRequest, extra } = await prepareEdit(
            body,
            upload?.sources,
            services,
            principal.accountId,
            {
              timeoutMs: services.config.syncTimeoutMs,
              extraFields: ['webhook_url'],
              beforeInputs: async (imageRequest) => {
                noStreaming(imageRequest);
                await services.generation.assertAffordable(
                  { principal, requestId: request.id, endpoint: 'async.images.edits' },
                  imageRequest,
                );
              },
            },
          );
          announceLifecycle(reply, imageRequest, services.catalog);
          const inputs = await storeInputs(
            extra.images ?? [],
            extra.mask,
            principal.accountId,
            services.assets,
          );
          // The images now live as assets; the task keeps the other fields to replay.
          const fields = Object.fromEntries(
            Object.entries(body).filter(
              ([key]) => !(EDIT_FIELDS as readonly string[]).includes(key),
            ),
          );
          try {
            return await submit({
              request,
              reply,
              principal,
              imageRequest,
              submission: {
                endpoint: 'images.edits',
                stored: { body: fields, ...inputs, inputFidelity: extra.inputFidelity },
                webhookUrl: target,
              },
              commit,
            });
          } catch (error) {
            // No task holds them: the hold lost a race, or the submission failed.
            await removeInputs(inputs, services.assets).catch((failure: unknown) =>
              request.log.warn({ err: failure }, 'could not remove the inputs of a failed task'),
            );
            throw error;
          }
        },
      });
    },
  );
}
