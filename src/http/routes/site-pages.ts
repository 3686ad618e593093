import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.js';
import { loadWebAssets } from '../../site/assets.js';
import { pickLocale } from '../../site/i18n/locale.js';
import { Site } from '../../site/site.js';

type PageRequest = FastifyRequest<{
  Querystring: Record<string, unknown>;
  Params: { '*': string };
}>;

function html(reply: FastifyReply, body: string, status = 200) {
  // The language follows Accept-Language, so shared caches must key on it.
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('vary', 'accept-language')
    .header('cache-control', 'no-cache')
    .send(body);
}

function text(reply: FastifyReply, type: string, body: string) {
  return reply
    .header('content-type', `${type}; charset=utf-8`)
    .header('vary', 'accept-language')
    .header('cache-control', 'no-cache')
    .send(body);
}

const localeOf = (request: PageRequest) =>
  pickLocale(request.query.lang, request.headers['accept-language']);

/** Keeps `?lang=` on redirects, so that a shared link opens in the language it was shared in. */
function withLang(request: PageRequest, path: string): string {
  const lang = request.query.lang;
  return typeof lang === 'string' && lang !== ''
    ? `${path}?lang=${encodeURIComponent(lang)}`
    : path;
}

/** What sitePageRoutes uses of the services. */
export type SitePageDeps = Pick<Services, 'catalog' | 'publicUrl'>;

/** The server-rendered public pages: landing, catalog and one page per catalog model. */
export function sitePageRoutes(app: FastifyInstance, services: SitePageDeps): Site {
  const site = new Site({
    catalog: services.catalog,
    assets: loadWebAssets(),
    baseUrl: services.publicUrl,
  });

  app.get('/', async (request: PageRequest, reply) => html(reply, site.landing(localeOf(request))));

  app.get('/models', async (request: PageRequest, reply) =>
    html(reply, site.catalogPage(localeOf(request), request.query)),
  );

  // Model ids may contain slashes; aliases redirect to the canonical id; `.md` is the
  // Markdown twin of the page.
  app.get('/models/*', async (request: PageRequest, reply) => {
    const path = request.params['*'];
    const markdown = !services.catalog.find(path) && path.endsWith('.md');
    const name = markdown ? path.slice(0, -3) : path;
    const model = services.catalog.find(name);
    if (!model) {
      return html(reply, site.notFound(localeOf(request), `/models/${name}`), 404);
    }
    const suffix = markdown ? '.md' : '';
    if (model.id !== name) {
      return reply.redirect(withLang(request, `/models/${model.id}${suffix}`), 301);
    }
    if (markdown) {
      return text(reply, 'text/markdown', site.modelMarkdown(model, localeOf(request)));
    }
    return html(reply, site.modelPage(model, localeOf(request)));
  });

  app.get('/llms.txt', async (_request, reply) => text(reply, 'text/plain', site.llms()));
  app.get('/sitemap.xml', async (_request, reply) =>
    text(reply, 'application/xml', site.sitemap()),
  );
  app.get('/robots.txt', async (_request, reply) => text(reply, 'text/plain', site.robots()));

  return site;
}
