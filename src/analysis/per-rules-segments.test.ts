import { describe, expect, it } from 'vitest';
import { analyze } from './analyze';
import { idFor } from './classes';
import { type AnalysisIndex, buildIndex } from './context';
import { applyMove } from './delta';
import { perAnalysis, perCallsAndIds, perIndex, perKey, perRulesAndSegments } from './per-rules-segments';
import { call, seg, svc, ws } from './testing/build';

const shop = () =>
  ws({
    services: [svc('web', { group: ['sg-web'] }), svc('api', { group: ['sg-app'] }), svc('db', { group: ['sg-app'] })],
    segments: [seg('sg-web', 'group'), seg('sg-app', 'group')],
    calls: [call('web', 'api', 8080), call('api', 'db', 5432)],
  });

/** A lookup whose `make` counts its runs and returns a fresh object per run. */
const counting = () => {
  const made: AnalysisIndex[] = [];
  const of = perIndex((ix) => {
    made.push(ix);
    return { n: made.length };
  });
  return { of, made };
};

describe('perIndex', () => {
  it('makes the value once per index and a separate one for another index', () => {
    const { of, made } = counting();
    const ix1 = buildIndex(shop());
    const ix2 = buildIndex(shop());
    expect(of(ix1)).toEqual({ n: 1 });
    expect(of(ix1)).toBe(of(ix1));
    expect(of(ix2)).toEqual({ n: 2 });
    expect(made).toEqual([ix1, ix2]);
  });

  it('peek answers only what was made, without making it', () => {
    const { of, made } = counting();
    const ix = buildIndex(shop());
    expect(of.peek(ix)).toBeUndefined();
    expect(made).toEqual([]);
    const value = of(ix);
    expect(of.peek(ix)).toBe(value);
    expect(made).toEqual([ix]);
  });

  it('make may ask the lookup for another index (a what-if index patched from its base)', () => {
    const w1 = shop();
    const ix1 = buildIndex(w1);
    const w2 = applyMove(w1, { service: 'db', level: 'group', from: 'sg-app', to: 'sg-web' });
    const ix2 = buildIndex(w2, { index: ix1, changed: [2] });
    const calls: string[] = [];
    const members = perIndex((ix): string[] => {
      calls.push(ix === ix1 ? 'base' : 'what-if');
      if (ix === ix1) return ix.services.map((s) => `${s.id}:${s.memberships.group}`);
      return members(ix1).map((m, i) => (i === 2 ? `${ix.services[i]?.id}:${ix.services[i]?.memberships.group}` : m));
    });
    expect(members(ix2)).toEqual(['web:sg-web', 'api:sg-app', 'db:sg-web']);
    expect(members(ix1)).toEqual(['web:sg-web', 'api:sg-app', 'db:sg-app']);
    expect(calls).toEqual(['what-if', 'base']);
  });
});

describe('perAnalysis and perKey', () => {
  it('makes the value once per analysis, from what the first caller passes, and a separate one for another analysis', () => {
    const w = shop();
    const a1 = analyze(w);
    const a2 = analyze(w);
    const made: string[] = [];
    // The shop has no rules: both its calls are broken at the group level.
    const broken = perAnalysis((analysis, tag: string) => {
      made.push(tag);
      return `${tag}: ${analysis.calls.filter((c) => c.class === 'broken').length} broken`;
    });
    expect(broken.peek(a1)).toBeUndefined();
    expect(broken(a1, 'first')).toBe('first: 2 broken');
    // The value is the first caller's: a later `from` does not remake it.
    expect(broken(a1, 'second')).toBe('first: 2 broken');
    expect(broken.peek(a1)).toBe('first: 2 broken');
    expect(broken(a2, 'other')).toBe('other: 2 broken');
    expect(made).toEqual(['first', 'other']);
  });

  it('keeps a value per key object of any kind: the same object hits, an equal copy does not', () => {
    let runs = 0;
    const callers = perKey((called: Map<number, Set<number>>) => {
      runs += 1;
      return [...called].flatMap(([a, bs]) => [...bs].map((b) => `${b}<${a}`));
    });
    const called = new Map([[0, new Set([1, 2])]]);
    const first = callers(called);
    expect(first).toEqual(['1<0', '2<0']);
    expect(callers(called)).toBe(first);
    expect(callers(new Map(called))).toEqual(first);
    expect(callers(new Map(called))).not.toBe(first);
    expect(runs).toBe(3);
  });
});

describe('perRulesAndSegments and perCallsAndIds', () => {
  it('a copy keeping the rules and segments arrays shares the value; new segments make a new one', () => {
    let runs = 0;
    const of = perRulesAndSegments(() => ({ run: ++runs }));
    const w = shop();
    const copy = { ...w, services: [...w.services] };
    expect(of(copy)).toBe(of(w));
    expect(of({ ...w, segments: [...w.segments] })).toEqual({ run: 2 });
    expect(of({ ...w, rules: [] })).toEqual({ run: 3 });
    expect(runs).toBe(3);
  });

  it('one value per calls array and id index, made from the index that asked first', () => {
    const made: AnalysisIndex[] = [];
    const of = perCallsAndIds((ix) => {
      made.push(ix);
      return ix.ws.calls.map((c) => `${ix.byId.get(c.from)}>${ix.byId.get(c.to)}`);
    });
    const w = shop();
    const ix = buildIndex(w);
    expect(of(ix)).toEqual(['0>1', '1>2']);
    expect(of(ix)).toBe(of(ix));
    // Another index: its own id lookup, so its own value, though the calls array is the same.
    const other = buildIndex({ ...w });
    expect(other.ws.calls).toBe(w.calls);
    expect(other.byId).not.toBe(ix.byId);
    expect(of(other)).not.toBe(of(ix));
    expect(made).toEqual([ix, other]);
  });
});

describe('idFor', () => {
  it('numbers keys in the order they are first seen and keeps the numbers', () => {
    const map = new Map<string, number>();
    expect(['b', 'a', 'b', 'c', 'a'].map((k) => idFor(map, k))).toEqual([0, 1, 0, 2, 1]);
    expect([...map]).toEqual([
      ['b', 0],
      ['a', 1],
      ['c', 2],
    ]);
  });
});
