export { falErrors } from './behaviours.js';
export type { FalQueueStep, FalReply, FalScript } from './behaviours.js';
export { startFakeFal } from './server.js';
export { FAL_FAKE_KEY } from './types.js';
export type { FalFake, FalFakeOptions, FalRecordedRequest } from './types.js';
