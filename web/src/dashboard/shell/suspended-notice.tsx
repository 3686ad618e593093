import { useAccount } from './use-account.js';

/** A suspended account keeps read access only (docs/dashboard-api.md); say so on every page. */
export function SuspendedNotice() {
  const account = useAccount();
  if (!account.data?.suspended) return null;
  return (
    <p
      role="alert"
      className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900"
    >
      This account is suspended: you can read its usage and tasks, but not generate images or change
      anything. Contact the site operator.
    </p>
  );
}
