import { useEffect, useState } from 'react';

/**
 * The value once it stopped changing for `ms`, so typing a prompt asks the server once. Values
 * are compared by their JSON: a re-render that builds an equal object does not restart the
 * wait (every render did, so the value settled only once the page stopped rendering).
 */
export function useDebounced<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(JSON.parse(key) as T), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}
