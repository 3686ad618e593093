import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { setCsrfToken } from '../../api/client.js';
import type { Session } from '../../api/types.js';
import { SESSION_KEY } from '../../shell/session.js';

/** Signs in or up, keeps the new session and opens the overview. */
export function useAuthSubmit<T>(call: (input: T) => Promise<Session>) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  return useMutation({
    mutationFn: call,
    onSuccess: (session) => {
      client.clear();
      setCsrfToken(session.csrf_token);
      client.setQueryData(SESSION_KEY, session);
      navigate('/');
    },
  });
}
