import type { Options } from './args.js';
import { UsageError, type Output } from './output.js';
import { LIMIT_OPTIONS } from './limit-options.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The placeholder shown in usage lines (`--credits C`); absent for flags. */
  value?: string;
  required?: boolean;
  description: string;
}

export interface Command {
  summary: string;
  options: Record<string, OptionSpec>;
  example: string;
  run(options: Options, out: Output): Promise<void>;
}

// Commands load their modules (the server, the database) only when run, so that help is quick:
// even the config, whose provider declarations bring every adapter's dependencies.
const loadConfig = async () => (await import('../config.js')).loadConfig();

/**
 * Separate workers share tasks through PostgreSQL only. The embedded SQLite mode is one
 * process per data directory, whose `serve` runs the worker itself.
 */
async function requireScaleOut(command: string): Promise<void> {
  if ((await loadConfig()).database.kind !== 'postgres') {
    throw new UsageError(
      `pixapi ${command} needs DATABASE_URL (PostgreSQL); with SQLite, pixapi serve runs the worker itself`,
    );
  }
}

const accounts = () => import('./commands/accounts.js');
const keys = () => import('./commands/keys.js');
const codes = () => import('./commands/codes.js');
const credits = () => import('./commands/credits.js');

const account = (description: string): OptionSpec => ({
  type: 'string',
  value: 'ACCOUNT_ID',
  required: true,
  description,
});

/** `credits grant` and `credits deduct` take the same options; only the amount's sense differs. */
const creditMovementOptions = (amount: string): Record<string, OptionSpec> => ({
  account: account('the account id (acc_...)'),
  credits: { type: 'string', value: 'C', required: true, description: amount },
  note: { type: 'string', value: 'TEXT', description: 'a note kept on the ledger row' },
});

/** Every subcommand with what `--help` says of it; main.ts dispatches on this table. */
export const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'Run the API server (what npm start runs), with the task worker in-process.',
    options: {
      'no-worker': {
        type: 'boolean',
        description: 'leave tasks to `pixapi worker` processes (PostgreSQL only)',
      },
    },
    example: 'PORT=8080 pixapi serve',
    run: async (options, out) => {
      if (options['no-worker'] === true) await requireScaleOut('serve --no-worker');
      (await import('./context.js')).announceDatabase(await loadConfig(), out);
      return (await import('../main.js')).serve({ workers: options['no-worker'] !== true });
    },
  },
  worker: {
    summary: 'Run only the task and webhook worker (scale-out, PostgreSQL only).',
    options: {},
    example: 'DATABASE_URL=postgres://user@127.0.0.1:5432/pixapi pixapi worker',
    run: async (_options, out) => {
      await requireScaleOut('worker');
      (await import('./context.js')).announceDatabase(await loadConfig(), out);
      return (await import('../main.js')).work();
    },
  },
  doctor: {
    summary:
      'Check the configuration and every dependency (database, migrations, Redis, bucket, providers); exits 1 on a problem.',
    options: {},
    example: 'pixapi doctor --json',
    run: async (o, out) => (await import('./commands/doctor.js')).doctor(o, out),
  },
  migrate: {
    summary: 'Apply pending database migrations (the server also does at start).',
    options: {},
    example: 'pixapi migrate --json',
    run: async (o, out) => (await import('./commands/migrate.js')).migrate(o, out),
  },
  'accounts create': {
    summary: 'Create an account and its first API key (printed once).',
    options: {
      name: { type: 'string', value: 'NAME', required: true, description: 'a unique name' },
      credits: { type: 'string', value: 'C', description: 'starting credits, e.g. 100 or 0.5' },
    },
    example: 'pixapi accounts create --name acme --credits 100',
    run: async (o, out) => (await accounts()).accountsCreate(o, out),
  },
  'accounts list': {
    summary: 'List every account with its balance.',
    options: {},
    example: 'pixapi accounts list',
    run: async (o, out) => (await accounts()).accountsList(o, out),
  },
  'accounts show': {
    summary: 'Show one account: balance, credits held by running requests, and its keys.',
    options: { account: account('the account id (acc_...)') },
    example: 'pixapi accounts show --account acc_01ABC...',
    run: async (o, out) => (await accounts()).accountsShow(o, out),
  },
  'credits grant': {
    summary: 'Add credits to an account (one ledger row).',
    options: creditMovementOptions('credits to add, more than 0'),
    example: 'pixapi credits grant --account acc_01ABC... --credits 50 --note "invoice 42"',
    run: async (o, out) => (await credits()).creditsGrant(o, out),
  },
  'credits deduct': {
    summary: 'Take credits from an account (one ledger row); never beyond what is available.',
    options: creditMovementOptions('credits to take, more than 0'),
    example: 'pixapi credits deduct --account acc_01ABC... --credits 5 --note "duplicate grant"',
    run: async (o, out) => (await credits()).creditsDeduct(o, out),
  },
  'codes create': {
    summary: 'Create a redeem code worth C credits (printed; people redeem it in the dashboard).',
    options: {
      credits: {
        type: 'string',
        value: 'C',
        required: true,
        description: 'credits each redemption adds',
      },
      uses: { type: 'string', value: 'N', description: 'how many accounts may redeem it (1)' },
      expires: { type: 'string', value: 'DATE', description: 'no redemption after (ISO 8601)' },
      code: { type: 'string', value: 'TEXT', description: 'a chosen code instead of a random one' },
      note: { type: 'string', value: 'TEXT', description: 'what the code is for' },
    },
    example: 'pixapi codes create --credits 50 --uses 100 --expires 2026-12-31 --note launch',
    run: async (o, out) => (await codes()).codesCreate(o, out),
  },
  'codes list': {
    summary: 'List redeem codes with their uses and expiry.',
    options: {},
    example: 'pixapi codes list --json',
    run: async (o, out) => (await codes()).codesList(o, out),
  },
  'keys create': {
    summary: 'Create another API key for an account (printed once).',
    options: {
      account: account('the account id (acc_...)'),
      name: { type: 'string', value: 'NAME', description: 'a label for the key' },
      ...LIMIT_OPTIONS,
    },
    example: 'pixapi keys create --account acc_01ABC... --name ci --rpm 60 --daily-credits 100',
    run: async (o, out) => (await keys()).keysCreate(o, out),
  },
  'keys update': {
    summary: "Change a key's limits (none removes one); applies within 5 s on running servers.",
    options: {
      key: { type: 'string', value: 'KEY_ID', required: true, description: 'the key id (key_...)' },
      ...LIMIT_OPTIONS,
    },
    example: 'pixapi keys update --key key_01ABC... --rpm none --max-concurrent 4',
    run: async (o, out) => (await keys()).keysUpdate(o, out),
  },
  'keys list': {
    summary: "List an account's keys (ids and first characters, never the keys).",
    options: { account: account('the account id (acc_...)') },
    example: 'pixapi keys list --account acc_01ABC...',
    run: async (o, out) => (await keys()).keysList(o, out),
  },
  'keys revoke': {
    summary: 'Revoke a key at once.',
    options: {
      key: { type: 'string', value: 'KEY_ID', required: true, description: 'the key id (key_...)' },
    },
    example: 'pixapi keys revoke --key key_01ABC...',
    run: async (o, out) => (await keys()).keysRevoke(o, out),
  },
  'admin-key rotate': {
    summary: 'Recover a lost admin key: print a new one and revoke the old ones.',
    options: {},
    example: 'pixapi admin-key rotate',
    run: async (o, out) => (await keys()).adminKeyRotate(o, out),
  },
  'admin set-password': {
    summary:
      'Set a password for a site admin (created if new, owner of the admin account); reads it from PIXAPI_PASSWORD or stdin.',
    options: {
      email: { type: 'string', value: 'EMAIL', required: true, description: 'their email' },
    },
    example: 'PIXAPI_PASSWORD=... pixapi admin set-password --email ops@example.com',
    run: async (o, out) => (await import('./commands/people.js')).adminSetPassword(o, out),
  },
  'admin reset-link': {
    summary: 'Print a one-hour password-reset link for a person (when no SMTP_URL is set).',
    options: {
      email: { type: 'string', value: 'EMAIL', required: true, description: 'their email' },
    },
    example: 'pixapi admin reset-link --email ada@example.com',
    run: async (o, out) => (await import('./commands/people.js')).adminResetLink(o, out),
  },
  'ledger verify': {
    summary:
      "Check every account's cached balance against its ledger; exits 1 naming any that differ.",
    options: {},
    example: 'pixapi ledger verify --json',
    run: async (o, out) => (await import('./commands/ledger.js')).ledgerVerify(o, out),
  },
  'models list': {
    summary:
      'List the catalog: every model, its price, whether its provider is configured, and its lifecycle.',
    options: {},
    example: 'pixapi models list --json',
    run: async (o, out) => (await import('./commands/models.js')).modelsList(o, out),
  },
  'models check': {
    summary:
      "Compare every serving route with its provider's model list: ids missing upstream or scheduled for shutdown.",
    options: {},
    example: 'pixapi models check --json',
    run: async (o, out) => (await import('./commands/models-check.js')).modelsCheck(o, out),
  },
};
