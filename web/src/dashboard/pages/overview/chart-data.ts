import type { UsageDaily } from '../../api/types.js';

export type Metric = 'credits' | 'images';

export interface ChartDay {
  date: string;
  byModel: Record<string, number>;
  total: number;
}

const DAY_MS = 86_400_000;

/** Every day of the range (days without requests included, at zero) with its per-model values. */
export function chartDays(
  daily: UsageDaily,
  metric: Metric,
): { days: ChartDay[]; models: string[] } {
  const start = Date.parse(`${daily.from}T00:00:00Z`);
  const end = Date.parse(`${daily.to}T00:00:00Z`);
  const days = new Map<string, ChartDay>();
  for (let t = start; t <= end; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.set(date, { date, byModel: {}, total: 0 });
  }
  const models = new Set<string>();
  for (const row of daily.data) {
    const day = days.get(row.date);
    if (!day) continue;
    models.add(row.model);
    day.byModel[row.model] = (day.byModel[row.model] ?? 0) + row[metric];
    day.total += row[metric];
  }
  return { days: [...days.values()], models: [...models].sort() };
}

/** Distinct, readable colours for the models of the chart, in a fixed order. */
export const MODEL_COLOURS = [
  '#4f46e5',
  '#c026d3',
  '#0891b2',
  '#d97706',
  '#059669',
  '#dc2626',
  '#7c3aed',
  '#475569',
];
