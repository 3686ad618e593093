import type { ModelSpec } from '../../catalog/schema.js';

export interface CodeSample {
  kind: 'curl' | 'js' | 'python' | 'async';
  language: 'sh' | 'js' | 'python';
  code: string;
}

const PROMPT = 'A lighthouse at dawn, soft light';

/**
 * Quick-start samples for one model, calling this server's base URL with the key in
 * `PIXAPI_KEY`. The test suite runs the curl and JavaScript ones against a real server, so
 * they must stay runnable as printed.
 */
export function codeSamples(model: ModelSpec, baseUrl: string): CodeSample[] {
  const api = `${baseUrl}/v1`;
  const body = { model: model.id, prompt: PROMPT, size: model.sizes.auto };
  const json = JSON.stringify(body);
  const curl = [
    `curl ${api}/images/generations \\`,
    `  -H "Authorization: Bearer $PIXAPI_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${json}'`,
  ].join('\n');
  const js = [
    `import OpenAI from 'openai';`,
    ``,
    `const client = new OpenAI({ apiKey: process.env.PIXAPI_KEY, baseURL: '${api}' });`,
    `const result = await client.images.generate({`,
    `  model: '${model.id}',`,
    `  prompt: '${PROMPT}',`,
    `  size: '${model.sizes.auto}',`,
    `});`,
    `console.log(result.data[0].url);`,
  ].join('\n');
  const python = [
    `import os`,
    `from openai import OpenAI`,
    ``,
    `client = OpenAI(api_key=os.environ["PIXAPI_KEY"], base_url="${api}")`,
    `result = client.images.generate(`,
    `    model="${model.id}",`,
    `    prompt="${PROMPT}",`,
    `    size="${model.sizes.auto}",`,
    `)`,
    `print(result.data[0].url)`,
  ].join('\n');
  const asyncJs = [
    `const headers = {`,
    '  Authorization: `Bearer ${process.env.PIXAPI_KEY}`,',
    `  'Content-Type': 'application/json',`,
    `};`,
    `const submitted = await fetch('${api}/async/images/generations', {`,
    `  method: 'POST',`,
    `  headers,`,
    `  body: JSON.stringify(${json}),`,
    `});`,
    `let task = await submitted.json();`,
    `// Poll until the task is finished (or pass "webhook_url" to be called back instead).`,
    `while (!['completed', 'failed', 'canceled'].includes(task.status)) {`,
    `  await new Promise((resolve) => setTimeout(resolve, 1000));`,
    '  task = await (await fetch(`' + api + '/tasks/${task.id}`, { headers })).json();',
    `}`,
    `console.log(task.status, task.result?.data[0].url);`,
  ].join('\n');
  return [
    { kind: 'curl', language: 'sh', code: curl },
    { kind: 'js', language: 'js', code: js },
    { kind: 'python', language: 'python', code: python },
    { kind: 'async', language: 'js', code: asyncJs },
  ];
}
