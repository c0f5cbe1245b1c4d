// What-if pairs: reachability with the moved service before and after a move, and the excess counts patched from them.

import { LEVELS, type Level, type Service } from '../model/types';
import { idFor, levelClasses } from './classes';
import type { AnalysisIndex } from './context';
import { membershipOf } from './core';
import {
  aggregatedList,
  aggregationKey,
  calledPairs,
  computeExcess,
  type ExcessEntry,
  type ExcessOptions,
  type ExcessResult,
  levelOfCounts,
  membershipCounts,
} from './excess';
import { memoIn, perAnalysis, perIndex, perKey } from './per-rules-segments';
import type { Analysis } from './types';

/** The excess state an analysis carries: mode, level, per-source counts (from the findings), the list. */
// Per analysis and list limit: a drag previews many moves against one analysis (its findings walked once).
const excessByLimit = perAnalysis(() => new Map<number, ExcessResult>());
export const excessFrom = (analysis: Analysis, options: ExcessOptions): ExcessResult =>
  memoIn(excessByLimit(analysis), () => excessOf(analysis, options))(options.listLimit);

const excessOf = (analysis: Analysis, options: ExcessOptions): ExcessResult => {
  const counts = new Map<string, number>();
  let complete = true;
  for (const f of analysis.findings) {
    if (f.id !== 'excess-reach') continue;
    if (f.key === 'excess-reach:not-computed') complete = false;
    else if (f.key.startsWith('excess-reach:segment:'))
      counts.set(f.key.slice('excess-reach:segment:'.length), f.count ?? 0);
    else counts.set(f.key.slice('excess-reach:'.length), f.count ?? 0);
  }
  return {
    mode: analysis.excessMode ?? 'service',
    level: analysis.excessLevel ?? 'overlay',
    counts,
    list: analysis.excess,
    complete,
    classes: 0,
    truncated: analysis.excess.length >= options.listLimit,
  };
};

export interface PairChanges {
  opened: { from: string; to: string }[];
  closed: { from: string; to: string }[];
  excess: ExcessResult;
}

// Services with a membership per level of a base index (a drag previews many moves against one).
const baseCounts = perIndex(membershipCounts);
/** The after-move counts: the base's, with the moved service's memberships swapped. */
const countsAfter = (ix1: AnalysisIndex, ix2: AnalysisIndex, s: number): number[] => {
  const counts = baseCounts(ix1);
  const has = (ix: AnalysisIndex, level: Level) => (membershipOf(ix.services[s] as Service, level).length > 0 ? 1 : 0);
  return counts.map((n, li) => n - has(ix1, LEVELS[li] as Level) + has(ix2, LEVELS[li] as Level));
};

// Callers per service, the reverse of calledPairs (per its map: the same calls and services).
const callersOf = perKey((called: Map<number, Set<number>>) => {
  const callers = new Map<number, number[]>();
  for (const [a, bs] of called)
    for (const b of bs) {
      const list = callers.get(b);
      if (list) list.push(a);
      else callers.set(b, [a]);
    }
  return callers;
});
/** Which services call `s` and which `s` calls, as flags by service index. */
const calledWith = (ix: AnalysisIndex, s: number): { callsS: Uint8Array; calledByS: Uint8Array } => {
  const called = calledPairs(ix);
  const callers = callersOf(called);
  const n = ix.services.length;
  const callsS = new Uint8Array(n);
  for (const a of callers.get(s) ?? []) callsS[a] = 1;
  const calledByS = new Uint8Array(n);
  for (const b of called.get(s) ?? []) calledByS[b] = 1;
  return { callsS, calledByS };
};

/** Whether service x reaches the moved one (`in`) and the moved one reaches x (`out`), before (1) and after (2). */
interface Reach {
  in1(x: number): boolean;
  in2(x: number): boolean;
  out1(x: number): boolean;
  out2(x: number): boolean;
}

/**
 * Reach with the moved service depends on the other side's level signatures only: cached per level
 * and signature id (typed arrays: 4·N pair checks cost a few array reads each). A level where the
 * moved service kept its signature answers the same before and after (one permit store serves both
 * indexes), so its cache is shared.
 */
const reachWith = (ix1: AnalysisIndex, ix2: AnalysisIndex, s: number): Reach => {
  const lc1 = levelClasses(ix1);
  const lc2 = levelClasses(ix2);
  const UNKNOWN = 2;
  // Levels where the moved service kept its signature first: their answers are mostly in the permit
  // store already, and a denial there spares evaluating the new signature at the moved level.
  const kept = (li: number) => lc1.ids[li]?.[s] === lc2.ids[li]?.[s];
  const order = lc1.ids.map((_, li) => li).sort((a, b) => Number(kept(b)) - Number(kept(a)));
  const side =
    (lc: typeof lc1, caches: Uint8Array[], towardsS: boolean) =>
    (x: number): boolean => {
      for (let k = 0; k < caches.length; k++) {
        const li = order[k] as number;
        const sig = (lc.ids[li] as Int32Array)[x] as number;
        const cache = caches[k] as Uint8Array;
        let ok = cache[sig] as number;
        if (ok === UNKNOWN) {
          ok = (towardsS ? lc.permits(li, x, s) : lc.permits(li, s, x)) ? 1 : 0;
          cache[sig] = ok;
        }
        if (ok === 0) return false;
      }
      return true;
    };
  const sideCaches = (towardsS: boolean) => {
    const c1: Uint8Array[] = [];
    const c2: Uint8Array[] = [];
    for (const li of order) {
      const size = lc2.idBound(li);
      const a = new Uint8Array(size).fill(UNKNOWN);
      c1.push(a);
      c2.push(kept(li) ? a : new Uint8Array(size).fill(UNKNOWN));
    }
    return [side(lc1, c1, towardsS), side(lc2, c2, towardsS)] as const;
  };
  const [in1, in2] = sideCaches(true);
  const [out1, out2] = sideCaches(false);
  return { in1, in2, out1, out2 };
};

// Per base index: each service's class over all levels (the tuple of its signature ids). Services
// of one class reach the moved service alike, before and after the move (the other services keep
// their signatures), so the walk evaluates one service per class: 961 classes of 5,000 services.
const tupleIds = perIndex((ix): Int32Array => {
  const { ids } = levelClasses(ix);
  const byKey = new Map<string, number>();
  const of = new Int32Array(ix.services.length);
  for (let i = 0; i < of.length; i++) of[i] = idFor(byKey, ids.map((a) => a[i]).join(','));
  return of;
});
const tuplesOf = (ix: AnalysisIndex): { of: Int32Array; count: number } => {
  const of = tupleIds(ix);
  return { of, count: of.length === 0 ? 0 : Math.max(...of) + 1 };
};

// Per base index and level: each service's aggregation key as a small integer (the walk counts per key in typed arrays).
const aggCache = perIndex(() => new Map<Level, { of: Int32Array; keys: string[] }>());
const aggIdsOf = (ix: AnalysisIndex, level: Level): { of: Int32Array; keys: string[] } => {
  const byLevel = aggCache(ix);
  let hit = byLevel.get(level);
  if (!hit) {
    const index = new Map<string, number>();
    const of = new Int32Array(ix.services.length);
    for (let i = 0; i < of.length; i++) of[i] = idFor(index, aggregationKey(ix, level, i));
    hit = { of, keys: [...index.keys()] };
    byLevel.set(level, hit);
  }
  return hit;
};

/** The nonzero counts per key. */
const countsByKey = (counts: Int32Array, keys: readonly string[]): Map<string, number> => {
  const m = new Map<string, number>();
  counts.forEach((n, k) => {
    if (n !== 0) m.set(keys[k] as string, n);
  });
  return m;
};

/** What the walk over the other services finds: the pairs that open or close, and the excess patch. */
interface PairWalk {
  opened: { from: string; to: string }[];
  closed: { from: string; to: string }[];
  /** Excess per source, patched (only when patchable). */
  counts: Map<string, number>;
  /** Service mode, list of pairs: the moved service's excess pairs after the move. */
  pairsOut: ExcessEntry[];
  /** Aggregated modes: the moved service's pairs counted per other-side key, before (1) and after (2). */
  deltas: { in1: Map<string, number>; in2: Map<string, number>; out1: Map<string, number>; out2: Map<string, number> };
}

/** The list is of service pairs (service mode under the limit) rather than counted aggregates. */
const listIsPairs = (old: ExcessResult) => old.mode === 'service' && !old.list.some((e) => e.count !== undefined);

const inc = (a: Int32Array, k: number) => {
  a[k] = (a[k] as number) + 1;
};

/** Whether x reaches s and s reaches x, before and after, as four bits (in1, in2, out1, out2). */
const reachBits = (r: Reach, x: number): number =>
  (r.in1(x) ? 1 : 0) | (r.in2(x) ? 2 : 0) | (r.out1(x) ? 4 : 0) | (r.out2(x) ? 8 : 0);

/** Each other service's reach bits, evaluated once per class (services with equal signature ids at every level reach alike). */
const bitsByClass = (ix1: AnalysisIndex, r: Reach) => {
  const tuples = tuplesOf(ix1);
  const bits = new Int8Array(tuples.count).fill(-1);
  return (x: number): number => {
    const t = tuples.of[x] as number;
    let b = bits[t] as number;
    if (b < 0) {
      b = reachBits(r, x);
      bits[t] = b;
    }
    return b;
  };
};

/** Walk the pairs with the moved service once, in the old and the new index (cached per class of the other side). */
const walkPairs = (
  ix1: AnalysisIndex,
  ix2: AnalysisIndex,
  s: number,
  old: ExcessResult,
  level: Level,
  patchable: boolean,
) => {
  const id = (i: number) => (ix2.services[i] as Service).id;
  const sId = id(s);
  const r = reachWith(ix1, ix2, s);
  const agg1S = aggregationKey(ix1, level, s);
  const agg2S = aggregationKey(ix2, level, s);
  // Other services keep their memberships: their keys are the base index's.
  const agg = aggIdsOf(ix1, level);
  const srcKey = (i: number) => (old.mode === 'service' ? id(i) : (agg.keys[agg.of[i] as number] as string));
  const w: PairWalk = {
    opened: [],
    closed: [],
    counts: new Map(old.counts),
    pairsOut: [],
    deltas: { in1: new Map(), in2: new Map(), out1: new Map(), out2: new Map() },
  };
  const bump = (key: string, d: number) => w.counts.set(key, (w.counts.get(key) ?? 0) + d);
  const pairs = listIsPairs(old);
  const { callsS, calledByS } = calledWith(ix2, s);
  const bitsOf = bitsByClass(ix1, r);
  const k = agg.keys.length;
  const d = { in1: new Int32Array(k), in2: new Int32Array(k), out1: new Int32Array(k), out2: new Int32Array(k) };
  let outLost = 0;
  let outGained = 0;
  for (let x = 0; x < ix1.services.length; x++) {
    if (x === s) continue;
    const b = bitsOf(x);
    if (b === 0) continue;
    const in1 = (b & 1) !== 0;
    const in2 = (b & 2) !== 0;
    const out1 = (b & 4) !== 0;
    const out2 = (b & 8) !== 0;
    if (in2 && !in1) w.opened.push({ from: id(x), to: sId });
    if (in1 && !in2) w.closed.push({ from: id(x), to: sId });
    if (out2 && !out1) w.opened.push({ from: sId, to: id(x) });
    if (out1 && !out2) w.closed.push({ from: sId, to: id(x) });
    if (!patchable) continue;
    const cIn = callsS[x] === 1;
    const cOut = calledByS[x] === 1;
    if (!cIn && in1 !== in2) bump(srcKey(x), in2 ? 1 : -1);
    if (!cOut) {
      if (out1) outLost++;
      if (out2) outGained++;
    }
    if (pairs) {
      if (in2 && !cIn) w.pairsOut.push({ from: id(x), to: sId });
      if (out2 && !cOut) w.pairsOut.push({ from: sId, to: id(x) });
      continue;
    }
    // Aggregated pair deltas, summed per other-side key.
    const gx = agg.of[x] as number;
    if (!cIn && in1) inc(d.in1, gx);
    if (!cIn && in2) inc(d.in2, gx);
    if (!cOut && out1) inc(d.out1, gx);
    if (!cOut && out2) inc(d.out2, gx);
  }
  // The moved service's own count, once for the whole walk.
  const sKey = (which: 1 | 2) => (old.mode === 'service' ? sId : which === 1 ? agg1S : agg2S);
  if (outLost > 0) bump(sKey(1), -outLost);
  if (outGained > 0) bump(sKey(2), outGained);
  if (!pairs)
    w.deltas = {
      in1: countsByKey(d.in1, agg.keys),
      in2: countsByKey(d.in2, agg.keys),
      out1: countsByKey(d.out1, agg.keys),
      out2: countsByKey(d.out2, agg.keys),
    };
  return { walk: w, agg1S, agg2S };
};

/** The excess state after the move from the walk, or undefined where it must be recomputed. */
const excessAfter = (
  ix2: AnalysisIndex,
  s: number,
  old: ExcessResult,
  options: ExcessOptions,
  level: Level,
  { walk, agg1S, agg2S }: ReturnType<typeof walkPairs>,
): ExcessResult | undefined => {
  const { counts } = walk;
  for (const [k, v] of [...counts]) if (v <= 0) counts.delete(k);
  const total = old.mode === 'service' ? [...counts.values()].reduce((a, b) => a + b, 0) : 0;
  // The list changes form when the service-mode total crosses the limit: recompute then.
  const pairs = listIsPairs(old);
  if (old.mode === 'service' && pairs !== total <= options.listLimit) return undefined;
  let list: ExcessEntry[];
  if (pairs) {
    const sId = (ix2.services[s] as Service).id;
    const order = new Map(ix2.services.map((x, i) => [x.id, i]));
    list = [...old.list.filter((e) => e.from !== sId && e.to !== sId), ...walk.pairsOut].sort(
      (p, q) => (order.get(p.from) ?? 0) - (order.get(q.from) ?? 0) || (order.get(p.to) ?? 0) - (order.get(q.to) ?? 0),
    );
  } else {
    const pairCounts = new Map<string, number>();
    for (const e of old.list) pairCounts.set(`${e.from}\u0000${e.to}`, e.count ?? 0);
    const bumpPair = (gi: string, gj: string, d: number) => {
      const k = `${gi}\u0000${gj}`;
      pairCounts.set(k, (pairCounts.get(k) ?? 0) + d);
    };
    const { deltas } = walk;
    for (const [gx, d] of deltas.in1) bumpPair(gx, agg1S, -d);
    for (const [gx, d] of deltas.in2) bumpPair(gx, agg2S, d);
    for (const [gx, d] of deltas.out1) bumpPair(agg1S, gx, -d);
    for (const [gx, d] of deltas.out2) bumpPair(agg2S, gx, d);
    list = aggregatedList(pairCounts, options.listLimit);
    if (list.length >= options.listLimit) return undefined;
  }
  return { mode: old.mode, level, counts, list, complete: true, classes: old.classes, truncated: false };
};

/**
 * Only pairs with the moved service change reachability. Walk them once in the old and the new
 * index (class-cached, so O(classes) level evaluations) and patch the excess counts and list.
 */
export const patchPairs = (
  ix1: AnalysisIndex,
  ix2: AnalysisIndex,
  s: number,
  old: ExcessResult,
  options: ExcessOptions,
): PairChanges => {
  const level = levelOfCounts(countsAfter(ix1, ix2, s));
  const patchable = old.complete && level === old.level && !old.truncated;
  const walked = walkPairs(ix1, ix2, s, old, level, patchable);
  const { opened, closed } = walked.walk;
  const patched = patchable ? excessAfter(ix2, s, old, options, level, walked) : undefined;
  return { opened, closed, excess: patched ?? computeExcess(ix2, options) };
};
