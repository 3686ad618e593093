import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { eventually } from './helpers/tasks.js';

/** The MCP server at /mcp, driven by the MCP SDK's own client over Streamable HTTP. */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: 'pixapi-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const [first] = result.content;
  expect(first?.type).toBe('text');
  return {
    isError: result.isError === true,
    body: JSON.parse((first as { text: string }).text) as Record<string, unknown>,
  };
}

const balance = async (key: string) =>
  (await api(server.url, 'GET', '/v1/account', { key })).body.balance as number;

describe('MCP at /mcp', () => {
  it('lists the six tools', async () => {
    const client = await connect(server.adminKey);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'edit_image',
        'generate_image',
        'get_balance',
        'get_task',
        'list_models',
        'submit_task',
      ].sort(),
    );
    const models = await call(client, 'list_models');
    expect((models.body.data as Array<{ id: string }>).map((m) => m.id)).toContain(
      'local-placeholder',
    );
    await client.close();
  });

  it('generate_image and edit_image are charged exactly like their HTTP twins', async () => {
    const account = await server.account(10);
    const client = await connect(account.apiKey);
    const generated = await call(client, 'generate_image', {
      model: 'local-placeholder',
      prompt: 'a fox',
      size: '256x256',
      n: 2,
    });
    expect(generated.isError).toBe(false);
    const data = generated.body.data as Array<{ url: string; b64_json?: string }>;
    expect(data).toHaveLength(2);
    expect(data[0]!.b64_json).toBeUndefined();
    expect(generated.body.billing).toEqual({ images: 2, credits: 2 });
    expect(await balance(account.apiKey)).toBe(8);

    const edited = await call(client, 'edit_image', {
      model: 'local-placeholder',
      prompt: 'add a hat',
      size: '256x256',
      image: data[0]!.url,
    });
    expect(edited.isError, JSON.stringify(edited.body)).toBe(false);
    expect(edited.body.billing).toEqual({ images: 1, credits: 1 });

    const wallet = await call(client, 'get_balance');
    expect(wallet.body).toMatchObject({ account_id: account.accountId, balance: 7, held: 0 });
    await client.close();
  });

  it('submit_task and get_task: the task completes and is charged once', async () => {
    const account = await server.account(5);
    const client = await connect(account.apiKey);
    const submitted = await call(client, 'submit_task', {
      model: 'local-placeholder',
      prompt: 'a lighthouse',
      size: '256x256',
    });
    expect(submitted.body).toMatchObject({ object: 'image.task', status: 'submitted' });
    const done = await eventually(async () => {
      const task = await call(client, 'get_task', { id: submitted.body.id });
      return task.body.status === 'completed' ? task.body : undefined;
    });
    expect((done.result as { billing: unknown }).billing).toEqual({ images: 1, credits: 1 });
    expect(await balance(account.apiKey)).toBe(4);
    await client.close();
  });

  it('errors are tool errors in the API’s shape, charging nothing', async () => {
    const account = await server.account(0);
    const client = await connect(account.apiKey);
    const poor = await call(client, 'generate_image', { model: 'local-placeholder', prompt: 'x' });
    expect(poor.isError).toBe(true);
    expect(poor.body.error).toMatchObject({ code: 'insufficient_credits' });
    const unknown = await call(client, 'get_task', { id: 'task_nope' });
    expect(unknown.isError).toBe(true);
    await client.close();
  });

  it('refuses a missing or wrong key with 401', async () => {
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    await expect(connect('sk_pix_wrong')).rejects.toThrow();
  });
});
