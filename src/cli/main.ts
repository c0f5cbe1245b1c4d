// The segscope CLI entry: dispatches subcommands that share the app's import/analysis/export code.
import { checkCommand } from './check';
import { connlistCommand } from './connlist';
import { convertCommand } from './convert';
import { diffCommand } from './diff';
import { type Command, type Io, processIo, UsageError } from './io';
import { reachCommand } from './reach';
import { summaryCommand } from './summary';
import { synthesizeCommand } from './synthesize';

/** Subcommands register here (one module each under src/cli/). */
export const COMMANDS: Record<string, { run: Command; usage: string }> = {
  summary: summaryCommand,
  check: checkCommand,
  reach: reachCommand,
  convert: convertCommand,
  connlist: connlistCommand,
  diff: diffCommand,
  synthesize: synthesizeCommand,
};

const help = (): string =>
  [
    'usage: segscope <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([, c]) => `  ${c.usage}`),
    '',
    'FILE may be a directory: every .yaml, .yml and .json file under it is read.',
  ].join('\n');

export const main = async (argv: string[], io: Io = processIo): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`segscope: unknown command "${name}"\n${help()}`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`segscope ${name}: ${e.message}\nusage: ${cmd.usage}`);
      return 2;
    }
    io.err(`segscope ${name}: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
};
