import type { FastifyInstance, FastifyReply } from 'fastify';
import { DASHBOARD_ENTRY, loadWebAssets } from '../../site/assets.js';
import { dashboardDocument } from '../../site/dashboard-document.js';

const MAIL_LINKS = ['/invite', '/reset-password', '/verify-email'];

/**
 * The dashboard, a single-page app: /dashboard and every path under it answer with the same
 * document, and the app shows the page the path names (sign-in, keys, usage...). Its data comes
 * from the JSON API under /v1.
 */
export function dashboardPageRoutes(app: FastifyInstance): void {
  const body = dashboardDocument(loadWebAssets(DASHBOARD_ENTRY));
  const send = (_request: unknown, reply: FastifyReply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      // The dashboard shows secrets (new API keys, webhook secrets): no framing by other sites.
      .header('x-frame-options', 'DENY')
      .header('content-security-policy', "frame-ancestors 'none'")
      .send(body);
  app.get('/dashboard', send);
  app.get('/dashboard/*', send);
  // Mails link these short paths (docs/dashboard-api.md); the pages live in the dashboard.
  for (const path of MAIL_LINKS) {
    app.get(path, async (request, reply) => {
      const query = request.url.indexOf('?');
      return reply.redirect(`/dashboard${path}${query >= 0 ? request.url.slice(query) : ''}`, 302);
    });
  }
}
