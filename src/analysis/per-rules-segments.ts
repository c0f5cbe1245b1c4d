// Values kept per analysis input and forgotten with it: per key object (an index, an analysis), per
// pair of rules and segments arrays, or per pair of calls array and id index (what-if copies share
// both arrays, so they share the value).
import type { Call, Rule, Segment } from '../model/types';
import type { AnalysisIndex } from './context';
import type { Analysis } from './types';

/** `make` memoised in `store` (a Map; a WeakMap forgets each value with its key); `undefined` is not kept. */
export const memoIn =
  <K, T>(store: { get(key: K): T | undefined; set(key: K, value: T): unknown }, make: (key: K) => T) =>
  (key: K): T => {
    let value = store.get(key);
    if (value === undefined) {
      value = make(key);
      store.set(key, value);
    }
    return value;
  };

/** A per-key lookup: `of(key, ...from)` makes the value once, `peek(key)` answers only what was made. */
export interface PerKey<K, T, A extends unknown[] = []> {
  (key: K, ...from: A): T;
  peek(key: K): T | undefined;
}

/**
 * A lookup that makes the value once per key object and forgets it with the key (held weakly). `make`
 * reads the key and, when the key alone does not hold all it needs, what the caller passes `from` it
 * (the first caller's `from` makes the value: pass only what the key determines).
 */
export const perKey = <K extends object, T, A extends unknown[] = []>(
  make: (key: K, ...from: A) => T,
): PerKey<K, T, A> => {
  const byKey = new WeakMap<K, T>();
  const of = (key: K, ...from: A): T => {
    let value = byKey.get(key);
    if (value === undefined) {
      value = make(key, ...from);
      byKey.set(key, value);
    }
    return value;
  };
  return Object.assign(of, { peek: (key: K) => byKey.get(key) });
};

/** A per-index lookup: `of(ix)` makes the value once, `peek(ix)` answers only what was made. */
export type PerIndex<T> = PerKey<AnalysisIndex, T>;

/**
 * A lookup that makes the value once per index and forgets it with the index (held weakly): the
 * derived data a drag's many what-if previews read from one base index. `make` may ask the lookup
 * itself for another index (a what-if index patched from its base's value).
 */
export const perIndex = <T>(make: (ix: AnalysisIndex) => T): PerIndex<T> => perKey(make);

/**
 * A lookup that makes the value once per analysis and forgets it with the analysis (held weakly):
 * what a drag's many what-if previews derive from one base analysis (its findings by rule, its broken calls).
 */
export const perAnalysis = <T, A extends unknown[] = []>(
  make: (analysis: Analysis, ...from: A) => T,
): PerKey<Analysis, T, A> => perKey(make);

/** A lookup of one value per pair of keys, made once from `from` and forgotten with either key (both held weakly). */
const perPair = <A extends object, B extends object, F, T>(make: (from: F) => T) => {
  const byA = new WeakMap<A, WeakMap<B, T>>();
  return (a: A, b: B, from: F): T => {
    let byB = byA.get(a);
    if (!byB) {
      byB = new WeakMap();
      byA.set(a, byB);
    }
    let value = byB.get(b);
    if (value === undefined) {
      value = make(from);
      byB.set(b, value);
    }
    return value;
  };
};

/**
 * A lookup that makes the value once per (rules, segments) pair of arrays and forgets it with them
 * (both held weakly): verdict caches stay valid across edited copies that keep the rules and segments.
 */
export const perRulesAndSegments = <T>(
  make: () => T,
): ((ws: { rules: readonly Rule[]; segments: readonly Segment[] }) => T) => {
  const of = perPair<readonly Rule[], readonly Segment[], undefined, T>(make);
  return (ws) => of(ws.rules, ws.segments, undefined);
};

/**
 * A lookup that makes the value once per (calls array, service id index) pair of an index and
 * forgets it with them: a what-if index that keeps the calls and the services' order shares it.
 */
export const perCallsAndIds = <T>(make: (ix: AnalysisIndex) => T): ((ix: AnalysisIndex) => T) => {
  const of = perPair<readonly Call[], ReadonlyMap<string, number>, AnalysisIndex, T>(make);
  return (ix) => of(ix.ws.calls, ix.byId, ix);
};
