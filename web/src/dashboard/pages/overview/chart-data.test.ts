import { describe, expect, it } from 'vitest';
import { chartDays } from './chart-data.js';

describe('chartDays', () => {
  const daily = {
    from: '2026-11-28',
    to: '2026-12-01',
    data: [
      { date: '2026-11-28', model: 'b', requests: 1, images: 2, credits: 1.5 },
      { date: '2026-11-28', model: 'a', requests: 1, images: 1, credits: 1 },
      { date: '2026-12-01', model: 'a', requests: 3, images: 3, credits: 3 },
    ],
  };

  it('has every day of the range, days without requests at zero', () => {
    const { days, models } = chartDays(daily, 'credits');
    expect(days.map((d) => d.date)).toEqual([
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
    expect(days.map((d) => d.total)).toEqual([2.5, 0, 0, 3]);
    expect(models).toEqual(['a', 'b']);
  });

  it('stacks the chosen metric by model', () => {
    const { days } = chartDays(daily, 'images');
    expect(days[0]!.byModel).toEqual({ a: 1, b: 2 });
    expect(days[3]!.byModel).toEqual({ a: 3 });
  });
});
