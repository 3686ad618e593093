import { parseArgs } from 'node:util';
import { CatalogError } from '../catalog/loader.js';
import { PixapiError } from '../errors.js';
// Not config.ts itself: it loads every provider's module, which `--help` has no need of.
import { loadDotEnv } from '../config/dotenv.js';
import { ConfigError } from '../config/errors.js';
import { joinNegativeValues, type Options } from './args.js';
import { COMMANDS, type Command } from './command-table.js';
import { commandHelp, generalHelp, groupHelp } from './help.js';
import { createOutput, UsageError } from './output.js';

const HELP_FLAGS = new Set(['--help', '-h']);

function findCommand(words: string[]): { name: string; command: Command; rest: string[] } {
  for (const count of [2, 1]) {
    const name = words.slice(0, count).join(' ');
    const command = COMMANDS[name];
    if (command) return { name, command, rest: words.slice(count) };
  }
  const subcommands = Object.keys(COMMANDS)
    .filter((n) => n.startsWith(`${words[0]} `))
    .map((n) => n.slice(n.indexOf(' ') + 1));
  if (subcommands.length > 0 && (words.length === 1 || words[1]?.startsWith('-'))) {
    throw new UsageError(`"pixapi ${words[0]}" needs a subcommand: ${subcommands.join(', ')}`);
  }
  throw new UsageError(`unknown command "${words.join(' ')}"; run pixapi --help for the list`);
}

/** The text `pixapi help [words]` prints, or undefined when `words` name no command. */
function helpFor(words: string[]): string | undefined {
  if (words.length === 0) return generalHelp();
  const name = words.join(' ');
  const command = COMMANDS[name];
  return command ? commandHelp(name, command) : groupHelp(name);
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof UsageError) return error.code;
  if (error instanceof PixapiError) return error.code;
  if (error instanceof ConfigError) return 'invalid_config';
  if (error instanceof CatalogError) return 'invalid_catalog';
  if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return 'invalid_usage';
  return undefined;
}

/**
 * `bin/pixapi`: one subcommand; `--help` anywhere explains it, `--json` prints exactly one JSON
 * object on stdout (`{"error":{message,code}}` on failure). `.env` in the working directory is
 * loaded first; the real environment wins over it.
 */
export async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const wantsHelp = argv.some((a) => HELP_FLAGS.has(a));
  const words = argv.filter((a) => a !== '--json' && !HELP_FLAGS.has(a));
  const out = createOutput(json);
  let name: string | undefined;
  try {
    loadDotEnv();
    if (words[0] === 'help' || (words.length === 0 && (wantsHelp || !json))) {
      const text = helpFor(words.slice(1));
      if (!text) throw new UsageError(`no command "${words.slice(1).join(' ')}" to explain`);
      process.stdout.write(text);
      return;
    }
    if (words.length === 0) throw new UsageError('missing command; run pixapi --help');
    if (wantsHelp) {
      const text = helpFor(words);
      if (text) {
        process.stdout.write(text);
        return;
      }
    }
    const found = findCommand(words);
    name = found.name;
    const valueOptions = new Set(
      Object.entries(found.command.options)
        .filter(([, spec]) => spec.type === 'string')
        .map(([option]) => option),
    );
    const { values } = parseArgs({
      args: joinNegativeValues(found.rest, valueOptions),
      options: Object.fromEntries(
        Object.entries(found.command.options).map(([option, spec]) => [
          option,
          { type: spec.type },
        ]),
      ),
      strict: true,
    });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it picks parseArgs' generic
    await found.command.run(values as Options, out);
  } catch (error) {
    const code = errorCode(error);
    const message = ((error as Error).message ?? String(error)).split('\n')[0]!;
    const hint = code === 'invalid_usage' && name ? ` (see pixapi ${name} --help)` : '';
    out.error(
      code ? `${message}${hint}` : `unexpected error: ${message}`,
      code ?? 'internal_error',
    );
    process.exitCode = 1;
  }
}
