// Sums over a workspace's services (or calls) kept per index: a what-if index patches its base's sums by what it changed.

import { type AnalysisIndex, baseOf } from './context';
import { type PerIndex, perCallsAndIds, perIndex } from './per-rules-segments';

/** Per key: the summed weight and how many contributions it has (a key with none is absent). */
export interface Tally {
  readonly sum: ReadonlyMap<string, number>;
  readonly n: ReadonlyMap<string, number>;
}

/** What one item (a service or a call, by index) adds: keys with weights (a key may repeat). */
export type Contribution = (ix: AnalysisIndex, item: number) => readonly (readonly [string, number])[];

const apply = (t: { sum: Map<string, number>; n: Map<string, number> }, c: ReturnType<Contribution>, sign: 1 | -1) => {
  for (const [k, w] of c) {
    const n = (t.n.get(k) ?? 0) + sign;
    if (n === 0) {
      t.n.delete(k);
      t.sum.delete(k);
    } else {
      t.n.set(k, n);
      t.sum.set(k, (t.sum.get(k) ?? 0) + sign * w);
    }
  }
};

/** Calls (indices into ws.calls) with an end at each service, per calls array and index lookup. */
const callsOf = perCallsAndIds((ix): Map<number, number[]> => {
  const m = new Map<number, number[]>();
  ix.ws.calls.forEach((c, k) => {
    for (const end of new Set([ix.byId.get(c.from), ix.byId.get(c.to)])) {
      if (end === undefined) continue;
      const list = m.get(end);
      if (list) list.push(k);
      else m.set(end, [k]);
    }
  });
  return m;
});

type Items = 'services' | 'calls';

/**
 * A tally of `contribution` over every service (or call) of an index, cached per index. An index
 * derived from a base (a what-if move, `buildIndex` with `base`) over the same rules, segments and
 * calls starts from the base's tally and swaps the changed services' (or their calls') contributions.
 */
export const tallyOf = (items: Items, contribution: Contribution) => {
  const full = (ix: AnalysisIndex): Tally => {
    const t = { sum: new Map<string, number>(), n: new Map<string, number>() };
    const count = items === 'services' ? ix.services.length : ix.ws.calls.length;
    for (let i = 0; i < count; i++) apply(t, contribution(ix, i), 1);
    return t;
  };
  const of: PerIndex<Tally> = perIndex((ix) => {
    const base = baseOf(ix);
    const b = base?.index;
    const patchable =
      b !== undefined &&
      b.ws.rules === ix.ws.rules &&
      b.ws.segments === ix.ws.segments &&
      b.ws.calls === ix.ws.calls &&
      b.byId === ix.byId &&
      b.services.length === ix.services.length;
    if (!patchable || !base) return full(ix);
    const from = of(base.index);
    const next = { sum: new Map(from.sum), n: new Map(from.n) };
    const changed =
      items === 'services' ? base.changed : [...new Set(base.changed.flatMap((i) => callsOf(ix).get(i) ?? []))];
    for (const i of changed) {
      apply(next, contribution(base.index, i), -1);
      apply(next, contribution(ix, i), 1);
    }
    return next;
  });
  return { of, full };
};
