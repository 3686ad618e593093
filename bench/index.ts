import { benchLocalModel } from './local-model.js';
import { benchProviderOverhead } from './provider-overhead.js';
import { benchTasks } from './tasks-throughput.js';

/** `npm run bench`: every benchmark in turn, printing Markdown tables. */
await benchLocalModel();
await benchProviderOverhead();
await benchTasks();
