import type { Migration } from 'kysely';
import * as initial from './001-initial.js';
import * as tasks from './002-tasks.js';
import * as accountBalances from './003-account-balances.js';
import * as fairTasks from './004-fair-tasks.js';
import * as usageRequestedModel from './005-usage-requested-model.js';
import * as peopleAndAccess from './006-people-and-access.js';
import * as topups from './007-topups.js';
import * as limitsAndPolicies from './008-limits-and-policies.js';
import * as spendByDay from './009-spend-by-day.js';
import * as usageByDay from './010-usage-by-day.js';

/**
 * Every migration, in order. Listed in code rather than read from a folder so that the same
 * list runs from `src/` under vitest and from `dist/` in production.
 */
export const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-tasks': tasks,
  '003-account-balances': accountBalances,
  '004-fair-tasks': fairTasks,
  '005-usage-requested-model': usageRequestedModel,
  '006-people-and-access': peopleAndAccess,
  '007-topups': topups,
  '008-limits-and-policies': limitsAndPolicies,
  '009-spend-by-day': spendByDay,
  '010-usage-by-day': usageByDay,
};
