// Fuzzing the readers: the four properties every reader keeps, checked on the inputs of fuzzCases.ts.
//
// For every input: 1. importing never throws; 2. every diagnostic names the file, a line and a
// column. For damage only, compared with the same seed whose damaged item (the innermost list entry
// around the damage, else the top-level entry) is replaced by null:
// 3. the valid rest still loads: every service, segment, rule and call of the nulled document is
//    there; 4. no value is widened: a rule read from the damaged document, kept under its id,
//    allows no connection (per pair of services and port) the undamaged rule does not.
import fc from 'fast-check';
import { isEmpty, subtract } from '../../analysis/connset';
import { buildIndex } from '../../analysis/context';
import { levelResult } from '../../analysis/reach';
import { LEVELS, type Workspace } from '../../model/types';
import { type ImportResult, importFiles } from '../index';
import type { FileInput } from '../types';
import { type FuzzCase, type FuzzTarget, fuzzCases } from './fuzzCases';

export type { FuzzCase, FuzzTarget } from './fuzzCases';

/** What reading a list of files gives: importFiles, unless a test plants a fault to see it caught. */
export type Importer = (files: FileInput[]) => ImportResult;

const ids = (ws: Workspace): Set<string> =>
  new Set([
    ...ws.services.map((s) => `service ${s.id}`),
    ...ws.segments.map((s) => `segment ${s.id}`),
    ...ws.rules.map((r) => `rule ${r.id}`),
    // A call's port may be read differently when the entity giving it is damaged; the call must stay.
    ...ws.calls.map((c) => `call ${c.from} → ${c.to}`),
  ]);

const withoutSource = (r: unknown) => {
  const { source: _s, ...rest } = r as { source?: unknown };
  return JSON.stringify(rest);
};

/** A rule of `damaged` that allows more than the rule of the same id in `original`, or undefined. */
const widenedRule = (original: Workspace, damaged: Workspace): string | undefined => {
  const before = new Map(original.rules.map((r) => [r.id, r]));
  for (const r of damaged.rules) {
    const o = before.get(r.id);
    if (!o || o.level !== r.level || withoutSource(o) === withoutSource(r)) continue;
    const swapped: Workspace = { ...original, rules: original.rules.map((x) => (x.id === r.id ? r : x)) };
    const a = buildIndex(original);
    const b = buildIndex(swapped);
    const li = LEVELS.indexOf(r.level);
    const n = original.services.length;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const more = subtract(levelResult(b, li, i, j).conns, levelResult(a, li, i, j).conns);
        if (!isEmpty(more))
          return `rule ${r.id} widened for ${original.services[i]?.id} → ${original.services[j]?.id}: ${withoutSource(o)} became ${withoutSource(r)}`;
      }
  }
  return undefined;
};

/** What one fuzz run keeps between inputs: each seed's undamaged workspace and each nulled file's ids. */
export interface FuzzContext {
  target: FuzzTarget;
  read: Importer;
  originals: Map<number, Workspace>;
  /** Few distinct nulled files per seed: each is read once. */
  nulledIds: Map<string, Set<string>>;
}

export const fuzzContext = (target: FuzzTarget, read: Importer = importFiles): FuzzContext => ({
  target,
  read,
  originals: new Map(),
  nulledIds: new Map(),
});

const nulledIdsOf = (ctx: FuzzContext, f: FileInput): Set<string> => {
  let got = ctx.nulledIds.get(f.text);
  if (!got) {
    got = ids(ctx.read([f]).workspace);
    if (ctx.nulledIds.size > 5000) ctx.nulledIds.clear();
    ctx.nulledIds.set(f.text, got);
  }
  return got;
};

const originalOf = (ctx: FuzzContext, seed: number): Workspace => {
  let original = ctx.originals.get(seed);
  if (!original) {
    original = ctx.read([ctx.target.seeds[seed] as FileInput]).workspace;
    ctx.originals.set(seed, original);
  }
  return original;
};

/** A diagnostic that does not name the file, a line and a column inside it, or undefined. */
const unplaced = (c: FuzzCase, result: ImportResult): string | undefined => {
  const lines = c.file.text.split('\n').length + 1;
  for (const d of [...result.report.files.flatMap((f) => f.diagnostics), ...result.report.diagnostics]) {
    const placed =
      d.file === c.file.name &&
      Number.isInteger(d.line) &&
      Number.isInteger(d.column) &&
      d.line >= 1 &&
      d.line <= lines &&
      d.column >= 1 &&
      typeof d.message === 'string' &&
      d.message.length > 0;
    if (!placed) return `diagnostic not placed: ${JSON.stringify(d)}`;
  }
  return undefined;
};

/** The first property the case breaks, or undefined. */
export const checkCase = (ctx: FuzzContext, c: FuzzCase): string | undefined => {
  let result: ImportResult;
  try {
    result = ctx.read([c.file]);
  } catch (e) {
    return `threw: ${(e as Error).stack ?? String(e)}`;
  }
  if (({} as Record<string, unknown>).polluted !== undefined) return 'Object.prototype was polluted';
  const misplaced = unplaced(c, result);
  if (misplaced) return misplaced;
  if (c.kind !== 'damage' || !c.nulled) return undefined;
  const got = ids(result.workspace);
  const lost = [...nulledIdsOf(ctx, c.nulled)].filter((id) => !got.has(id));
  if (lost.length > 0) return `the valid rest did not load: lost ${lost.slice(0, 5).join(', ')}`;
  return widenedRule(originalOf(ctx, c.seed), result.workspace);
};

export interface FuzzFailure {
  input: FileInput;
  kind: string;
  message: string;
}

export interface FuzzReport {
  reader: string;
  inputs: number;
  ms: number;
  /** Inputs that broke a property. */
  failed: number;
  /** The first of them (at most MAX_FAILURES). */
  failures: FuzzFailure[];
}

/** At most this many failures are kept per run (the first ones say enough). */
const MAX_FAILURES = 20;

/** Run `runs` inputs for a target from a fixed seed; failures are collected, not thrown. */
export const runFuzz = (target: FuzzTarget, runs: number, seed: number, read: Importer = importFiles): FuzzReport => {
  const ctx = fuzzContext(target, read);
  const failures: FuzzFailure[] = [];
  const t0 = performance.now();
  let inputs = 0;
  let failed = 0;
  fc.check(
    fc.property(fuzzCases(target), (c) => {
      inputs++;
      const message = checkCase(ctx, c);
      if (message) failed++;
      if (message && failures.length < MAX_FAILURES)
        failures.push({ input: c.file, kind: c.kind, message: c.what ? `${c.what}: ${message}` : message });
      return true;
    }),
    { numRuns: runs, seed },
  );
  return { reader: target.id, inputs, ms: Math.round(performance.now() - t0), failed, failures };
};

/** One share of a run: its inputs and its fast-check seed. */
export interface FuzzSlice {
  runs: number;
  seed: number;
}

/**
 * `runs` inputs cut into `parts` shares for parallel workers: share k runs from seed + k, so the
 * same seed and parts give the same inputs, and no two shares repeat each other's stream.
 */
export const fuzzSlices = (runs: number, parts: number, seed: number): FuzzSlice[] => {
  const n = Math.max(1, Math.min(parts, runs));
  return Array.from({ length: n }, (_, k) => ({
    runs: Math.floor(runs / n) + (k < runs % n ? 1 : 0),
    seed: (seed + k) % 2 ** 31,
  }));
};

/** The reports of a run's shares as one: inputs and failed inputs added, failures kept up to the limit, `ms` the wall time. */
export const mergeReports = (reader: string, parts: FuzzReport[], ms: number): FuzzReport => ({
  reader,
  inputs: parts.reduce((n, r) => n + r.inputs, 0),
  ms,
  failed: parts.reduce((n, r) => n + r.failed, 0),
  failures: parts.flatMap((r) => r.failures).slice(0, MAX_FAILURES),
});
