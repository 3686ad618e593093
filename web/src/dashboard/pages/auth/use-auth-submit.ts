import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { setCsrfToken } from '../../api/client.js';
import type { Session } from '../../api/types.js';
import { SESSION_KEY } from '../../shell/session.js';

/** Where to go after signing in: `?next=` when it is a dashboard path, else the overview. */
export function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  // Only paths of this dashboard: never another site (open redirect).
  return next && /^\/(?!\/)/.test(next) ? next : '/';
}

/** Signs in or up, keeps the new session and opens the page asked for (or the overview). */
export function useAuthSubmit<T>(call: (input: T) => Promise<Session>) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  return useMutation({
    mutationFn: call,
    onSuccess: (session) => {
      client.clear();
      setCsrfToken(session.csrf_token);
      client.setQueryData(SESSION_KEY, session);
      navigate(nextPath());
    },
  });
}
