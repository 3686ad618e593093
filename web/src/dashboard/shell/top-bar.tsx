import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { sessions } from '../api/endpoints.js';
import { Button } from '../ui/button.js';
import { creditsLabel } from '../ui/format.js';
import { AccountSwitch } from './account-switch.js';
import { useAccount } from './use-account.js';
import { useSession } from './session.js';

/** Site link, the account and its live balance, and sign out. */
export function TopBar() {
  const session = useSession();
  const account = useAccount();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const signOut = useMutation({
    mutationFn: () => sessions.signOut(),
    onSuccess: () => {
      client.clear();
      navigate('/sign-in');
    },
  });
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <a href="/" className="flex items-center gap-2 text-lg font-bold">
          <span
            aria-hidden="true"
            className="inline-block h-6 w-6 rounded bg-gradient-to-br from-indigo-500 to-fuchsia-500"
          />
          Pixapi
        </a>
        <div className="flex flex-wrap items-center gap-4 text-sm">
          <AccountSwitch />
          <span
            className="rounded-full bg-slate-100 px-3 py-1 tabular-nums"
            data-testid="top-balance"
          >
            {account.data ? creditsLabel(account.data.available) : '… credits'}
          </span>
          {/* A new account is named after its owner's email: not shown twice. */}
          {session.user.email !== session.account.name && (
            <span className="hidden text-slate-600 sm:inline">{session.user.email}</span>
          )}
          <Button variant="ghost" busy={signOut.isPending} onClick={() => signOut.mutate()}>
            Sign out
          </Button>
        </div>
      </div>
    </header>
  );
}
