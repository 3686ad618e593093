import type { ReactNode } from 'react';
import { ErrorNotice, Loading } from './notice.js';

/** The part of a TanStack query (plain or infinite) that decides what a view shows. */
interface QueryState<T> {
  isPending: boolean;
  error: unknown;
  data: T | undefined;
}

/**
 * Every data view shows the same four states in the same order: loading, the error (even over
 * data a refetch failed to refresh, so a stale view never passes for a fresh one), an empty
 * state when there is nothing to list, then the data.
 *
 * @example
 * <QueryView query={keys} errorTitle="Your keys could not load."
 *   isEmpty={(page) => page.data.length === 0} empty={<EmptyState title="No keys yet." />}>
 *   {(page) => <KeysTable keys={page.data} />}
 * </QueryView>
 */
export function QueryView<T>({
  query,
  errorTitle,
  loadingLabel,
  isEmpty,
  empty,
  children,
}: {
  query: QueryState<T>;
  errorTitle?: string;
  loadingLabel?: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  // A pending query has no error in TanStack Query v5: checking the error first keeps the order.
  if (query.error) return <ErrorNotice error={query.error} title={errorTitle} />;
  if (query.isPending || query.data === undefined) return <Loading label={loadingLabel} />;
  if (isEmpty?.(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
