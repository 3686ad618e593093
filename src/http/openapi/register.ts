import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { isApiRoute, OPERATIONS } from './operations.js';

const DESCRIPTION =
  'OpenAI-compatible image generation and editing, paid per delivered image in credits. ' +
  'Authenticate with `Authorization: Bearer sk_pix_...`. Errors have OpenAI’s shape plus ' +
  '`request_id`. Model pages: /models.';

/** Swagger UI's method badges and small print, darkened to a 4.5:1 contrast ratio. */
const CONTRAST_CSS = `
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #1a7f4e; }
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1d5fa8; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b42318; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #8a4b00; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #8a4b00; }
.swagger-ui .info .title small pre, .swagger-ui .info .title small.version-stamp { background: #3b4151; }
.swagger-ui .info .title small.version-stamp pre { color: #fff; }
.swagger-ui .info a.link, .swagger-ui .info .url { color: #1d4ed8; }
.swagger-ui .btn.authorize { color: #1a7f4e; border-color: #1a7f4e; }
.swagger-ui .btn.authorize svg { fill: #1a7f4e; }
`;

/** Fastify's URL for the wildcard model route, as OpenAPI shows it. */
const PUBLIC_URLS: Record<string, string> = { '/v1/models/*': '/v1/models/:id' };

/**
 * The OpenAPI 3.1 document at `/openapi.json` and Swagger UI at `/docs` (served from this
 * origin). Must be called before the routes are added: it watches them as they register, and
 * a `/v1` route without a documented operation stops the server at start.
 */
export function registerOpenApi(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!isApiRoute(route.url)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD' && !OPERATIONS[`${method} ${route.url}`]) {
        throw new Error(`${method} ${route.url} has no OpenAPI operation in operations.ts`);
      }
    }
  });

  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Pixapi', version: '1', description: DESCRIPTION },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A Pixapi API key.' },
          cookieAuth: {
            type: 'apiKey',
            in: 'cookie',
            name: 'pixapi_session',
            description:
              'The dashboard session (sign in at /v1/auth/sign-in); writes also need the x-pixapi-csrf header.',
          },
        },
      },
      tags: [
        'Images',
        'Tasks',
        'Models',
        'Account',
        'Billing',
        'Keys',
        'People',
        'Assets',
        'Health',
        'Admin',
      ].map((name) => ({ name })),
    },
    hideUntagged: true,
    // The documentation of a route is its entry in OPERATIONS; pages and assets stay out.
    transform: ({ url, route }) => {
      const method = Array.isArray(route.method) ? route.method[0] : route.method;
      const operation = OPERATIONS[`${method} ${url}`];
      return { schema: operation ?? { hide: true }, url: PUBLIC_URLS[url] ?? url };
    },
  });

  void app.register(swaggerUi, {
    routePrefix: '/docs',
    // Without the top bar (a URL box and logo) and deep-link anchors nested in buttons: both
    // fail accessibility checks, and the reference needs neither.
    uiConfig: { layout: 'BaseLayout', deepLinking: false, defaultModelsExpandDepth: 0 },
    theme: {
      title: 'Pixapi API reference',
      css: [{ filename: 'contrast.css', content: CONTRAST_CSS }],
    },
  });

  app.get('/openapi.json', async () => app.swagger());
}
