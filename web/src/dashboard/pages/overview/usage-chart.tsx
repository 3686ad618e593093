import { useState } from 'react';
import type { UsageDaily } from '../../api/types.js';
import { credits } from '../../ui/format.js';
import { EmptyState } from '../../ui/notice.js';
import { chartDays, MODEL_COLOURS, type Metric } from './chart-data.js';

const HEIGHT = 160;
const BAR = 14;
const GAP = 6;

/** Stacked bars of credits or images per day, one colour per model; a table for screen readers. */
export function UsageChart({ daily }: { daily: UsageDaily }) {
  const [metric, setMetric] = useState<Metric>('credits');
  const { days, models } = chartDays(daily, metric);
  const max = Math.max(1e-9, ...days.map((d) => d.total));
  const colour = (model: string) => MODEL_COLOURS[models.indexOf(model) % MODEL_COLOURS.length];
  const width = days.length * (BAR + GAP);
  const format = (value: number) => (metric === 'credits' ? credits(value) : String(value));
  return (
    <div>
      <div role="group" aria-label="Chart metric" className="mb-3 flex gap-1">
        {(['credits', 'images'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={metric === m}
            onClick={() => setMetric(m)}
            className={`rounded-md px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
              metric === m ? 'bg-indigo-600 text-white' : 'bg-slate-100 text-slate-800'
            }`}
          >
            {m === 'credits' ? 'Credits' : 'Images'}
          </button>
        ))}
      </div>
      {models.length === 0 ? (
        <EmptyState title="No usage in the last 30 days." />
      ) : (
        <>
          <svg
            viewBox={`0 0 ${width} ${HEIGHT + 18}`}
            className="h-48 w-full"
            preserveAspectRatio="none"
            aria-hidden="true"
          >
            {days.map((day, i) => {
              let y = HEIGHT;
              return (
                <g key={day.date} transform={`translate(${i * (BAR + GAP)},0)`}>
                  <title>{`${day.date}: ${format(day.total)} ${metric}`}</title>
                  {models.map((model) => {
                    const value = day.byModel[model] ?? 0;
                    const h = (value / max) * HEIGHT;
                    y -= h;
                    return value > 0 ? (
                      <rect key={model} x={0} y={y} width={BAR} height={h} fill={colour(model)} />
                    ) : null;
                  })}
                  <rect x={0} y={HEIGHT} width={BAR} height={1} fill="#cbd5e1" />
                </g>
              );
            })}
          </svg>
          <div className="mt-1 flex justify-between text-xs text-slate-600" aria-hidden="true">
            <span>{days[0]?.date}</span>
            <span>{days.at(-1)?.date}</span>
          </div>
          <ul className="mt-3 flex flex-wrap gap-4 text-sm" aria-label="Models">
            {models.map((model) => (
              <li key={model} className="flex items-center gap-2">
                <span
                  aria-hidden="true"
                  className="inline-block h-3 w-3 rounded-sm"
                  style={{ background: colour(model) }}
                />
                {model}
              </li>
            ))}
          </ul>
          <table className="sr-only">
            <caption>{`${metric === 'credits' ? 'Credits' : 'Images'} per day and model`}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Model</th>
                <th scope="col">{metric}</th>
              </tr>
            </thead>
            <tbody>
              {daily.data.map((row) => (
                <tr key={`${row.date}-${row.model}`}>
                  <td>{row.date}</td>
                  <td>{row.model}</td>
                  <td>{format(row[metric])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
