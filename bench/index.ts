import { benchLocalModel } from './local-model.js';

/** `npm run bench`: every benchmark in turn, printing Markdown tables. */
await benchLocalModel();
