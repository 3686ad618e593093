export { replicateErrors } from './behaviours.js';
export type {
  ReplicateFinal,
  ReplicateReply,
  ReplicateScript,
  ReplicateStep,
} from './behaviours.js';
export { startFakeReplicate } from './server.js';
export { REPLICATE_FAKE_TOKEN, REPLICATE_FAKE_VERSION } from './types.js';
export type { ReplicateFake, ReplicateFakeOptions, ReplicateRecordedRequest } from './types.js';
