import { camel, field, snake } from './fields.js';

/** Request validation: the fields the real API knows (proto JSON takes camel or snake case). */

interface ListOf {
  listOf: Shape | 'any';
}
type Shape = { [field: string]: Shape | ListOf | 'any' };
const isList = (s: Shape | ListOf): s is ListOf => 'listOf' in s;
const PART: Shape = {
  text: 'any',
  inlineData: { mimeType: 'any', data: 'any' },
  fileData: { mimeType: 'any', fileUri: 'any' },
  thought: 'any',
  thoughtSignature: 'any',
  functionCall: 'any',
  functionResponse: 'any',
  executableCode: 'any',
  codeExecutionResult: 'any',
  videoMetadata: 'any',
  mediaResolution: 'any',
};
const GENERATION_FIELDS = [
  'stopSequences responseMimeType responseSchema responseJsonSchema candidateCount',
  'maxOutputTokens temperature topP topK seed presencePenalty frequencyPenalty logprobs',
  'responseLogprobs responseModalities speechConfig thinkingConfig mediaResolution',
  'enableEnhancedCivicAnswers',
]
  .join(' ')
  .split(' ');
const CONTENT: Shape = { role: 'any', parts: { listOf: PART } };
export const REQUEST: Shape = {
  contents: { listOf: CONTENT },
  systemInstruction: CONTENT,
  safetySettings: { listOf: { category: 'any', threshold: 'any', method: 'any' } },
  tools: 'any',
  toolConfig: 'any',
  cachedContent: 'any',
  generationConfig: {
    ...Object.fromEntries(GENERATION_FIELDS.map((f) => [f, 'any' as const])),
    imageConfig: { aspectRatio: 'any', imageSize: 'any' },
  },
};

/** The real API's message for the first unknown field, e.g. `Unknown name "x" at 'generation_config'`. */
export function unknownField(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const sub = shape[camel(key)];
    const where = path ? ` at '${path}'` : '';
    if (!sub)
      return `Invalid JSON payload received. Unknown name "${key}"${where}: Cannot find field.`;
    const innerPath = `${path ? `${path}.` : ''}${snake(camel(key))}`;
    if (sub === 'any') continue;
    if (isList(sub)) {
      const item = sub.listOf;
      if (!Array.isArray(inner) || item === 'any') continue;
      for (const [i, element] of inner.entries()) {
        const found = unknownField(element, item, `${innerPath}[${i}]`);
        if (found) return found;
      }
      continue;
    }
    const found = unknownField(inner, sub, innerPath);
    if (found) return found;
  }
  return undefined;
}

export interface InlineImage {
  mimeType: string;
  data: string;
}

/** The inline images of the request, or the 400 message for the first bad one. */
export function inlineImages(body: unknown): InlineImage[] | string {
  const images: InlineImage[] = [];
  const contents = field(body, 'contents');
  if (!Array.isArray(contents) || contents.length === 0) {
    return '* GenerateContentRequest.contents: contents is not specified\n';
  }
  for (const [c, content] of contents.entries()) {
    const parts = field(content, 'parts');
    for (const [p, part] of (Array.isArray(parts) ? parts : []).entries()) {
      const inline = field(part, 'inlineData');
      if (inline === undefined) continue;
      const data = field(inline, 'data');
      const mimeType = field(inline, 'mimeType');
      const where = `contents[${c}].parts[${p}].inline_data`;
      if (typeof data !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) {
        return `Invalid value at '${where}.data' (TYPE_BYTES), Base64 decoding failed`;
      }
      if (typeof mimeType !== 'string' || !/^image\/(png|jpeg|webp|heic|heif)$/.test(mimeType)) {
        return `Unsupported MIME type: ${String(mimeType)}`;
      }
      images.push({ mimeType, data });
    }
  }
  return images;
}
