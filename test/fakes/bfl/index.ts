export { bflErrors } from './behaviours.js';
export type { BflBehaviour, BflPollStep, BflStatus } from './behaviours.js';
export { startFakeBfl } from './server.js';
export type { FakeBfl, RecordedRequest } from './types.js';
