import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { registerOpenApi } from '../src/http/openapi/register.js';
import { isApiRoute, OPERATIONS } from '../src/http/openapi/operations.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';

interface OpenApiDoc {
  openapi: string;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown[];
        responses: Record<string, { content?: { 'application/json'?: { schema: object } } }>;
      }
    >
  >;
}

let server: TestServer;
let doc: OpenApiDoc;
let key: string;
const ajv = new Ajv2020({ strict: false, validateFormats: false });

beforeAll(async () => {
  server = await startTestServer();
  key = (await server.account(100)).apiKey;
  const response = await fetch(`${server.url}/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as OpenApiDoc;
});
afterAll(async () => server?.close());

/** `GET /v1/tasks/{id}` for Fastify's `GET /v1/tasks/:id` (and the model wildcard). */
const documentedAs = (operation: string) =>
  operation.replace('/*', '/{id}').replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('documents every API route of the server, and nothing it does not serve', async () => {
    const app = buildApp(server.services);
    const routes: string[] = [];
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const m of methods)
        if (m !== 'HEAD' && isApiRoute(route.url)) routes.push(`${m} ${route.url}`);
    });
    await app.ready();
    await app.close();
    expect(routes.sort()).toEqual(Object.keys(OPERATIONS).sort());

    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(Object.keys(OPERATIONS).map(documentedAs).sort());
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('a server with an undocumented API route does not start', async () => {
    const app = Fastify();
    registerOpenApi(app);
    void app.register(async (api) => {
      api.get('/v1/undocumented', async () => ({}));
    });
    await expect(app.ready()).rejects.toThrow('GET /v1/undocumented has no OpenAPI operation');
  });

  it('operations with bearer security refuse a missing key, the others answer without one', async () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const url = path.replace('{id}', 'gpt-image-1.5').replace('{file}', 'ast_x.png');
        const response = await fetch(`${server.url}${url}`, { method: method.toUpperCase() });
        if (operation.security) expect([path, response.status]).toEqual([path, 401]);
        else expect([path, response.status]).not.toEqual([path, 401]);
      }
    }
  });

  it('/docs renders the same document from this origin', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    // Swagger UI's scripts and styles come from this server, never a CDN.
    expect(await page.text()).not.toMatch(/(src|href)="https?:/);
    const json = await fetch(`${server.url}/docs/json`).then((r) => r.json());
    expect(json).toEqual(doc);
  });
});

describe('real responses match their documented schemas', () => {
  const check = (method: string, path: string, status: number, body: unknown) => {
    const operation = doc.paths[path]?.[method];
    expect(operation, `${method} ${path} is documented`).toBeDefined();
    const schema = operation!.responses[String(status)]?.content?.['application/json']?.schema;
    expect(schema, `${method} ${path} documents ${status}`).toBeDefined();
    const validate = ajv.compile(schema!);
    expect(validate(body) ? [] : validate.errors, `${method} ${path} ${status}`).toEqual([]);
  };
  const call = async (
    method: string,
    documented: string,
    url: string,
    options: { body?: unknown; key?: string } = {},
  ) => {
    const response = await api(server.url, method, url, options);
    check(method.toLowerCase(), documented, response.status, response.body);
    return response;
  };

  it('models, images, tasks, account, usage, health and errors', async () => {
    await call('GET', '/v1/models', '/v1/models');
    await call('GET', '/v1/models/{id}', '/v1/models/nano-banana');
    await call('GET', '/v1/models/{id}', '/v1/models/no-such-model');

    const generation = { model: 'local-placeholder', prompt: 'A red fox' };
    const image = await call('POST', '/v1/images/generations', '/v1/images/generations', {
      key,
      body: { ...generation, response_format: 'b64_json', size: '64x64' },
    });
    expect(image.status).toBe(200);
    await call('POST', '/v1/images/generations', '/v1/images/generations', {
      key,
      body: { ...generation, size: '7x7' },
    });
    await call('POST', '/v1/images/generations', '/v1/images/generations', { body: generation });
    await call('POST', '/v1/images/estimate', '/v1/images/estimate', { key, body: generation });
    const b64 = (image.body as { data: Array<{ b64_json: string }> }).data[0]!.b64_json;
    const edit = { ...generation, image: `data:image/png;base64,${b64}` };
    expect(
      (await call('POST', '/v1/images/edits', '/v1/images/edits', { key, body: edit })).status,
    ).toBe(200);

    const task = await call(
      'POST',
      '/v1/async/images/generations',
      '/v1/async/images/generations',
      {
        key,
        body: generation,
      },
    );
    expect(task.status).toBe(202);
    const taskId = (task.body as { id: string }).id;
    await call('POST', '/v1/async/images/edits', '/v1/async/images/edits', { key, body: edit });
    await call('GET', '/v1/tasks/{id}', `/v1/tasks/${taskId}`, { key });
    await call('GET', '/v1/tasks', '/v1/tasks', { key });
    await call('POST', '/v1/tasks/{id}/cancel', `/v1/tasks/${taskId}/cancel`, { key });
    await call('GET', '/v1/tasks/{id}', '/v1/tasks/task_nope', { key });

    await call('GET', '/v1/account', '/v1/account', { key });
    await call('POST', '/v1/account/webhook-secret/rotate', '/v1/account/webhook-secret/rotate', {
      key,
    });
    await call('GET', '/v1/usage', '/v1/usage', { key });
    await call('GET', '/healthz', '/healthz');
    await call('GET', '/readyz', '/readyz');
  });

  it('billing and the admin credit tools', async () => {
    const admin = server.adminKey;
    const { accountId } = await server.account(0);
    await call('GET', '/v1/billing/packs', '/v1/billing/packs', { key });
    await call('POST', '/v1/billing/checkout', '/v1/billing/checkout', { key, body: {} });
    const code = await call('POST', '/v1/admin/codes', '/v1/admin/codes', {
      key: admin,
      body: { credits: 2, note: 'docs' },
    });
    expect(code.status).toBe(201);
    await call('GET', '/v1/admin/codes', '/v1/admin/codes', { key: admin });
    const redeem = await call('POST', '/v1/billing/redeem', '/v1/billing/redeem', {
      key,
      body: { code: (code.body as { code: string }).code },
    });
    expect(redeem.status).toBe(200);
    await call('POST', '/v1/billing/redeem', '/v1/billing/redeem', { key, body: { code: 'NOPE' } });
    await call('GET', '/v1/billing/history', '/v1/billing/history', { key });
    await call('GET', '/v1/billing/checkout/{id}', '/v1/billing/checkout/cs_nope', { key });
    const credits = '/v1/admin/accounts/{accountId}/credits';
    const creditsUrl = `/v1/admin/accounts/${accountId}/credits`;
    await call('POST', credits, creditsUrl, { key: admin, body: { amount: 1, note: 'docs' } });
    const tooMuch = await call('POST', credits, creditsUrl, {
      key: admin,
      body: { amount: -5, note: 'docs' },
    });
    expect(tooMuch.status).toBe(409);
    await call('POST', credits, creditsUrl, { key, body: { amount: 1, note: 'docs' } });
    await call('POST', '/v1/billing/stripe/webhook', '/v1/billing/stripe/webhook', { body: {} });
  });
});
