import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { createMcpServer } from '../../mcp/tools.js';
import { PixapiError } from '../../errors.js';
import type { KeyGuard } from '../plugins.js';
import { EDIT_JSON_LIMIT } from './images-edits.js';

const VERSION = '0.1.0';

/**
 * `POST /mcp`: an MCP server over Streamable HTTP for agents, authenticated by the API key as a
 * Bearer token. Stateless: each request gets its own server and transport, so any process of a
 * scale-out deployment answers any call.
 */
export function mcpRoute(app: FastifyInstance, guard: KeyGuard): void {
  // Tool calls may carry edit inputs as data URLs, as JSON edits do.
  app.post('/mcp', { onRequest: guard, bodyLimit: EDIT_JSON_LIMIT }, async (request, reply) => {
    const authorization = request.headers.authorization ?? '';
    const server = createMcpServer(async (method, url, body) => {
      const res = await app.inject({
        method,
        url,
        headers: {
          authorization,
          'x-request-id': request.id,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: res.statusCode, body: res.json() };
    }, VERSION);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  // Stateless: no server-initiated stream to open, no session to end.
  app.route({
    method: ['GET', 'DELETE'],
    url: '/mcp',
    handler: async () => {
      throw new PixapiError({
        code: 'method_not_allowed',
        message: 'This MCP endpoint is stateless: use POST.',
        headers: { allow: 'POST' },
      });
    },
  });
}
