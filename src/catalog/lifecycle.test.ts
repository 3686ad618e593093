import { describe, expect, it } from 'vitest';
import { lifecycleHeaders, lifecycleStatus, upcomingShutdowns } from './lifecycle.js';
import { modelSchema, type ModelSpec } from './schema.js';

const model = (fields: Record<string, unknown>): ModelSpec =>
  modelSchema.parse({
    id: 'm',
    name: 'M',
    description: 'M.',
    owned_by: 'x',
    capabilities: ['text-to-image'],
    routes: [{ provider: 'local', model: 'm' }],
    sizes: { auto: '1024x1024', list: [{ size: '1024x1024', tier: '1K' }] },
    qualities: ['auto'],
    pricing: { rules: [{ credits: 1 }] },
    ...fields,
  });

const t = (iso: string) => Date.parse(iso);

describe('lifecycleStatus', () => {
  const dated = model({ deprecated_at: '2026-06-02', shutdown_date: '2026-12-01' });

  it('moves with the clock: active, deprecated from deprecated_at, retired from shutdown day', () => {
    expect(lifecycleStatus(dated, t('2026-06-01T23:59:59Z'))).toBe('active');
    expect(lifecycleStatus(dated, t('2026-06-02T00:00:00Z'))).toBe('deprecated');
    expect(lifecycleStatus(dated, t('2026-11-30T23:59:59Z'))).toBe('deprecated');
    expect(lifecycleStatus(dated, t('2026-12-01T00:00:00Z'))).toBe('retired');
  });

  it('a declared status holds whatever the dates say, except a passed shutdown', () => {
    expect(lifecycleStatus(model({ status: 'retired' }), 0)).toBe('retired');
    expect(lifecycleStatus(model({ status: 'deprecated' }), 0)).toBe('deprecated');
    expect(
      lifecycleStatus(
        model({ status: 'deprecated', shutdown_date: '2026-05-12' }),
        t('2026-05-12T08:00:00Z'),
      ),
    ).toBe('retired');
  });
});

describe('lifecycleHeaders', () => {
  it('follows RFC 9745 (Deprecation @seconds), RFC 8594 (Sunset HTTP-date) and successor Link', () => {
    const m = model({
      deprecated_at: '2026-06-02',
      shutdown_date: '2026-12-01',
      replacement: 'next',
    });
    expect(lifecycleHeaders(m, t('2026-05-01T00:00:00Z'))).toEqual({});
    expect(lifecycleHeaders(m, t('2026-07-01T00:00:00Z'))).toEqual({
      deprecation: '@1780358400',
      sunset: 'Tue, 01 Dec 2026 00:00:00 GMT',
      link: '</v1/models/next>; rel="successor-version"',
    });
  });
});

describe('upcomingShutdowns', () => {
  it('lists models shutting down within 30 days, not those further out or already gone', () => {
    const models = [
      model({ id: 'soon', shutdown_date: '2026-12-01', replacement: 'later' }),
      model({ id: 'later', shutdown_date: '2027-01-15' }),
      model({ id: 'gone', shutdown_date: '2026-05-12' }),
      model({ id: 'forever' }),
    ];
    expect(upcomingShutdowns(models, t('2026-11-20T12:00:00Z'))).toEqual([
      {
        model: 'soon',
        shutdown_date: '2026-12-01',
        days_left: 10,
        replacement: 'later',
        after_shutdown: 'retire',
      },
    ]);
    expect(upcomingShutdowns(models, t('2026-12-20T00:00:00Z')).map((w) => w.model)).toEqual([
      'later',
    ]);
  });
});
