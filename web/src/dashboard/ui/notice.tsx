import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

/** An error in words: the API's message, and its code for support. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const api = error instanceof ApiError ? error : undefined;
  const message =
    api?.message ?? (error instanceof Error ? error.message : 'Something went wrong.');
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900"
    >
      {title && <p className="font-semibold">{title}</p>}
      <p>{message}</p>
      {api?.code && <p className="mt-1 text-xs text-red-800">Error code: {api.code}</p>}
    </div>
  );
}

/** What a list shows when it has nothing yet, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-medium text-slate-900">{title}</p>
      {children && <div className="mt-2 text-sm text-slate-600">{children}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" className="p-4 text-sm text-slate-600">
      {label}
    </p>
  );
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <p
      role="status"
      className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900"
    >
      {children}
    </p>
  );
}
