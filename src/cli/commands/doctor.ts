import { runChecks } from '../../doctor/checks.js';
import type { Output } from '../output.js';

const MARK = { ok: 'ok  ', problem: 'FAIL', skipped: '--  ' } as const;

/**
 * `pixapi doctor`: the configuration and every dependency, each on one line in words; exits 1
 * when anything is wrong so that deploy scripts can stop there.
 */
export async function doctor(_options: unknown, out: Output): Promise<void> {
  const checks = await runChecks();
  const problems = checks.filter((c) => c.status === 'problem');
  out.result({ checks, problems: problems.length }, [
    ...checks.map((c) => `${MARK[c.status]} ${c.name}: ${c.detail}`),
    problems.length === 0
      ? 'Everything Pixapi needs answers.'
      : `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((p) => p.name).join(', ')}.`,
  ]);
  if (problems.length > 0) process.exitCode = 1;
}
