import { useQuery } from '@tanstack/react-query';
import { account } from '../api/endpoints.js';

/**
 * The account and its balance, polled so that credits granted by an admin or spent by code
 * elsewhere show up without a reload.
 */
export function useAccount() {
  return useQuery({ queryKey: ['account'], queryFn: account.get, refetchInterval: 5_000 });
}
