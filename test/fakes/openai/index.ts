export type { FakeOpenAIBehaviour } from './behaviours.js';
export { startFakeOpenAI } from './server.js';
export type { FakeOpenAI, FakeOpenAIOptions, RecordedFile, RecordedRequest } from './types.js';
