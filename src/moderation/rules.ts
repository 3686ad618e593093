import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** What a rules file holds: whole-word terms and regular expressions. */
const rulesSchema = z
  .object({
    terms: z.array(z.string().trim().min(1)).default([]),
    patterns: z.array(z.string().min(1)).default([]),
  })
  .strict();

export class RulesError extends Error {
  override name = 'RulesError';
}

/** Lower case without accents: `Café` and `CAFE` compare equal. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface CompiledRules {
  /** The rule that matched (`term:...` or `pattern:...`), or undefined. */
  match(prompt: string): string | undefined;
}

/**
 * Compiles rules: a term matches as a whole word (letters or digits around it end the match),
 * case- and accent-insensitively; a pattern is a case-insensitive Unicode regular expression.
 *
 * @throws RulesError naming what is invalid
 */
export function compileRules(input: unknown): CompiledRules {
  const parsed = rulesSchema.safeParse(input);
  if (!parsed.success) {
    throw new RulesError(
      parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '),
    );
  }
  const terms = parsed.data.terms.map((term) => ({
    rule: `term:${term}`,
    regex: new RegExp(`(?<![\\p{L}\\p{N}])${escape(fold(term))}(?![\\p{L}\\p{N}])`, 'u'),
  }));
  const patterns = parsed.data.patterns.map((pattern) => {
    try {
      return { rule: `pattern:${pattern}`, regex: new RegExp(pattern, 'iu') };
    } catch (error) {
      throw new RulesError(
        `invalid pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`,
      );
    }
  });
  return {
    match(prompt) {
      const folded = fold(prompt);
      for (const term of terms) if (term.regex.test(folded)) return term.rule;
      for (const pattern of patterns) if (pattern.regex.test(prompt)) return pattern.rule;
      return undefined;
    },
  };
}

/** Reads and compiles a YAML or JSON rules file (JSON is YAML). */
export function loadRules(file: string): CompiledRules {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RulesError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new RulesError(`${file} is not valid YAML or JSON: ${(error as Error).message}`);
  }
  return compileRules(data ?? {});
}
