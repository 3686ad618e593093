import { describe, expect, it } from 'vitest';
import {
  AZURE_FAKE_API_VERSION,
  AZURE_FAKE_KEY,
  startFakeAzureOpenAI,
} from '../fakes/azure-openai/index.js';
import { dataUrl } from '../helpers/provider-e2e-inputs.js';
import { useProviderE2E } from '../helpers/provider-e2e-setup.js';
import { allowPortOf } from '../helpers/provider-e2e.js';

/**
 * Azure OpenAI image deployments through the real server (OpenAI's adapter with Azure's path,
 * api-version and api-key), against a fake Azure resource. The operator adds the model in a
 * catalog file; its route names the deployment.
 */

const e2e = useProviderE2E({
  startFake: () => startFakeAzureOpenAI(['gpt-image-1']),
  inputs: true,
  catalog: [
    {
      id: 'azure-gpt-image-1',
      name: 'GPT Image 1 on Azure',
      description: 'Our Azure deployment.',
      owned_by: 'openai',
      capabilities: '[text-to-image, image-to-image]',
      routes: '[{ provider: azure-openai, model: gpt-image-1 }]',
      sizes: '{ auto: 1024x1024, list: [{ size: 1024x1024, tier: 1K }] }',
      qualities: '[auto, low]',
      pricing: '{ rules: [{ credits: 2 }] }',
    },
  ],
  env: ({ fake, host, catalog }) => ({
    AZURE_OPENAI_ENDPOINT: fake.url,
    AZURE_OPENAI_API_KEY: AZURE_FAKE_KEY,
    PIXAPI_CATALOG: catalog,
    PIXAPI_OUTBOUND_ALLOW: `${allowPortOf(fake.url)},${host.allow}`,
  }),
});

const MODEL = { model: 'azure-gpt-image-1', prompt: 'a lighthouse' };

describe('azure-openai', () => {
  it('posts to the deployment with api-version and api-key; WebP is asked as PNG and converted', async () => {
    const res = await e2e.generate({
      ...MODEL,
      n: 2,
      output_format: 'webp',
      response_format: 'url',
    });
    await e2e.expectServed(res, { n: 2, width: 1024, height: 1024, credits: 4, format: 'webp' });
    const [sent] = e2e.fake.requests;
    expect(sent!.path).toBe('/openai/deployments/gpt-image-1/images/generations');
    expect(sent!.query.get('api-version')).toBe(AZURE_FAKE_API_VERSION);
    expect(sent!.headers['api-key']).toBe(AZURE_FAKE_KEY);
    expect(sent!.headers.authorization).toBeUndefined();
    expect(sent!.body).toMatchObject({ model: 'gpt-image-1', n: 2, output_format: 'png' });
  });

  it('edits are multipart to the deployment', async () => {
    const res = await e2e.edit({ ...MODEL, image: dataUrl(e2e.inputs.red) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [sent] = e2e.fake.requests;
    expect(sent!.path).toBe('/openai/deployments/gpt-image-1/images/edits');
    expect(sent!.files.map((f) => f.field)).toEqual(['image[]']);
    await e2e.expectCharged(2);
  });

  it('a content filter refusal → 400 content_policy_violation, not retried, not charged', async () => {
    const res = await e2e.generate({ ...MODEL, prompt: 'something forbidden' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'content_policy_violation' });
    expect(e2e.fake.requests).toHaveLength(1);
    await e2e.expectCharged(0);
  });
});
