import type { Role } from '../db/schema.js';

/** What a request may do in its account; `admin` (site-wide) is the principal's `isAdmin`. */
export type Permission = 'read' | 'generate' | 'keys' | 'members' | 'settings';
export type KeyScope = 'full' | 'read' | 'admin';

export const ROLES: readonly Role[] = ['owner', 'developer', 'viewer'];
export const KEY_SCOPES: readonly KeyScope[] = ['full', 'read', 'admin'];

const ALL: readonly Permission[] = ['read', 'generate', 'keys', 'members', 'settings'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  developer: ['read', 'generate', 'keys'],
  owner: ALL,
};

export const SCOPE_PERMISSIONS: Record<KeyScope, readonly Permission[]> = {
  read: ['read'],
  full: ALL,
  admin: ALL,
};

/**
 * A key's permissions: its scope's, cut down to its creator's current role so that a key never
 * does what the person who made it cannot (a creator who left the account leaves it `read`).
 * Keys made by the CLI (no creator) have their scope's. A suspended account only reads.
 */
export function keyPermissions(input: {
  scope: KeyScope;
  createdBy: string | null;
  creatorRole: Role | null;
  suspended: boolean;
}): Permission[] {
  let permissions = [...SCOPE_PERMISSIONS[input.scope]];
  if (input.createdBy !== null) {
    const allowed = input.creatorRole ? ROLE_PERMISSIONS[input.creatorRole] : ['read'];
    permissions = permissions.filter((p) => allowed.includes(p));
  }
  return input.suspended ? permissions.filter((p) => p === 'read') : permissions;
}

export function rolePermissions(role: Role, suspended: boolean): Permission[] {
  const permissions = [...ROLE_PERMISSIONS[role]];
  return suspended ? permissions.filter((p) => p === 'read') : permissions;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isKeyScope(value: unknown): value is KeyScope {
  return typeof value === 'string' && (KEY_SCOPES as readonly string[]).includes(value);
}
