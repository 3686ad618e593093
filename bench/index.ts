import { benchLocalModel } from './local-model.js';
import { benchProviderOverhead } from './provider-overhead.js';

/** `npm run bench`: every benchmark in turn, printing Markdown tables. */
await benchLocalModel();
await benchProviderOverhead();
