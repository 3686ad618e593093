import { parseArgs } from 'node:util';
import { CatalogError } from '../catalog/loader.js';
import { ConfigError, loadConfig } from '../config.js';
import { serve, work } from '../main.js';
import { accountsCreate, creditsGrant } from './commands/accounts.js';
import { keysCreate, keysRevoke } from './commands/keys.js';
import { ledgerVerify } from './commands/ledger.js';
import { migrate } from './commands/migrate.js';
import { modelsList } from './commands/models.js';
import type { Options } from './args.js';
import { createOutput, UsageError, type Output } from './output.js';

interface Command {
  options: Record<string, { type: 'string' | 'boolean' }>;
  run(options: Options, out: Output): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    options: { 'no-worker': { type: 'boolean' } },
    run: (options) => {
      if (options['no-worker'] === true) requireScaleOut('serve --no-worker');
      return serve({ workers: options['no-worker'] !== true });
    },
  },
  worker: {
    options: {},
    run: () => {
      requireScaleOut('worker');
      return work();
    },
  },
  migrate: { options: {}, run: migrate },
  'accounts create': {
    options: { name: { type: 'string' }, credits: { type: 'string' } },
    run: accountsCreate,
  },
  'credits grant': {
    options: { account: { type: 'string' }, credits: { type: 'string' }, note: { type: 'string' } },
    run: creditsGrant,
  },
  'keys create': {
    options: { account: { type: 'string' }, name: { type: 'string' }, rpm: { type: 'string' } },
    run: keysCreate,
  },
  'keys revoke': { options: { key: { type: 'string' } }, run: keysRevoke },
  'models list': { options: {}, run: modelsList },
  'ledger verify': { options: {}, run: ledgerVerify },
};

/**
 * Separate workers share tasks through PostgreSQL only. The embedded SQLite mode is one
 * process per data directory, whose `serve` runs the worker itself.
 */
function requireScaleOut(command: string): void {
  if (loadConfig().database.kind !== 'postgres') {
    throw new UsageError(
      `pixapi ${command} needs DATABASE_URL (PostgreSQL); with SQLite, pixapi serve runs the worker itself`,
    );
  }
}

function usage(): string {
  return `usage: pixapi <${Object.keys(COMMANDS).join(' | ')}> [options] [--json]`;
}

function findCommand(argv: string[]): { name: string; command: Command; rest: string[] } {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS[name];
    if (command) return { name, command, rest: argv.slice(words) };
  }
  throw new UsageError(argv.length ? `unknown command "${argv.join(' ')}". ${usage()}` : usage());
}

/** `bin/pixapi`: one subcommand, `--json` for exactly one JSON object on stdout. */
export async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  try {
    const { command, rest } = findCommand(argv.filter((a) => a !== '--json'));
    const { values } = parseArgs({ args: rest, options: command.options, strict: true });
    await command.run(values as Options, createOutput(json));
  } catch (error) {
    const known =
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof CatalogError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = (error as Error).message ?? String(error);
    process.stderr.write(`pixapi: ${known ? '' : 'unexpected error: '}${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  }
}
