import { useMutation, useQueryClient } from '@tanstack/react-query';
import { setCsrfToken } from '../api/client.js';
import { sessions } from '../api/endpoints.js';
import { SESSION_KEY, useSession } from './session.js';

/** The account the session acts in; a person in several accounts picks one here. */
export function AccountSwitch() {
  const session = useSession();
  const client = useQueryClient();
  const change = useMutation({
    mutationFn: sessions.switchAccount,
    onSuccess: (next) => {
      client.clear();
      setCsrfToken(next.csrf_token);
      client.setQueryData(SESSION_KEY, next);
    },
  });
  if (session.memberships.length <= 1) {
    return (
      <span className="text-slate-700">
        <span className="font-medium text-slate-900">{session.account.name}</span> ·{' '}
        {session.account.role}
      </span>
    );
  }
  return (
    <select
      aria-label="Account"
      value={session.account.id}
      disabled={change.isPending}
      onChange={(e) => change.mutate(e.target.value)}
      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
    >
      {session.memberships.map((m) => (
        <option key={m.account_id} value={m.account_id}>
          {m.account_name} · {m.role}
        </option>
      ))}
    </select>
  );
}
