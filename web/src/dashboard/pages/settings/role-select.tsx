import type { Role } from '../../api/types.js';

export const ROLES: { value: Role; label: string }[] = [
  { value: 'owner', label: 'Owner: everything, members and settings' },
  { value: 'developer', label: 'Developer: generate and manage keys' },
  { value: 'viewer', label: 'Viewer: read usage and tasks' },
];

/** A compact role picker for a table row; the label is for screen readers. */
export function RoleSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Role;
  onChange: (role: Role) => void;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value as Role)}
      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
    >
      {ROLES.map((r) => (
        <option key={r.value} value={r.value}>
          {r.value}
        </option>
      ))}
    </select>
  );
}
