import { benchLedger } from './ledger.js';
import { benchLocalModel } from './local-model.js';
import { benchOperations } from './operations.js';
import { benchPages } from './pages.js';
import { benchProviderOverhead } from './provider-overhead.js';
import { benchQueue } from './queue-throughput.js';
import { benchScaleOut } from './scale-out.js';
import { benchTasks } from './tasks-throughput.js';
import { benchUsageLog } from './usage-log.js';

const benches: Record<string, () => Promise<void>> = {
  overhead: benchProviderOverhead,
  ledger: benchLedger,
  local: benchLocalModel,
  tasks: benchTasks,
  queue: benchQueue,
  scaleout: benchScaleOut,
  pages: benchPages,
  operations: benchOperations,
  usage: benchUsageLog,
};

/**
 * `npm run bench`: every benchmark in turn, printing Markdown tables; `npm run bench -- ledger
 * overhead` runs only those.
 */
const chosen = process.argv.slice(2);
for (const name of chosen.length > 0 ? chosen : Object.keys(benches)) {
  const bench = benches[name];
  if (!bench) throw new Error(`unknown bench "${name}"; known: ${Object.keys(benches).join(', ')}`);
  await bench();
}
