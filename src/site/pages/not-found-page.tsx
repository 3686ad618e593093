import { href, type PageContext } from './context.js';
import { Layout } from './layout.js';

export function NotFoundPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx}>
      <h1 className="text-3xl font-bold">404</h1>
      <p className="mt-2 text-slate-700">{ctx.t('notFound.text')}</p>
      <p className="mt-4">
        <a href={href(ctx, '/models')} className="text-indigo-700 underline">
          {ctx.t('nav.models')}
        </a>
      </p>
    </Layout>
  );
}
