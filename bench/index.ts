import { benchLedger } from './ledger.js';
import { benchLocalModel } from './local-model.js';
import { benchOperations } from './operations.js';
import { benchPages } from './pages.js';
import { benchProviderOverhead } from './provider-overhead.js';
import { benchTasks } from './tasks-throughput.js';

const benches: Record<string, () => Promise<void>> = {
  overhead: benchProviderOverhead,
  ledger: benchLedger,
  local: benchLocalModel,
  tasks: benchTasks,
  pages: benchPages,
  operations: benchOperations,
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
