import { useEffect } from 'react';

/** Names the browser tab after the page, so that tabs and screen readers tell pages apart. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Pixapi dashboard`;
  }, [title]);
}
