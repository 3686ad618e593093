import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { api, startTestServer, type TestServer } from './helpers/server.js';
import { waitForTask } from './helpers/tasks.js';

/** A span as OTLP/HTTP JSON carries it, with its attributes flattened. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  service: unknown;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
type OtlpAttributes = Array<{ key: string; value: OtlpValue }>;
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttributes };
    scopeSpans: Array<{
      spans: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes: OtlpAttributes;
      }>;
    }>;
  }>;
}

const flat = (attributes: OtlpAttributes) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue,
    ]),
  );

/** An OTLP/HTTP receiver on loopback: what a collector on `/v1/traces` would be sent. */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport;
      for (const rs of body.resourceSpans) {
        const service = flat(rs.resource.attributes)['service.name'];
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              name: s.name,
              attributes: flat(s.attributes),
              service,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let receiver: Receiver;
let openai: FakeOpenAI;
let server: TestServer | undefined;

beforeAll(async () => {
  receiver = await startReceiver();
  openai = await startFakeOpenAI();
});
afterAll(async () => {
  await server?.close();
  await openai?.close();
  await receiver?.close();
});

/** The spans of one trace, by name, each with its parent's name. */
function traceOf(traceId: string) {
  const spans = receiver.spans.filter((s) => s.traceId === traceId);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  return spans.map((s) => ({
    ...s,
    parent: s.parentSpanId ? (byId.get(s.parentSpanId)?.name ?? 'remote') : undefined,
  }));
}

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  it('one trace per request and per task, with phase and attempt spans, sent to the upstream', async () => {
    server = await startTestServer({
      env: {
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'pixapi-under-test',
      },
    });
    const { apiKey } = await server.account(100);
    // A client's own trace is continued, not replaced.
    const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    openai.script({ type: 'server_error', status: 500 }, 1);
    const sync = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        traceparent: `00-${clientTrace}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ model: 'gpt-image-2.6-flare', prompt: 'secret', quality: 'low' }),
    });
    expect(sync.status).toBe(200);
    const task = await api(server.url, 'POST', '/v1/async/images/generations', {
      key: apiKey,
      body: { model: 'local-placeholder', prompt: 'p', size: '64x64' },
    });
    expect(task.status).toBe(202);
    await waitForTask(server.url, apiKey, String(task.body.id));
    // Closing flushes the spans still batched.
    await server.close();
    server = undefined;

    expect(receiver.paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    const request = traceOf(clientTrace);
    const root = request.find((s) => s.name === 'POST /v1/images/generations')!;
    expect(root).toMatchObject({ parent: 'remote', service: 'pixapi-under-test' });
    expect(root.attributes).toMatchObject({
      'http.route': '/v1/images/generations',
      'http.response.status_code': 200,
    });
    for (const phase of ['auth', 'limits', 'hold', 'provider', 'checks', 'storage', 'capture']) {
      expect(
        request.find((s) => s.name === phase),
        phase,
      ).toMatchObject({ parent: 'POST /v1/images/generations' });
    }
    // The first attempt failed (500) and was retried on the same route.
    const attempts = request.filter((s) => s.name === 'provider.attempt');
    expect(attempts.map((s) => s.attributes)).toEqual([
      expect.objectContaining({
        'pixapi.model': 'gpt-image-2.6-flare',
        'pixapi.provider': 'openai',
        'pixapi.route': 'openai/gpt-image-2.6-flare',
        'pixapi.attempt': 1,
        'pixapi.outcome': 'retryable',
      }),
      expect.objectContaining({ 'pixapi.attempt': 2, 'pixapi.outcome': 'success' }),
    ]);
    expect(attempts.every((s) => s.parent === 'provider')).toBe(true);
    // Each upstream call is a client span under its attempt, and OpenAI was sent its context.
    const calls = request.filter((s) => s.parent === 'provider.attempt');
    expect(calls).toHaveLength(2);
    const sent = openai.requests.filter((r) => r.path === '/v1/images/generations');
    expect(sent.map((r) => r.headers.traceparent)).toEqual(
      calls.map((c) => `00-${clientTrace}-${c.spanId}-01`),
    );
    // No prompt in any span.
    expect(JSON.stringify(receiver.spans)).not.toContain('secret');

    // The task runs in the worker as a child of the request that submitted it.
    const submit = receiver.spans.find((s) => s.name === 'POST /v1/async/images/generations')!;
    const taskTrace = traceOf(submit.traceId);
    const run = taskTrace.find((s) => s.name === 'task.run')!;
    expect(run).toMatchObject({ parent: 'POST /v1/async/images/generations' });
    expect(run.attributes).toMatchObject({ 'pixapi.task_id': task.body.id, 'pixapi.delivery': 1 });
    for (const phase of ['hold', 'provider', 'storage', 'capture']) {
      expect(
        taskTrace.some((s) => s.name === phase),
        phase,
      ).toBe(true);
    }
  });

  it('off without OTEL_EXPORTER_OTLP_ENDPOINT: nothing is sent, no traceparent upstream', async () => {
    openai.reset();
    const before = receiver.spans.length;
    server = await startTestServer({
      env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.url },
    });
    expect(server.services.tracing).toBe(false);
    const { apiKey } = await server.account(100);
    const res = await api(server.url, 'POST', '/v1/images/generations', {
      key: apiKey,
      body: { model: 'gpt-image-2.6-flare', prompt: 'p', quality: 'low' },
    });
    expect(res.status).toBe(200);
    await server.close();
    server = undefined;
    expect(receiver.spans.length).toBe(before);
    expect(openai.requests.every((r) => r.headers.traceparent === undefined)).toBe(true);
  });
});
