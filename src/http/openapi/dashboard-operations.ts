import type { Operation } from './operations.js';
import { ACCOUNT_OPERATIONS } from './account-operations.js';
import { ADMIN_OPERATIONS } from './admin-operations.js';
import { PEOPLE_OPERATIONS } from './people-operations.js';

/**
 * The operations under the dashboard (docs/dashboard-api.md): sessions, keys, members, usage
 * exports and series, and the site admin's. Each accepts an API key or the session cookie.
 */
export const DASHBOARD_OPERATIONS: Record<string, Operation> = {
  ...PEOPLE_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
  ...ADMIN_OPERATIONS,
};
