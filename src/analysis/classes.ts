// Equivalence classes of services per level and a permit cache keyed by class, shared across edited copies.
import { LEVELS } from '../model/types';
import { type AnalysisIndex, baseOf } from './context';
import { perIndex, perRulesAndSegments } from './per-rules-segments';

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
  /** An upper bound of this index's ids at one level (plus one): the signatures numbered so far. */
  idBound(level: number): number;
}

/** The small integer id of `key` in `map`, numbering a new key with the next one (the map's size). */
export const idFor = <K>(map: Map<K, number>, key: K): number => {
  let id = map.get(key);
  if (id === undefined) {
    id = map.size;
    map.set(key, id);
  }
  return id;
};

/**
 * The id of each service's signature at one level (equal ids: equal verdicts on either end of any
 * pair), numbered in `map` (signature → id), which keeps its numbers across calls when shared.
 */
export const signatureIds = (ix: AnalysisIndex, level: number, n: number, map: Map<string, number>): Int32Array => {
  const engine = ix.engines[level];
  const arr = new Int32Array(n);
  for (let i = 0; i < n; i++) arr[i] = idFor(map, engine?.signature(i) ?? '');
  return arr;
};

/**
 * A what-if index's ids from its base's: the same rules and segments (one store) and the same
 * services in the same order but the changed ones, whose signatures alone can differ (a signature is
 * a function of the service, the rules and the segments). O(changed) signatures instead of O(N) per
 * what-if move: all six levels' signatures of 5,000 services took a fifth of a move's preview.
 */
const derivedIds = (ix: AnalysisIndex, store: PermitStore): Int32Array[] | undefined => {
  const base = baseOf(ix);
  const from = base && levelClasses.peek(base.index);
  if (!base || !from || storeFor(base.index) !== store) return undefined;
  const n = ix.services.length;
  if (base.index.services.length !== n) return undefined;
  if (!base.changed.every((i) => base.index.services[i]?.id === ix.services[i]?.id)) return undefined;
  return LEVELS.map((_, li) => {
    const ids = (from.ids[li] as Int32Array).slice();
    const map = store.ids[li] as Map<string, number>;
    for (const i of base.changed) ids[i] = idFor(map, ix.engines[li]?.signature(i) ?? '');
    return ids;
  });
};

export const levelClasses = perIndex((ix): LevelClasses => {
  const store = storeFor(ix);
  const n = ix.services.length;
  const ids =
    derivedIds(ix, store) ?? LEVELS.map((_, li) => signatureIds(ix, li, n, store.ids[li] as Map<string, number>));
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
  return {
    ids,
    permits,
    idBound: (li) => store.ids[li]?.size ?? 0,
    reachable: (a, b) => {
      for (const li of order) if (!permits(li, a, b)) return false;
      return true;
    },
  };
});
