import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded setup', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database.kind).toBe('sqlite');
    expect(config.storage.kind).toBe('local');
    expect(config.assetTtlHours).toBe(168);
    expect(config.syncTimeoutMs).toBe(120_000);
    expect(config.providers.openai).toEqual({
      apiKey: undefined,
      baseUrl: 'https://api.openai.com/v1',
    });
  });

  it('switches to PostgreSQL with DATABASE_URL and trims slashes from base URLs', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/pixapi',
      OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1/',
      PIXAPI_OUTBOUND_ALLOW: '127.0.0.1, 10.0.0.0/8 ,',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/pixapi' });
    expect(config.providers.openai.baseUrl).toBe('http://127.0.0.1:9999/v1');
    expect(config.outboundAllow).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });

  it('fails fast naming every invalid variable', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'x',
        DATABASE_URL: 'mysql://nope',
        PIXAPI_SYNC_TIMEOUT_S: '0',
        PIXAPI_STORAGE: 'ftp',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT.*DATABASE_URL.*PIXAPI_SYNC_TIMEOUT_S/s);
    expect(() => loadConfig({ PIXAPI_STORAGE: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ S3_ACCESS_KEY_ID: 'id' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ PIXAPI_ADMIN_KEY: 'sk_pix_bad' })).toThrow(/PIXAPI_ADMIN_KEY/);
    expect(() => loadConfig({ PIXAPI_OUTBOUND_ALLOW: '127.0.0.1, 10.0.0.0/99' })).toThrow(
      /PIXAPI_OUTBOUND_ALLOW/,
    );
  });
});
