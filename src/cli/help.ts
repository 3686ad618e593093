import { COMMANDS, type Command } from './command-table.js';

const JSON_LINE = '  --json            print exactly one JSON object on stdout (errors too)';
const HELP_LINE = '  -h, --help        show this help';

function optionLabel(name: string, value: string | undefined): string {
  return value ? `--${name} ${value}` : `--${name}`;
}

function usageLine(name: string, command: Command): string {
  const options = Object.entries(command.options).map(([option, spec]) => {
    const label = optionLabel(option, spec.value);
    return spec.required ? label : `[${label}]`;
  });
  return ['pixapi', name, ...options, '[--json]'].join(' ');
}

/** `pixapi --help`: every subcommand with its summary. */
export function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'Pixapi: a self-hosted, OpenAI-compatible image API. Commands read the same environment',
    'variables as the server (and .env in the working directory).',
    '',
    'usage: pixapi <command> [options] [--json]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'options of every command:',
    JSON_LINE,
    HELP_LINE,
    '',
    'Run `pixapi help <command>` or `pixapi <command> --help` for its options and an example.',
    'example: pixapi accounts create --name acme --credits 100',
    '',
  ].join('\n');
}

/** `pixapi <command> --help`: its usage, every option and an example. */
export function commandHelp(name: string, command: Command): string {
  const entries = Object.entries(command.options).map(
    ([option, spec]) =>
      [
        optionLabel(option, spec.value),
        `${spec.description}${spec.required ? ' (required)' : ''}`,
      ] as const,
  );
  const width = Math.max(16, ...entries.map(([label]) => label.length));
  return [
    `usage: ${usageLine(name, command)}`,
    '',
    command.summary,
    '',
    'options:',
    ...entries.map(([label, description]) => `  ${label.padEnd(width)}  ${description}`),
    JSON_LINE,
    HELP_LINE,
    '',
    `example: ${command.example}`,
    '',
  ].join('\n');
}

/** Commands whose name starts with `words` (`pixapi accounts` lists the accounts commands). */
export function groupHelp(words: string): string | undefined {
  const names = Object.keys(COMMANDS).filter((n) => n.startsWith(`${words} `));
  if (names.length === 0) return undefined;
  return [
    `usage: pixapi ${words} <${names.map((n) => n.slice(words.length + 1)).join(' | ')}> [options]`,
    '',
    ...names.map((n) => `  ${n.padEnd(18)}  ${COMMANDS[n]!.summary}`),
    '',
    `Run \`pixapi ${names[0]} --help\` for its options and an example.`,
    '',
  ].join('\n');
}
