import { describe, expect, it } from 'vitest';
import { hasOrigin, mayCarryCredentials } from './trusted-urls.js';

describe('hasOrigin', () => {
  it('compares scheme, host and port', () => {
    expect(hasOrigin('http://127.0.0.1:80/a', 'http://127.0.0.1')).toBe(true);
    expect(hasOrigin('http://127.0.0.1:81/a', 'http://127.0.0.1:80')).toBe(false);
    expect(hasOrigin('https://queue.fal.run/x', 'http://queue.fal.run')).toBe(false);
    expect(hasOrigin('not a url', 'http://127.0.0.1')).toBe(false);
    expect(hasOrigin('http://127.0.0.1/a', 'not a url')).toBe(false);
  });
});

describe('mayCarryCredentials', () => {
  const base = 'https://api.example.com';

  it('allows the base URL origin, the listed origins and HTTPS hosts of the listed domains', () => {
    expect(mayCarryCredentials('https://api.example.com/v1/x', base)).toBe(true);
    expect(mayCarryCredentials('http://127.0.0.1:4010/x', 'http://127.0.0.1:4010')).toBe(true);
    const origins = { origins: ['https://api.provider.com'] };
    expect(mayCarryCredentials('https://api.provider.com/v1/x', base, origins)).toBe(true);
    const domains = { domains: ['provider.ai', 'provider.run'] };
    expect(mayCarryCredentials('https://provider.ai/x', base, domains)).toBe(true);
    expect(mayCarryCredentials('https://queue.provider.run/x', base, domains)).toBe(true);
    expect(mayCarryCredentials('https://API.EU.Provider.AI/x', base, domains)).toBe(true);
  });

  it('refuses other hosts, look-alikes, plain HTTP and unparsable URLs', () => {
    const trusted = { origins: ['https://api.provider.com'], domains: ['provider.ai'] };
    expect(mayCarryCredentials('https://evil.example/x', base, trusted)).toBe(false);
    expect(mayCarryCredentials('https://evilprovider.ai/x', base, trusted)).toBe(false);
    expect(mayCarryCredentials('https://provider.ai.evil.example/x', base, trusted)).toBe(false);
    expect(mayCarryCredentials('http://api.provider.ai/x', base, trusted)).toBe(false);
    expect(mayCarryCredentials('http://api.provider.com/x', base, trusted)).toBe(false);
    expect(mayCarryCredentials('http://127.0.0.1:4011/x', 'http://127.0.0.1:4010')).toBe(false);
    expect(mayCarryCredentials('not a url', base, trusted)).toBe(false);
  });
});
