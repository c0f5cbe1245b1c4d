// Command-line plumbing shared by every subcommand: reading FILE/DIR arguments and small flag parsing.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { readableSizes } from '../import/text';
import type { FileInput } from '../import/types';
import {
  CILIUM_ENFORCEMENT_MODES,
  type CiliumEnforcement,
  type PortRange,
  parsePortRange,
  withCiliumEnforcement,
  withEphemeralPorts,
} from '../model/settings';
import type { Severity, Workspace } from '../model/types';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** A subcommand: takes its own arguments, returns the exit code. */
export type Command = (args: string[], io: Io) => Promise<number> | number;

export class UsageError extends Error {}

const INPUT_EXT = /\.(ya?ml|json)$/i;

export interface ReadInputs {
  files: FileInput[];
  /** Files under directory arguments that were skipped (not .yaml/.yml/.json). */
  skipped: string[];
  /** Arguments that could not be read at all. */
  unreadable: { path: string; reason: string }[];
}

/**
 * Read FILE and DIR arguments; directories contribute every .yaml/.yml/.json file under them.
 * Sizes are looked at first: a file over a limit is not read (the import says so, naming it).
 */
export const readInputs = (paths: string[]): ReadInputs => {
  const out: ReadInputs = { files: [], skipped: [], unreadable: [] };
  const found: { name: string; path: string; size: number }[] = [];
  const add = (path: string, name: string) => found.push({ name, path, size: statSync(path).size });
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full);
      } else if (INPUT_EXT.test(entry.name)) add(full, relative(process.cwd(), full) || full);
      else out.skipped.push(relative(process.cwd(), full) || full);
    }
  };
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) walk(p);
      else add(p, p);
    } catch (e) {
      out.unreadable.push({ path: p, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
  }
  const readable = readableSizes(found.map((f) => f.size));
  found.forEach((f, i) => {
    try {
      out.files.push(
        readable[i]
          ? { name: f.name, text: readFileSync(f.path, 'utf8') }
          : { name: f.name, text: '', unreadBytes: f.size },
      );
    } catch (e) {
      out.unreadable.push({ path: f.path, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
  });
  return out;
};

/**
 * Read FILE/DIR arguments for a command, saying on stderr what was skipped or unreadable.
 * Returns the files, or undefined when the command should exit 2 (unreadable input, or no file).
 */
export const readFilesOrReport = (command: string, paths: string[], io: Io): FileInput[] | undefined => {
  const inputs = readInputs(paths);
  for (const s of inputs.skipped) io.err(`segscope ${command}: note: skipped ${s} (not .yaml, .yml or .json)`);
  if (inputs.unreadable.length > 0) {
    for (const u of inputs.unreadable) io.err(`segscope ${command}: cannot read ${u.path}: ${u.reason}`);
    return undefined;
  }
  if (inputs.files.length === 0) {
    io.err(`segscope ${command}: no .yaml, .yml or .json file in ${paths.join(', ')}`);
    return undefined;
  }
  return inputs.files;
};

/** Split argv into positional arguments and --flags (`--x v`, `--x=v`, boolean `--x`). */
export const parseFlags = (
  args: string[],
  valued: readonly string[],
): { positional: string[]; flags: Record<string, string | true> } => {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) flags[name] = a.slice(eq + 1);
    else if (valued.includes(name)) {
      const v = args[i + 1];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = v;
      i++;
    } else flags[name] = true;
  }
  return { positional, flags };
};

/** `--fail-on error|warn` of check and summary: the lowest severity that makes the command exit 1. */
export type FailOn = 'error' | 'warn';

export const parseFailOn = (value: string | true | undefined, fallback?: FailOn): FailOn | undefined => {
  if (value === undefined) return fallback;
  if (value !== 'error' && value !== 'warn') throw new UsageError('--fail-on takes error or warn');
  return value;
};

const RANK: Record<Severity, number> = { error: 2, warn: 1, info: 0 };

/** True when some severity is at or above the `--fail-on` level. */
export const failsAt = (severities: Iterable<Severity>, failOn: FailOn | undefined): boolean => {
  if (failOn === undefined) return false;
  for (const s of severities) if (RANK[s] >= RANK[failOn]) return true;
  return false;
};

/** `--ephemeral-ports 32768-60999`: the NACL response port range to assume (workspace `settings.ephemeralPorts`). */
export const ephemeralPortsFlag = (value: string | true | undefined): PortRange | undefined => {
  if (value === undefined) return undefined;
  const range = typeof value === 'string' ? parsePortRange(value) : '--ephemeral-ports needs a range';
  if (typeof range === 'string') throw new UsageError(`--ephemeral-ports: ${range}`);
  return range;
};

/** The workspace with the flag's range in its settings, or as it was. */
export const withEphemeralFlag = (ws: Workspace, range: PortRange | undefined): Workspace =>
  range ? withEphemeralPorts(ws, range) : ws;

/** `--cilium-enforcement always`: Cilium's policy enforcement mode to assume (workspace `settings.ciliumPolicyEnforcement`). */
export const ciliumEnforcementFlag = (value: string | true | undefined): CiliumEnforcement | undefined => {
  if (value === undefined) return undefined;
  if ((CILIUM_ENFORCEMENT_MODES as readonly unknown[]).includes(value)) return value as CiliumEnforcement;
  throw new UsageError(`--cilium-enforcement takes ${CILIUM_ENFORCEMENT_MODES.join(', ')}`);
};

/** The workspace with the flag's mode in its settings, or as it was. */
export const withCiliumFlag = (ws: Workspace, mode: CiliumEnforcement | undefined): Workspace =>
  mode ? withCiliumEnforcement(ws, mode) : ws;

/** The analysis settings a command takes as flags, and the workspace with them applied. */
export interface SettingsFlags {
  ephemeral: PortRange | undefined;
  cilium: CiliumEnforcement | undefined;
  apply(ws: Workspace): Workspace;
}

/**
 * `--cilium-enforcement` and `--ephemeral-ports` of check, reach and connlist, checked in that
 * order (the first bad value is the usage error), before any file is read.
 */
export const settingsFlags = (flags: Record<string, string | true>): SettingsFlags => {
  const cilium = ciliumEnforcementFlag(flags['cilium-enforcement']);
  const ephemeral = ephemeralPortsFlag(flags['ephemeral-ports']);
  return { ephemeral, cilium, apply: (ws) => withCiliumFlag(withEphemeralFlag(ws, ephemeral), cilium) };
};

/** Writes `files` into `dir` (made when missing) and returns their paths; a name never climbs out of `dir`. */
export const writeFilesInto = (dir: string, files: readonly { name: string; text: string }[]): string[] => {
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    // Names come from the writers, but only their base name is used.
    const path = join(dir, basename(f.name));
    writeFileSync(path, f.text);
    return path;
  });
};
