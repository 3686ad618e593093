import { randomUUID } from 'node:crypto';
import { field, toSnake } from './fields.js';
import { imagePart } from './images.js';
import { TOKENS_BY_SIZE } from './models.js';
import type { Context, FakeGeminiBehavior } from './types.js';

/** The 200 answers of behaviours: candidates, their parts and `usageMetadata`, as Google sends. */

function usage(ctx: Context, outputTokens: number, thoughts: number) {
  const prompt = JSON.stringify(field(ctx.body, 'contents') ?? '').length;
  const text = Math.max(1, Math.round(Math.min(prompt, 4000) / 4));
  const image = ctx.images.length * 258;
  return {
    promptTokenCount: text + image,
    candidatesTokenCount: outputTokens,
    totalTokenCount: text + image + outputTokens + thoughts,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: text },
      ...(image ? [{ modality: 'IMAGE', tokenCount: image }] : []),
    ],
    ...(outputTokens
      ? { candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: outputTokens }] }
      : {}),
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
  };
}

export async function answer(
  ctx: Context,
  behavior: FakeGeminiBehavior,
): Promise<{ status: number; body: unknown }> {
  const base = { modelVersion: ctx.model, responseId: randomUUID().replace(/-/g, '').slice(0, 22) };
  const size = field(field(field(ctx.body, 'generationConfig'), 'imageConfig'), 'imageSize');
  const imageTokens = ctx.model.startsWith('gemini-2.5')
    ? 1290
    : (TOKENS_BY_SIZE[String(size)] ?? 1120);
  switch (behavior.kind) {
    case 'image': {
      const modalities = field(field(ctx.body, 'generationConfig'), 'responseModalities');
      const wantsImage = !Array.isArray(modalities) || modalities.includes('IMAGE');
      const wantsText = !Array.isArray(modalities) || modalities.includes('TEXT');
      const thoughts = behavior.thoughts ?? ctx.thoughtsByDefault;
      const parts: unknown[] = [];
      if (thoughts) {
        parts.push({
          text: '**Composing the scene**\nI am sketching a first draft.',
          thought: true,
        });
        parts.push({ ...(await imagePart(ctx, 'image/png', '#333333')), thought: true });
      }
      const text = behavior.text ?? 'Here is the image you asked for.';
      if ((wantsText || !wantsImage) && text !== false) parts.push({ text });
      if (wantsImage) {
        const image = await imagePart(ctx, behavior.mimeType ?? 'image/png', '#cc3333');
        parts.push(thoughts ? { ...image, thoughtSignature: 'c2lnbmF0dXJl' } : image);
      }
      const candidate: Record<string, unknown> = { content: { parts, role: 'model' }, index: 0 };
      if (behavior.finishReason !== null) candidate.finishReason = behavior.finishReason ?? 'STOP';
      const body = {
        candidates: [candidate],
        usageMetadata: usage(ctx, wantsImage ? imageTokens : 12, thoughts ? 180 : 0),
        ...base,
      };
      return { status: 200, body: behavior.snakeCase ? toSnake(body) : body };
    }
    case 'blocked':
      return {
        status: 200,
        body: {
          promptFeedback: { blockReason: behavior.blockReason },
          usageMetadata: usage(ctx, 0, 0),
          ...base,
        },
      };
    case 'finish': {
      const candidate: Record<string, unknown> = { finishReason: behavior.finishReason, index: 0 };
      if (behavior.withImage) {
        candidate.content = {
          parts: [await imagePart(ctx, 'image/png', '#cc3333')],
          role: 'model',
        };
      }
      if (behavior.finishReason === 'IMAGE_OTHER') {
        candidate.finishMessage =
          'Unable to show the generated image. You will not be charged for this request. Try rephrasing the prompt.';
      }
      return {
        status: 200,
        body: { candidates: [candidate], usageMetadata: usage(ctx, 0, 0), ...base },
      };
    }
    case 'text-only': {
      const text = behavior.text ?? "I can't create that image, but I can describe it.";
      const candidate = {
        content: { parts: [{ text }], role: 'model' },
        finishReason: 'STOP',
        index: 0,
      };
      return {
        status: 200,
        body: { candidates: [candidate], usageMetadata: usage(ctx, 14, 0), ...base },
      };
    }
    case 'no-candidates':
      return { status: 200, body: { usageMetadata: usage(ctx, 0, 0), ...base } };
    case 'corrupt-image': {
      const data =
        behavior.mode === 'bad-base64'
          ? 'iVBORw0KGgo!!not*base64~~'
          : Buffer.from('definitely not a picture').toString('base64');
      const parts = [{ inlineData: { mimeType: 'image/png', data } }];
      const candidate = { content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 };
      return {
        status: 200,
        body: { candidates: [candidate], usageMetadata: usage(ctx, imageTokens, 0), ...base },
      };
    }
    default:
      throw new Error(`behavior ${behavior.kind} has no JSON answer`);
  }
}
