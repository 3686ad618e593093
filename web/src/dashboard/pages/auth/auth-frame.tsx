import type { ReactNode } from 'react';
import { useTitle } from '../../ui/use-title.js';

/** The centred card of the sign-in and sign-up pages, under the site's name. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  useTitle(title);
  return (
    <div className="flex min-h-screen flex-col items-center bg-slate-50 px-4 py-12">
      <a href="/" className="mb-8 flex items-center gap-2 text-xl font-bold text-slate-900">
        <span
          aria-hidden="true"
          className="inline-block h-7 w-7 rounded bg-gradient-to-br from-indigo-500 to-fuchsia-500"
        />
        Pixapi
      </a>
      <main className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="mb-6 text-xl font-bold text-slate-900">{title}</h1>
        {children}
      </main>
    </div>
  );
}
