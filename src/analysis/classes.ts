// Equivalence classes of services per level and a permit cache keyed by class, shared across edited copies.
import { LEVELS } from '../model/types';
import type { AnalysisIndex } from './context';
import { perRulesAndSegments } from './per-rules-segments';

interface PermitStore {
  /** Per level: signature → small integer id. */
  ids: Map<string, number>[];
  /** Per level: id a → id b → permits (small-integer keys stay fast in V8 maps). */
  permits: Map<number, Map<number, boolean>>[];
}

// Level verdicts depend only on the rules, the segments and the two services' signatures, so a
// what-if copy of the workspace (same rules and segments arrays) reuses every cached answer.
const storeOf = perRulesAndSegments<PermitStore>(() => ({
  ids: LEVELS.map(() => new Map()),
  permits: LEVELS.map(() => new Map()),
}));

const storeFor = (ix: AnalysisIndex): PermitStore => storeOf(ix.ws);

export interface LevelClasses {
  /** Per level (LEVELS order), per service: the id of its signature. */
  ids: Int32Array[];
  /** a → b permitted at every level ("some connection" per level: no level denies). */
  reachable(a: number, b: number): boolean;
  /** a → b permitted at one level (index into LEVELS). */
  permits(level: number, a: number, b: number): boolean;
}

const classCache = new WeakMap<AnalysisIndex, LevelClasses>();

/**
 * The id of each service's signature at one level (equal ids: equal verdicts on either end of any
 * pair), numbered in `map` (signature → id), which keeps its numbers across calls when shared.
 */
export const signatureIds = (ix: AnalysisIndex, level: number, n: number, map: Map<string, number>): Int32Array => {
  const engine = ix.engines[level];
  const arr = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const sig = engine?.signature(i) ?? '';
    let id = map.get(sig);
    if (id === undefined) {
      id = map.size;
      map.set(sig, id);
    }
    arr[i] = id;
  }
  return arr;
};

export const levelClasses = (ix: AnalysisIndex): LevelClasses => {
  const hit = classCache.get(ix);
  if (hit) return hit;
  const store = storeFor(ix);
  const n = ix.services.length;
  const ids = LEVELS.map((_, li) => signatureIds(ix, li, n, store.ids[li] as Map<string, number>));
  const permits = (li: number, a: number, b: number): boolean => {
    const cache = store.permits[li] as Map<number, Map<number, boolean>>;
    const la = ids[li]?.[a] as number;
    const lb = ids[li]?.[b] as number;
    let row = cache.get(la);
    if (!row) {
      row = new Map();
      cache.set(la, row);
    }
    const v = row.get(lb);
    if (v !== undefined) return v;
    const r = ix.engines[li]?.permits(a, b) ?? true;
    row.set(lb, r);
    return r;
  };
  // Check levels with few classes first: their answers are cached after a handful of evaluations,
  // so a denial there spares the costlier levels.
  const order = LEVELS.map((_, li) => li).sort((x, y) => (store.ids[x]?.size ?? 0) - (store.ids[y]?.size ?? 0));
  const result: LevelClasses = {
    ids,
    permits,
    reachable: (a, b) => {
      for (const li of order) if (!permits(li, a, b)) return false;
      return true;
    },
  };
  classCache.set(ix, result);
  return result;
};
