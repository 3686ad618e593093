import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_GEMINI_KEY, startFakeGemini, type FakeGemini } from './fakes/gemini/index.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai/index.js';
import { runCli } from './helpers/cli.js';

/**
 * `pixapi models check` (the compiled CLI) against the fakes' model lists: OpenAI's
 * `GET /v1/models` with its `shutdown_date`, Gemini's paginated `models.list`.
 */

describe('pixapi models check', () => {
  let openai: FakeOpenAI;
  let gemini: FakeGemini;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // OpenAI as of 2026-11-20: gpt-image-1-mini still answers, with its shutdown announced.
    openai = await startFakeOpenAI({ now: () => Date.parse('2026-11-20T00:00:00Z') });
    gemini = await startFakeGemini({ listPageSize: 2 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixapi-check-'));
    const catalog = path.join(dataDir, 'catalog.yaml');
    const model = (id: string, provider: string, upstream: string) => [
      `  - id: ${id}`,
      `    name: ${id}`,
      '    description: An operator model without lifecycle data.',
      '    owned_by: acme',
      '    capabilities: [text-to-image]',
      `    routes: [{ provider: ${provider}, model: ${upstream} }]`,
      '    sizes: { auto: 1024x1024, list: [{ size: 1024x1024, tier: 1K }] }',
      '    qualities: [auto]',
      '    pricing: { rules: [{ credits: 1 }] }',
    ];
    fs.writeFileSync(
      catalog,
      [
        'models:',
        ...model('house-mini', 'openai', 'gpt-image-1-mini'),
        ...model('house-pro-preview', 'gemini', 'gemini-3-pro-image-preview'),
      ].join('\n'),
    );
    env = {
      PIXAPI_DATA_DIR: dataDir,
      PIXAPI_CATALOG: catalog,
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.url,
      GEMINI_API_KEY: FAKE_GEMINI_KEY,
      GEMINI_BASE_URL: gemini.url,
    };
  });
  afterAll(async () => {
    await openai?.close();
    await gemini?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports scheduled shutdowns and missing ids, and the routes that are fine', async () => {
    const result = await runCli(['models', 'check', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      routes: Array<Record<string, unknown>>;
      problems: number;
    };
    const byModel = new Map(report.routes.map((r) => [`${String(r.model)}`, r]));
    expect(byModel.get('house-mini')).toMatchObject({
      provider: 'openai',
      upstream_model: 'gpt-image-1-mini',
      status: 'shutdown_scheduled',
      shutdown_date: '2026-12-01',
    });
    expect(byModel.get('house-pro-preview')).toMatchObject({
      provider: 'gemini',
      status: 'missing',
    });
    // The built-in routes that serve today are in the lists.
    for (const id of [
      'gpt-image-2',
      'gemini-3-pro-image',
      'gemini-3.1-flash-image',
      'gemini-2.5-flash-image',
    ]) {
      expect(byModel.get(id)?.status, id).toBe('ok');
    }
    expect(byModel.get('flux-2-pro')).toMatchObject({ status: 'not_configured' });
    // Models shut down in the catalog are not checked: their routes are never called.
    expect(byModel.has('dall-e-3')).toBe(false);
    expect(report.problems).toBe(2);
    // Gemini's list was read page by page with the key; OpenAI's with the bearer token.
    const pages = gemini.requests.filter((r) => r.path === '/v1beta/models');
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.every((r) => r.headers['x-goog-api-key'] === FAKE_GEMINI_KEY)).toBe(true);
    const lists = openai.requests.filter((r) => r.path === '/v1/models');
    expect(lists).toHaveLength(1);

    const human = await runCli(['models', 'check'], env);
    expect(human.stdout).toMatch(
      /shutdown_scheduled +house-mini \(openai\/gpt-image-1-mini\) shuts down 2026-12-01/,
    );
    expect(human.stdout).toMatch(
      /missing +house-pro-preview \(gemini\/gemini-3-pro-image-preview\)/,
    );
  });

  it('reports a refused key as a failed list, not as missing models', async () => {
    const result = await runCli(['models', 'check', '--json'], {
      ...env,
      OPENAI_API_KEY: 'sk-wrong-key-000000000000',
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { routes: Array<Record<string, unknown>> };
    const openaiRoutes = report.routes.filter((r) => r.provider === 'openai');
    expect(openaiRoutes.length).toBeGreaterThan(0);
    for (const route of openaiRoutes) {
      expect(route.status).toBe('list_failed');
      expect(String(route.error)).toContain('refused');
      expect(String(route.error)).not.toContain('sk-wrong');
    }
  });
});
