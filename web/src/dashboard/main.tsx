import '../styles.css';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { DASHBOARD_ROOT } from '../../../src/site/dashboard-document.js';
import { ApiError } from './api/client.js';
import { App } from './app.js';
import { SESSION_KEY } from './shell/session.js';

const client: QueryClient = new QueryClient({
  // A session that ended (signed out elsewhere, expired) shows as a 401 on any query: asking
  // for the session again sends the person to sign in.
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (
        error instanceof ApiError &&
        error.status === 401 &&
        query.queryKey[0] !== SESSION_KEY[0]
      ) {
        void client.invalidateQueries({ queryKey: SESSION_KEY });
      }
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A refused or invalid request fails the same way the second time: only retry the rest.
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

const root = document.getElementById(DASHBOARD_ROOT);
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <Router base="/dashboard">
          <App />
        </Router>
      </QueryClientProvider>
    </StrictMode>,
  );
}
