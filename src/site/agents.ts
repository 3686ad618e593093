import type { CardSource } from './views/cards.js';

/**
 * `/llms.txt` (llmstxt.org): what Pixapi is, then links to the Markdown page of every model
 * and to the API reference, so that an agent can integrate without parsing HTML.
 */
export function llmsTxt(baseUrl: string, cards: readonly CardSource[]): string {
  const price = (credits: number) => `from ${credits} credit${credits === 1 ? '' : 's'} per image`;
  return [
    '# Pixapi',
    '',
    '> Pixapi is a self-hostable, OpenAI-compatible image generation API: GPT Image, Nano Banana, FLUX and self-hosted models behind `POST /v1/images/generations` and `POST /v1/images/edits`, billed in credits per delivered image.',
    '',
    `Use the official OpenAI SDKs with \`baseURL: "${baseUrl}/v1"\` and a Pixapi key (\`Authorization: Bearer sk_pix_...\`). Long jobs: \`POST /v1/async/images/generations\`, then poll \`GET /v1/tasks/{id}\` or pass \`webhook_url\`. Errors have OpenAI's shape plus \`request_id\`.`,
    '',
    '## API reference',
    '',
    `- [OpenAPI 3.1 document](${baseUrl}/openapi.json): every endpoint with its request body, responses, errors and bearer security`,
    `- [Model list as JSON](${baseUrl}/v1/models): ids, capabilities, sizes, prices and availability`,
    '',
    '## Models',
    '',
    ...cards.map(
      (c) =>
        `- [${c.name}](${baseUrl}/models/${c.id}.md): \`${c.id}\`, ${c.capabilities.join(' and ')}, ${price(c.pricing.from_credits)}${c.available ? '' : ' (not configured on this server)'}. ${c.description}`,
    ),
    '',
    '## Optional',
    '',
    `- [API reference (HTML)](${baseUrl}/docs)`,
    `- [Model catalog (HTML)](${baseUrl}/models)`,
    '',
  ].join('\n');
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `sitemap.xml` with every page in English and its Spanish alternate. */
export function sitemapXml(baseUrl: string, cards: readonly CardSource[]): string {
  const paths = ['/', '/models', ...cards.map((c) => `/models/${c.id}`)];
  const entry = (path: string) => {
    const en = escapeXml(`${baseUrl}${path}`);
    const es = escapeXml(`${baseUrl}${path}?lang=es`);
    return [
      '  <url>',
      `    <loc>${en}</loc>`,
      `    <xhtml:link rel="alternate" hreflang="en" href="${en}"/>`,
      `    <xhtml:link rel="alternate" hreflang="es" href="${es}"/>`,
      '  </url>',
    ].join('\n');
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ...paths.map(entry),
    '</urlset>',
    '',
  ].join('\n');
}

export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nAllow: /\nDisallow: /v1/\nSitemap: ${baseUrl}/sitemap.xml\n`;
}
