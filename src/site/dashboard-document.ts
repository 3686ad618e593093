import type { WebAssets } from './assets.js';

/** The element the dashboard app (web/src/dashboard) renders into. */
export const DASHBOARD_ROOT = 'dashboard';

/**
 * The dashboard's HTML: one document for every path under /dashboard, whose app picks the page
 * from the URL. Without the built bundle it says how to build it instead of showing a blank page.
 */
export function dashboardDocument(assets: WebAssets | undefined): string {
  const tags = [
    ...(assets?.styles ?? []).map((href) => `<link rel="stylesheet" href="${href}">`),
    ...(assets?.scripts ?? []).map((src) => `<script type="module" src="${src}"></script>`),
  ];
  const fallback = assets
    ? '<noscript><p style="padding:2rem">The dashboard needs JavaScript.</p></noscript>'
    : '<p style="padding:2rem">The dashboard is not built: run <code>npm run build</code>.</p>';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    '<title>Dashboard · Pixapi</title>',
    '<link rel="icon" href="data:,">',
    ...tags,
    '</head>',
    '<body class="bg-slate-50">',
    `<div id="${DASHBOARD_ROOT}"></div>`,
    fallback,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
