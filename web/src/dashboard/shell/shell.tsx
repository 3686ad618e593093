import type { ReactNode } from 'react';
import { Redirect } from 'wouter';
import { ApiError } from '../api/client.js';
import { ErrorNotice, Loading } from '../ui/notice.js';
import { SessionContext, useSessionQuery } from './session.js';
import { SideNav } from './side-nav.js';
import { SuspendedNotice } from './suspended-notice.js';
import { TopBar } from './top-bar.js';

/** The signed-in frame: navigation, the account bar, and the page. Signed-out people go to sign-in. */
export function Shell({ children }: { children: ReactNode }) {
  const session = useSessionQuery();
  if (session.isPending) return <Loading label="Loading your dashboard…" />;
  if (session.error instanceof ApiError && session.error.status === 401) {
    return <Redirect to="/sign-in" replace />;
  }
  if (session.isError) {
    return (
      <main className="mx-auto max-w-lg p-8">
        <ErrorNotice error={session.error} title="The dashboard could not load your session." />
      </main>
    );
  }
  return (
    <SessionContext.Provider value={session.data}>
      <div className="min-h-screen bg-slate-50 text-slate-900">
        <a
          href="#content"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
        >
          Skip to content
        </a>
        <TopBar />
        <div className="mx-auto flex max-w-7xl flex-col md:flex-row">
          <SideNav />
          <main id="content" className="min-w-0 flex-1 px-4 py-6 md:px-8">
            <SuspendedNotice />
            {children}
          </main>
        </div>
      </div>
    </SessionContext.Provider>
  );
}
