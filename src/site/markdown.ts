import type { Translate } from './i18n/locale.js';
import { formatCredits } from './views/cards.js';
import { shutdownOutcome, type ModelView } from './views/model-view.js';

const FENCE = { sh: 'sh', js: 'js', python: 'python' } as const;

function bullets(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

function lifecycle(view: ModelView, t: Translate): string[] {
  const l = view.lifecycle;
  if (!l) return [];
  const lines = [
    t(l.status === 'retired' ? 'lifecycle.retired' : 'lifecycle.deprecated'),
    ...(l.deprecatedAt ? [t('lifecycle.deprecatedAt', { date: l.deprecatedAt })] : []),
    ...(l.shutdownDate ? [t('lifecycle.shutdown', { date: l.shutdownDate })] : []),
    shutdownOutcome(l, t),
    ...(l.replacement
      ? [`[${t('lifecycle.move', { name: l.replacement.name })}](/models/${l.replacement.id}.md)`]
      : []),
  ];
  return [`> **${lines[0]}** ${lines.slice(1).join(' ')}`, ''];
}

/**
 * The Markdown twin of a model page (`/models/{id}.md`), for coding agents: the same facts,
 * prices and samples as the HTML page, from the same view.
 */
export function modelMarkdown(view: ModelView, t: Translate): string {
  const from = t('model.from', { price: formatCredits(t, view.fromCredits) });
  const facts: Array<[string, string]> = [
    [t('model.fact.id'), `\`${view.id}\``],
    ...(view.aliases.length
      ? [
          [t('model.fact.aliases'), view.aliases.map((a) => `\`${a}\``).join(', ')] as [
            string,
            string,
          ],
        ]
      : []),
    [t('model.fact.provider'), view.provider],
    [t('model.fact.capabilities'), view.capabilities.join(', ')],
    [t('model.fact.endpoints'), view.endpoints.map((e) => `\`${e}\``).join(', ')],
    [t('model.fact.required'), view.requiredFields.map((f) => `\`${f}\``).join(', ')],
    [t('model.fact.returned'), view.returnedFields.map((f) => `\`${f}\``).join(', ')],
    [t('model.fact.startingCost'), from],
    [t('model.fact.sizes'), view.sizes],
    [t('model.fact.qualities'), view.qualities.join(', ')],
    [t('model.fact.formats'), view.formats.join(', ')],
    [t('model.fact.maxN'), String(view.maxN)],
    [t('model.fact.stream'), view.stream ? t('model.yes') : t('model.no')],
  ];
  const rows = view.priceRows.map(
    (row) =>
      `| ${row.qualities?.join(', ') ?? t('model.anyQuality')} | ${row.tiers?.join(', ') ?? t('model.anyTier')}${row.sizes.length ? ` (${row.sizes.join(', ')})` : ''} | ${row.credits} |`,
  );
  return [
    `# ${view.name} (\`${view.id}\`)`,
    '',
    `${t('model.by', { provider: view.provider })} · ${from}`,
    '',
    view.description,
    '',
    ...(view.available
      ? []
      : [`> ${t('model.unavailable', { variable: view.missingVariable })}`, '']),
    ...lifecycle(view, t),
    ...(view.upgrade
      ? [
          `${t('model.upgrade', { name: view.upgrade.name })} [${view.upgrade.id}](/models/${view.upgrade.id}.md)`,
          '',
        ]
      : []),
    `## ${t('model.pricing')}`,
    '',
    t('model.pricingLead'),
    '',
    `| ${t('model.quality')} | ${t('model.tier')} | ${t('model.creditsPerImage')} |`,
    '| --- | --- | ---: |',
    ...rows,
    '',
    `## ${t('model.facts')}`,
    '',
    ...facts.map(([term, value]) => `- **${term}**: ${value}`),
    '',
    `## ${t('model.quickStart')}`,
    '',
    t('model.quickStartLead'),
    '',
    ...view.samples.flatMap((s) => [
      `### ${t(`model.sample.${s.kind}`)}`,
      '',
      '```' + FENCE[s.language],
      s.code,
      '```',
      '',
    ]),
    `## ${t('model.features')}`,
    '',
    bullets(view.features),
    '',
    `## ${t('model.useCases')}`,
    '',
    bullets(view.useCases),
    '',
    `## ${t('model.faq')}`,
    '',
    ...view.faq.flatMap((entry) => [`### ${entry.q}`, '', entry.a, '']),
    ...(view.related.length
      ? [
          `## ${t('model.related')}`,
          '',
          bullets(
            view.related.map(
              (r) =>
                `[${r.name}](/models/${r.id}.md): ${t('model.from', { price: formatCredits(t, r.fromCredits) })}`,
            ),
          ),
          '',
        ]
      : []),
  ].join('\n');
}
