import { describe, expect, it } from 'vitest';
import { isRedirect, nextHop, normalizeHeaders, type Hop } from './redirects.js';

const start: Hop = {
  url: new URL('https://a.example.com/upload'),
  method: 'POST',
  headers: normalizeHeaders({
    Authorization: 'Bearer k',
    Cookie: 'c=1',
    'Content-Type': 'application/json',
    'X-Trace': 't',
  }),
  body: '{}',
};

describe('nextHop', () => {
  it('keeps method, body and credentials on a same-origin 307/308', () => {
    for (const status of [307, 308]) {
      const hop = nextHop(start, status, new URL('/v2/upload', start.url));
      expect(hop).toMatchObject({ method: 'POST', body: '{}' });
      expect(hop.headers).toMatchObject({
        authorization: 'Bearer k',
        'content-type': 'application/json',
      });
    }
  });

  it('turns 303, and 301/302 after a POST, into a bodiless GET', () => {
    for (const status of [301, 302, 303]) {
      const hop = nextHop(start, status, new URL('/done', start.url));
      expect(hop.method).toBe('GET');
      expect(hop.body).toBeUndefined();
      expect(hop.headers['content-type']).toBeUndefined();
      expect(hop.headers['x-trace']).toBe('t');
    }
  });

  it('keeps DELETE on 301/302 but not on 303', () => {
    const del: Hop = { ...start, method: 'DELETE', body: undefined };
    expect(nextHop(del, 302, start.url).method).toBe('DELETE');
    expect(nextHop(del, 303, start.url).method).toBe('GET');
  });

  it('drops credentials when the origin changes, even just the port or scheme', () => {
    for (const target of [
      'https://b.example.com/',
      'https://a.example.com:8443/',
      'http://a.example.com/upload',
    ]) {
      const hop = nextHop(start, 307, new URL(target));
      expect(hop.headers.authorization).toBeUndefined();
      expect(hop.headers.cookie).toBeUndefined();
      expect(hop.headers['x-trace']).toBe('t');
    }
  });
});

describe('normalizeHeaders', () => {
  it('lower-cases names and never lets a caller pick the Host', () => {
    expect(normalizeHeaders({ HOST: 'internal', 'X-A': '1' })).toEqual({ 'x-a': '1' });
  });
});

describe('isRedirect', () => {
  it('knows the redirect statuses', () => {
    expect([300, 301, 302, 303, 304, 307, 308].map(isRedirect)).toEqual([
      false,
      true,
      true,
      true,
      false,
      true,
      true,
    ]);
  });
});
