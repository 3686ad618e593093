import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { setCsrfToken } from '../api/client.js';
import { sessions } from '../api/endpoints.js';
import type { Role, Session } from '../api/types.js';

export const SESSION_KEY = ['session'] as const;

/** The signed-in person's session; its CSRF token is kept for the writes that follow. */
export function useSessionQuery() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      const session = await sessions.current();
      setCsrfToken(session.csrf_token);
      return session;
    },
    staleTime: 60_000,
  });
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in shell');
  return session;
}

const RANK: Record<Role, number> = { viewer: 0, developer: 1, owner: 2 };

/** Whether the signed-in member's role is at least `role` (the server checks again). */
export function useCan(role: Role): boolean {
  return RANK[useSession().account.role] >= RANK[role];
}
