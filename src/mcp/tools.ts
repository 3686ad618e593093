import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** One call of Pixapi's own HTTP API, as the MCP caller (same key, same account). */
export type ApiCall = (
  method: 'GET' | 'POST',
  path: string,
  body?: Record<string, unknown>,
) => Promise<{ status: number; body: unknown }>;

const imageFields = {
  model: z.string().describe('a model id of list_models, e.g. local-placeholder'),
  prompt: z.string().describe('what to draw (1 to 32,000 characters)'),
  n: z.number().int().min(1).max(10).optional().describe('number of images, default 1'),
  size: z.string().optional().describe('"auto" or WIDTHxHEIGHT among the model\'s sizes'),
  quality: z.string().optional().describe("one of the model's qualities"),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  response_format: z
    .enum(['url', 'b64_json'])
    .optional()
    .describe('default url here: base64 images are large for a model context'),
};
const editFields = {
  image: z
    .union([z.string(), z.array(z.string())])
    .describe(
      'the input image: a URL (an output of this server works) or a data: URL, or up to 16',
    ),
  mask: z.string().optional().describe('a mask image URL: transparent where to edit'),
};

// Every field of the HTTP endpoints is accepted and validated there, not only those listed.
const looseObject = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

function answer(res: { status: number; body: unknown }): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(res.body) }],
    ...(res.status >= 400 ? { isError: true } : {}),
  };
}

const urlsByDefault = (args: Record<string, unknown>) => ({
  ...args,
  response_format: args.response_format ?? 'url',
});

/**
 * The MCP server of one request: each tool is a call of its HTTP twin, made in-process with the
 * caller's key, so that validation, idempotency and charging are those of the HTTP API (one
 * code path). Results are the HTTP answers as JSON text; HTTP errors are tool errors.
 */
export function createMcpServer(call: ApiCall, version: string): McpServer {
  const server = new McpServer({ name: 'pixapi', version });
  server.registerTool(
    'list_models',
    {
      description: 'The image models, their sizes, qualities and prices, and which are available.',
      annotations: { readOnlyHint: true },
    },
    async () => answer(await call('GET', '/v1/models')),
  );
  server.registerTool(
    'generate_image',
    {
      description:
        'Generate images from a prompt (POST /v1/images/generations). Charged like the HTTP call.',
      inputSchema: looseObject(imageFields),
    },
    async (args) => answer(await call('POST', '/v1/images/generations', urlsByDefault(args))),
  );
  server.registerTool(
    'edit_image',
    {
      description: 'Edit images with a prompt (POST /v1/images/edits). Charged like the HTTP call.',
      inputSchema: looseObject({ ...imageFields, ...editFields }),
    },
    async (args) => answer(await call('POST', '/v1/images/edits', urlsByDefault(args))),
  );
  server.registerTool(
    'submit_task',
    {
      description:
        'Submit a generation, or an edit when `image` is given, as an asynchronous task; poll it with get_task.',
      inputSchema: looseObject({
        ...imageFields,
        image: editFields.image.optional(),
        mask: editFields.mask,
        webhook_url: z.string().optional().describe('called back when the task ends'),
      }),
    },
    async (args) => {
      const isEdit = args.image !== undefined || args.mask !== undefined;
      const path = isEdit ? '/v1/async/images/edits' : '/v1/async/images/generations';
      return answer(await call('POST', path, args));
    },
  );
  server.registerTool(
    'get_task',
    {
      description: "A task's status, progress and, once completed, its result with image URLs.",
      inputSchema: { id: z.string().describe('the task id (task_...)') },
      annotations: { readOnlyHint: true },
    },
    async ({ id }) => answer(await call('GET', `/v1/tasks/${encodeURIComponent(id)}`)),
  );
  server.registerTool(
    'get_balance',
    {
      description: 'The credits of the account: balance, held by running requests, available.',
      annotations: { readOnlyHint: true },
    },
    async () => {
      const res = await call('GET', '/v1/account');
      if (res.status >= 400) return answer(res);
      const { id, balance, held, available } = res.body as Record<string, unknown>;
      return answer({ status: res.status, body: { account_id: id, balance, held, available } });
    },
  );
  return server;
}
