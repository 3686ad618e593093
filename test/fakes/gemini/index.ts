export { fakeImageDimensions } from './images.js';
export { fakeInputImage, geminiEditInput, geminiInput } from './inputs.js';
export { FAKE_GEMINI_KEY, FAKE_GEMINI_MODELS } from './models.js';
export { startFakeGemini } from './server.js';
export type { FakeGemini, FakeGeminiBehavior, RecordedRequest } from './types.js';
