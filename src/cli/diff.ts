// `segscope diff BEFORE... --to AFTER... [--json] [--exit-code]`: what a change adds, removes and changes in the connlist.
import { diffConnlists, formatDiff } from '../analysis/conndiff';
import { loadConnlist } from './connlist';
import { type Command, type Io, UsageError } from './io';

/** BEFORE paths until `--to`, AFTER paths after it; flags anywhere. */
export const parseDiffArgs = (
  args: string[],
): { before: string[]; after: string[]; json: boolean; exitCode: boolean } => {
  const before: string[] = [];
  const after: string[] = [];
  let json = false;
  let exitCode = false;
  let seenTo = false;
  for (const a of args) {
    if (a === '--json') json = true;
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
  return { before, after, json, exitCode };
};

export const diff: Command = (args: string[], io: Io) => {
  const { before, after, json, exitCode } = parseDiffArgs(args);
  const a = loadConnlist(before, io, 'diff');
  const b = loadConnlist(after, io, 'diff');
  if (!a || !b) return 2;
  const d = diffConnlists(a, b);
  io.out(json ? JSON.stringify(d, null, 2) : formatDiff(d));
  const changed = d.added.length + d.removed.length + d.changed.length > 0;
  return exitCode && changed ? 1 : 0;
};

export const diffCommand = { run: diff, usage: 'segscope diff BEFORE... --to AFTER... [--json] [--exit-code]' };
