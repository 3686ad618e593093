import { describe, expect, it } from 'vitest';
import { compileRules, RulesError } from './rules.js';

describe('moderation rules', () => {
  const rules = compileRules({ terms: ['crème brûlée', 'Gore'], patterns: ['\\bkill\\s+\\w+'] });

  it('match terms as whole words, ignoring case and accents', () => {
    expect(rules.match('A CREME BRULEE on a table')).toBe('term:crème brûlée');
    expect(rules.match('so much gore!')).toBe('term:Gore');
    expect(rules.match('Gorey details')).toBeUndefined();
    expect(rules.match('a gorge at dusk')).toBeUndefined();
  });

  it('match patterns case-insensitively', () => {
    expect(rules.match('KILL Bill')).toBe('pattern:\\bkill\\s+\\w+');
    expect(rules.match('skill tree')).toBeUndefined();
  });

  it('refuse a malformed file or a bad regular expression', () => {
    expect(() => compileRules({ terms: 'gore' })).toThrow(RulesError);
    expect(() => compileRules({ words: [] })).toThrow(RulesError);
    expect(() => compileRules({ patterns: ['(unclosed'] })).toThrow(/invalid pattern/);
  });
});
