// Test helper for the CLI commands: an Io that records what a command prints on stdout and stderr.
import type { Io } from './io';

/** An Io whose `out` and `err` lines are kept in the returned arrays, in order. */
export const fakeIo = (): { io: Io; out: string[]; err: string[] } => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  return { io, out, err };
};
