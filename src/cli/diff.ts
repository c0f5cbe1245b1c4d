// `segscope diff BEFORE... --to AFTER... [--json] [--exit-code] [--ephemeral-ports R]`: what a change adds, removes and changes in the connlist.
import { diffConnlists, formatDiff } from '../analysis/conndiff';
import type { Workspace } from '../model/types';
import { loadConnlist } from './connlist';
import { type Command, ephemeralPortsFlag, type Io, UsageError, withEphemeralFlag } from './io';

/** BEFORE paths until `--to`, AFTER paths after it; flags anywhere. */
export const parseDiffArgs = (
  args: string[],
): { before: string[]; after: string[]; json: boolean; exitCode: boolean; ephemeralPorts?: string } => {
  const before: string[] = [];
  const after: string[] = [];
  let json = false;
  let exitCode = false;
  let seenTo = false;
  let ephemeralPorts: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--json') json = true;
    else if (a === '--ephemeral-ports') {
      ephemeralPorts = args[++i];
      if (ephemeralPorts === undefined) throw new UsageError('--ephemeral-ports needs a value');
    } else if (a.startsWith('--ephemeral-ports=')) ephemeralPorts = a.slice('--ephemeral-ports='.length);
    else if (a === '--exit-code') exitCode = true;
    else if (a === '--to') {
      if (seenTo) throw new UsageError('--to may be given once');
      seenTo = true;
    } else if (a.startsWith('--to=')) {
      if (seenTo) throw new UsageError('--to may be given once');
      seenTo = true;
      if (a.length > 5) after.push(a.slice(5));
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a.split('=')[0]}`);
    else (seenTo ? after : before).push(a);
  }
  if (!seenTo) throw new UsageError('give the changed files after --to');
  if (before.length === 0) throw new UsageError('name at least one BEFORE file or directory');
  if (after.length === 0) throw new UsageError('name at least one AFTER file or directory after --to');
  return { before, after, json, exitCode, ...(ephemeralPorts !== undefined ? { ephemeralPorts } : {}) };
};

export const diff: Command = (args: string[], io: Io) => {
  const { before, after, json, exitCode, ephemeralPorts } = parseDiffArgs(args);
  // One range for both sides: the diff then shows what the change does, not what the assumption does.
  const ephemeral = ephemeralPortsFlag(ephemeralPorts);
  const settings = (ws: Workspace) => withEphemeralFlag(ws, ephemeral);
  const a = loadConnlist(before, io, 'diff', {}, settings);
  const b = loadConnlist(after, io, 'diff', {}, settings);
  if (!a || !b) return 2;
  const d = diffConnlists(a, b);
  io.out(json ? JSON.stringify(d, null, 2) : formatDiff(d));
  const changed = d.added.length + d.removed.length + d.changed.length > 0;
  return exitCode && changed ? 1 : 0;
};

export const diffCommand = {
  run: diff,
  usage: 'segscope diff BEFORE... --to AFTER... [--json] [--exit-code] [--ephemeral-ports 1024-65535]',
};
