import * as Tabs from '@radix-ui/react-tabs';
import { Code, CopyButton } from '../../ui/copy-button.js';

function curl(origin: string, path: string, body: Record<string, unknown>, files: File[]): string {
  const head = [`curl ${origin}${path} \\`, '  -H "Authorization: Bearer $PIXAPI_KEY" \\'];
  if (files.length > 0) {
    const fields = Object.entries(body).map(
      ([k, v]) => `  -F ${JSON.stringify(`${k}=${String(v)}`)} \\`,
    );
    const uploads = files.map((f) => `  -F "image[]=@${f.name}"`);
    return [...head, ...fields, ...uploads].join('\n').replace(/ \\$/, '');
  }
  return [
    ...head,
    '  -H "Content-Type: application/json" \\',
    `  -d '${JSON.stringify(body).replace(/'/g, "'\\''")}'`,
  ].join('\n');
}

function javascript(origin: string, body: Record<string, unknown>, edit: boolean): string {
  const call = edit ? 'images.edit' : 'images.generate';
  return [
    "import OpenAI from 'openai';",
    '',
    `const client = new OpenAI({ baseURL: '${origin}/v1', apiKey: process.env.PIXAPI_KEY });`,
    `const result = await client.${call}(${JSON.stringify(body, null, 2)});`,
    'console.log(result.data);',
  ].join('\n');
}

const TAB =
  'px-3 py-1.5 text-sm font-medium text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600 data-[state=active]:border-b-2 data-[state=active]:border-indigo-600 data-[state=active]:text-indigo-800';

/** The same request in code, to copy into a project. */
export function CodeSample({
  body,
  files,
  edit,
}: {
  body: Record<string, unknown>;
  files: File[];
  edit: boolean;
}) {
  const origin = window.location.origin;
  const path = edit ? '/v1/images/edits' : '/v1/images/generations';
  const samples = { curl: curl(origin, path, body, files), js: javascript(origin, body, edit) };
  return (
    <Tabs.Root defaultValue="curl">
      <Tabs.List aria-label="Code language" className="mb-2 flex gap-1 border-b border-slate-200">
        <Tabs.Trigger value="curl" className={TAB}>
          curl
        </Tabs.Trigger>
        <Tabs.Trigger value="js" className={TAB}>
          JavaScript
        </Tabs.Trigger>
      </Tabs.List>
      {(['curl', 'js'] as const).map((lang) => (
        <Tabs.Content key={lang} value={lang} className="space-y-2">
          <Code code={samples[lang]} label={`${lang === 'js' ? 'JavaScript' : 'curl'} code`} />
          <CopyButton text={samples[lang]} label="Copy code" />
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}
