// Excess reach: pairs reachable but never called, counted over equivalence classes instead of all N² pairs.
import { LEVELS, type Level } from '../model/types';
import { levelClasses } from './classes';
import type { AnalysisIndex } from './context';
import { membershipOf } from './core';
import { perCallsAndIds } from './per-rules-segments';

export interface ExcessOptions {
  /** Up to this many services, excess is reported per service; above, per segment of the aggregation level. */
  servicePairLimit: number;
  /** Longest list of pairs kept in `Analysis.excess`; longer lists are aggregated by segment pair. */
  listLimit: number;
  /** Above this many equivalence classes the class-pair matrix is too big: excess is not computed. */
  classLimit: number;
}

export const DEFAULT_EXCESS_OPTIONS: ExcessOptions = { servicePairLimit: 2000, listLimit: 20000, classLimit: 4000 };

export interface ExcessEntry {
  from: string;
  to: string;
  /** For aggregated entries: number of service pairs from the `from` segment to the `to` segment. */
  count?: number;
}

export interface ExcessResult {
  mode: 'service' | 'segment';
  /** The level whose segments aggregate services (segment mode, and aggregated lists). */
  level: Level;
  /** Excess pairs per source: service id (service mode) or segment key (segment mode). */
  counts: Map<string, number>;
  list: ExcessEntry[];
  /** False when there were too many classes to compute. */
  complete: boolean;
  classes: number;
  /** The list hit `listLimit` (so it cannot be patched by a what-if). */
  truncated?: boolean;
}

export const NO_SEGMENT = '(none)';

/** Services with a membership, per level (LEVELS order): what the aggregation level is chosen by. */
export const membershipCounts = (ix: AnalysisIndex): number[] =>
  LEVELS.map((level) => ix.services.reduce((k, s) => k + (membershipOf(s, level).length > 0 ? 1 : 0), 0));

/** The level whose memberships cover most services (finer wins ties), from `membershipCounts`. */
export const levelOfCounts = (counts: readonly number[]): Level => {
  let best: Level = 'overlay';
  let bestCount = -1;
  LEVELS.forEach((level, li) => {
    const n = counts[li] ?? 0;
    if (n >= bestCount) {
      best = level;
      bestCount = n;
    }
  });
  return best;
};

/** The level whose memberships cover most services (finer wins ties): the natural unit to aggregate by. */
export const aggregationLevel = (ix: AnalysisIndex): Level => levelOfCounts(membershipCounts(ix));

/** A service's aggregation segment: its first membership (by id) at the level. */
export const aggregationKey = (ix: AnalysisIndex, level: Level, i: number): string => {
  const m = membershipOf(ix.services[i] as never, level);
  if (m.length === 0) return NO_SEGMENT;
  return m.length === 1 ? (m[0] as string) : ([...m].sort()[0] as string);
};

/** Distinct called pairs a → b (a ≠ b) as a → set of b (cached per calls array and id index). */
export const calledPairs = perCallsAndIds((ix): Map<number, Set<number>> => {
  const out = new Map<number, Set<number>>();
  for (const c of ix.ws.calls) {
    const a = ix.byId.get(c.from);
    const b = ix.byId.get(c.to);
    if (a === undefined || b === undefined || a === b) continue;
    let set = out.get(a);
    if (!set) {
      set = new Set();
      out.set(a, set);
    }
    set.add(b);
  }
  return out;
});

/** Services with equal signatures at every level and the same aggregation segment. */
interface ExcessClasses {
  classOf: Int32Array;
  members: number[][];
  /** Per class, its aggregation segment. */
  agg: string[];
}

const excessClasses = (ix: AnalysisIndex, level: Level, ids: readonly ArrayLike<number>[]): ExcessClasses => {
  const n = ix.services.length;
  const keyOf = new Map<string, number>();
  const classOf = new Int32Array(n);
  const members: number[][] = [];
  const agg: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = aggregationKey(ix, level, i);
    const key = `${ids.map((a) => a[i]).join(',')}|${g}`;
    let c = keyOf.get(key);
    if (c === undefined) {
      c = members.length;
      keyOf.set(key, c);
      members.push([]);
      agg.push(g);
    }
    members[c]?.push(i);
    classOf[i] = c;
  }
  return { classOf, members, agg };
};

/** Class-pair reachability, evaluated on the classes' first members on first use. */
const classReach = (members: readonly number[][], reachable: (a: number, b: number) => boolean) => {
  const k = members.length;
  const rep = members.map((m) => m[0] as number);
  // 0 unknown, 1 not reachable, 2 reachable
  const matrix = new Uint8Array(k * k);
  return (ci: number, cj: number): boolean => {
    const at = ci * k + cj;
    let v = matrix[at] as number;
    if (v === 0) {
      v = reachable(rep[ci] as number, rep[cj] as number) ? 2 : 1;
      matrix[at] = v;
    }
    return v === 2;
  };
};

type ClassReach = ReturnType<typeof classReach>;
type Called = Map<number, Set<number>>;

/** Per service: the services its class reaches (itself excluded) that it does not call. */
const excessPerService = (n: number, cls: ExcessClasses, R: ClassReach, called: Called) => {
  const { classOf, members } = cls;
  const k = members.length;
  const rowCount = new Float64Array(k);
  for (let ci = 0; ci < k; ci++) {
    let sum = 0;
    for (let cj = 0; cj < k; cj++) if (R(ci, cj)) sum += (members[cj] as number[]).length;
    rowCount[ci] = sum;
  }
  const excessOf = new Float64Array(n);
  let total = 0;
  for (let a = 0; a < n; a++) {
    const ci = classOf[a] as number;
    let calledReach = 0;
    for (const b of called.get(a) ?? []) if (R(ci, classOf[b] as number)) calledReach++;
    const e = (rowCount[ci] as number) - (R(ci, ci) ? 1 : 0) - calledReach;
    excessOf[a] = e;
    total += e;
  }
  return { excessOf, total };
};

/** Every excess pair by service, in source order, targets in service order. */
const serviceList = (ix: AnalysisIndex, cls: ExcessClasses, R: ClassReach, called: Called): ExcessEntry[] => {
  const { classOf, members } = cls;
  const list: ExcessEntry[] = [];
  for (let a = 0; a < ix.services.length; a++) {
    const ci = classOf[a] as number;
    const calledSet = called.get(a);
    const from = (ix.services[a] as { id: string }).id;
    const row: number[] = [];
    for (let cj = 0; cj < members.length; cj++) {
      if (!R(ci, cj)) continue;
      for (const b of members[cj] as number[]) {
        if (b !== a && !calledSet?.has(b)) row.push(b);
      }
    }
    row.sort((x, y) => x - y);
    for (const b of row) list.push({ from, to: (ix.services[b] as { id: string }).id });
  }
  return list;
};

/** Excess pairs summed per (segment, segment) of the aggregation level, keyed `from\0to`. */
const segmentPairCounts = (cls: ExcessClasses, R: ClassReach, called: Called): Map<string, number> => {
  const { classOf, members, agg } = cls;
  const k = members.length;
  // Aggregation segments as small integers, so the k² class-pair loop does no string work.
  const aggIds = new Map<string, number>();
  const aggIndex = agg.map((g) => {
    let id = aggIds.get(g);
    if (id === undefined) {
      id = aggIds.size;
      aggIds.set(g, id);
    }
    return id;
  });
  const G = aggIds.size;
  // A dense matrix while it stays small; a map keyed by gi·G+gj beyond (keys stay small integers).
  const dense = G <= 1500;
  const matrix = dense ? new Float64Array(G * G) : undefined;
  const sparse = dense ? undefined : new Map<number, number>();
  const add = (at: number, d: number) => {
    if (matrix) matrix[at] = (matrix[at] as number) + d;
    else sparse?.set(at, (sparse.get(at) ?? 0) + d);
  };
  for (let ci = 0; ci < k; ci++) {
    const si = (members[ci] as number[]).length;
    const row = (aggIndex[ci] as number) * G;
    for (let cj = 0; cj < k; cj++) {
      if (!R(ci, cj)) continue;
      const sj = (members[cj] as number[]).length;
      add(row + (aggIndex[cj] as number), ci === cj ? si * (si - 1) : si * sj);
    }
  }
  for (const [a, set] of called) {
    for (const b of set) {
      const ca = classOf[a] as number;
      const cb = classOf[b] as number;
      if (!R(ca, cb)) continue;
      add((aggIndex[ca] as number) * G + (aggIndex[cb] as number), -1);
    }
  }
  const names = [...aggIds.keys()];
  const pairCounts = new Map<string, number>();
  const put = (at: number, v: number) => {
    if (v !== 0) pairCounts.set(`${names[Math.floor(at / G)]}\u0000${names[at % G]}`, v);
  };
  if (matrix) {
    for (let at = 0; at < matrix.length; at++) put(at, matrix[at] as number);
  } else for (const [at, v] of sparse ?? []) put(at, v);
  return pairCounts;
};

/**
 * A pair is reachable when every level permits some connection (reach without a port). Services
 * with equal signatures at every level (and the same aggregation segment) form a class; one verdict
 * per class pair gives the counts: |ci|·|cj| pairs per reachable class pair, minus self-pairs, minus
 * the pairs that are called.
 */
export const computeExcess = (ix: AnalysisIndex, options: ExcessOptions = DEFAULT_EXCESS_OPTIONS): ExcessResult => {
  const n = ix.services.length;
  const mode = n <= options.servicePairLimit ? 'service' : 'segment';
  const level = aggregationLevel(ix);
  const lc = levelClasses(ix);
  const cls = excessClasses(ix, level, lc.ids);
  const k = cls.members.length;
  const empty: ExcessResult = { mode, level, counts: new Map(), list: [], complete: false, classes: k };
  if (k > options.classLimit) return empty;
  const R = classReach(cls.members, lc.reachable);
  const called = calledPairs(ix);
  const { excessOf, total } = excessPerService(n, cls, R, called);
  const counts = new Map<string, number>();
  for (let a = 0; a < n; a++) {
    const e = excessOf[a] as number;
    if (e <= 0) continue;
    const key =
      mode === 'service' ? (ix.services[a] as { id: string }).id : (cls.agg[cls.classOf[a] as number] as string);
    counts.set(key, (counts.get(key) ?? 0) + e);
  }
  const list =
    mode === 'service' && total <= options.listLimit
      ? serviceList(ix, cls, R, called)
      : aggregatedList(segmentPairCounts(cls, R, called), options.listLimit);
  return { mode, level, counts, list, complete: true, classes: k, truncated: list.length >= options.listLimit };
};

/** Segment pairs with a positive count, largest first, at most `limit` of them. */
export const aggregatedList = (pairCounts: Map<string, number>, limit: number): ExcessEntry[] =>
  [...pairCounts]
    .filter(([, c]) => c > 0)
    .map(([key, count]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      return { from, to, count };
    })
    .sort(
      (x, y) =>
        y.count - x.count || (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : 0),
    )
    .slice(0, limit);
