import { describe, expect, it } from 'vitest';
import { keyAllowedFor } from './client.js';

describe('keyAllowedFor', () => {
  const base = 'https://api.bfl.ai';

  it('allows the base origin and BFL hosts over HTTPS', () => {
    expect(keyAllowedFor('https://api.bfl.ai/v1/get_result?id=1', base)).toBe(true);
    expect(keyAllowedFor('https://api.eu.bfl.ai/v1/get_result?id=1', base)).toBe(true);
    expect(keyAllowedFor('https://api.us1.bfl.ai/v1/get_result?id=1', base)).toBe(true);
    expect(keyAllowedFor('https://bfl.ai/v1/get_result?id=1', base)).toBe(true);
    expect(
      keyAllowedFor('http://127.0.0.1:4010/regional/v1/get_result', 'http://127.0.0.1:4010'),
    ).toBe(true);
  });

  it('refuses other hosts, look-alikes and plain HTTP', () => {
    expect(keyAllowedFor('https://evilbfl.ai/v1/get_result', base)).toBe(false);
    expect(keyAllowedFor('https://api.bfl.ai.evil.example/v1/get_result', base)).toBe(false);
    expect(keyAllowedFor('http://api.eu.bfl.ai/v1/get_result', base)).toBe(false);
    expect(keyAllowedFor('http://127.0.0.1:4011/v1/get_result', 'http://127.0.0.1:4010')).toBe(
      false,
    );
    expect(keyAllowedFor('not a url', base)).toBe(false);
  });
});
