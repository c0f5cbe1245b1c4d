// The `npm run gen` command line: parse the options, generate, and lay out the files to write (no I/O here).
import type { ExportResult } from '../export/format';
import { WRITERS, writerNamed } from '../formats/registry';
import type { Workspace } from '../model/types';
import { generateTopology, type Topology, type TopologyOptions } from './generate';

/** Every format segscope writes (FORMATS). */
export const GEN_FORMATS: readonly string[] = WRITERS.map((w) => w.name);

export const GEN_USAGE =
  'usage: npm run gen -- --services N [--segments M] [--calls C] [--seed S] [--break-rate R] ' +
  `[--format ${GEN_FORMATS.join('|')}] [--out FILE_OR_DIR]`;

export interface GenArgs extends TopologyOptions {
  /** A writer name of FORMATS. */
  format: string;
  out?: string;
}

export class GenUsageError extends Error {}

const NUMERIC = { services: 'int', segments: 'int', calls: 'int', seed: 'int', 'break-rate': 'rate' } as const;

/** `--name value` or `--name=value`; every option once; numbers checked. */
export const parseGenArgs = (argv: readonly string[]): GenArgs => {
  const seen = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new GenUsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new GenUsageError(`--${name} needs a value`);
    if (!(name in NUMERIC) && name !== 'format' && name !== 'out') throw new GenUsageError(`unknown option --${name}`);
    if (seen.has(name)) throw new GenUsageError(`--${name} given twice`);
    seen.set(name, value);
  }
  const num = (name: keyof typeof NUMERIC): number | undefined => {
    const text = seen.get(name);
    if (text === undefined) return undefined;
    const v = Number(text);
    const ok = NUMERIC[name] === 'int' ? Number.isInteger(v) && v >= 0 : Number.isFinite(v) && v >= 0 && v <= 1;
    if (!ok)
      throw new GenUsageError(
        `--${name} must be ${NUMERIC[name] === 'int' ? 'a whole number ≥ 0' : 'between 0 and 1'}`,
      );
    return v;
  };
  const services = num('services');
  if (services === undefined) throw new GenUsageError('--services is required');
  if (services < 6) throw new GenUsageError('--services must be at least 6');
  const format = seen.get('format') ?? 'native';
  if (!GEN_FORMATS.includes(format)) throw new GenUsageError(`--format must be one of ${GEN_FORMATS.join(', ')}`);
  const out: GenArgs = { services, format };
  const segments = num('segments');
  const calls = num('calls');
  const seed = num('seed');
  const breakRate = num('break-rate');
  if (segments !== undefined) out.segments = segments;
  if (calls !== undefined) out.calls = calls;
  if (seed !== undefined) out.seed = seed;
  if (breakRate !== undefined) out.breakRate = breakRate;
  const file = seen.get('out');
  if (file !== undefined) out.out = file;
  return out;
};

export type Exporter = (ws: Workspace) => ExportResult;

/** The writer of a --format, from FORMATS. */
export const exporterFor = (format: string): Exporter | undefined => writerNamed(format)?.write;

/** One line for a person: what was generated. */
export const describeTopology = ({ workspace: ws, facts }: Topology): string =>
  `${ws.services.length} services, ${ws.segments.length} segments, ${ws.calls.length} calls, ${ws.rules.length} rules; ` +
  `${facts.teams} teams in ${facts.domains} domains, ${facts.accounts} accounts, ${facts.vpcs} VPCs, ${facts.hubs.length} hubs; ` +
  `${facts.brokenCalls.length} calls broken; ${facts.groupsNearQuota.length} groups near and ${facts.groupsOverQuota.length} over the inbound-rules quota`;

export interface GenPlan {
  topology: Topology;
  /** Where each file goes: a path, or null for standard output. */
  files: { path: string | null; text: string }[];
  notes: string[];
}

/**
 * Generate and decide where the files go. One file: to `out` (a file, or inside it when it is a
 * directory) or to standard output. Several files (per project, per namespace): into the `out` directory.
 */
export const planGen = (
  args: GenArgs,
  exporter: Exporter,
  outIsDirectory: boolean,
  join: (dir: string, name: string) => string,
): GenPlan => {
  const topology = generateTopology(args);
  const result = exporter(topology.workspace);
  const many = result.files.length !== 1;
  if (many && args.out === undefined) {
    throw new GenUsageError(`--format ${args.format} writes ${result.files.length} files: give --out DIR`);
  }
  const files = result.files.map((f) => ({
    path:
      args.out === undefined
        ? null
        : many || outIsDirectory || args.out.endsWith('/')
          ? join(args.out, f.name)
          : args.out,
    text: f.text,
  }));
  return { topology, files, notes: result.notes };
};
