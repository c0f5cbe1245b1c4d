import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze';
import { call, seg, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const flat = (calls: ReturnType<typeof call>[]) =>
  ws({
    services: ['a', 'b', 'c'].map((x) => svc(`c:p/${x}`, { overlay: ['overlay:net'] })),
    segments: [seg('overlay:net', 'overlay', { kind: 'compose-network' })],
    calls,
  });

describe('excess-reach', () => {
  it('counts per service the reachable services it never calls', () => {
    const w = flat([call('c:p/a', 'c:p/b')]);
    expect(findingsOf(w, 'excess-reach').map((f) => [f.key, f.count, f.severity])).toEqual([
      ['excess-reach:c:p/a', 1, 'info'],
      ['excess-reach:c:p/b', 2, 'info'],
      ['excess-reach:c:p/c', 2, 'info'],
    ]);
    expect(analyze(w).excess).toEqual([
      { from: 'c:p/a', to: 'c:p/c' },
      { from: 'c:p/b', to: 'c:p/a' },
      { from: 'c:p/b', to: 'c:p/c' },
      { from: 'c:p/c', to: 'c:p/a' },
      { from: 'c:p/c', to: 'c:p/b' },
    ]);
  });

  it('aggregates by segment above the service limit', () => {
    const w = flat([call('c:p/a', 'c:p/b')]);
    const f = findingsOf(w, 'excess-reach', { servicePairLimit: 2 });
    expect(f.map((x) => [x.key, x.count, x.level])).toEqual([['excess-reach:segment:overlay:net', 5, 'overlay']]);
    expect(analyze(w, { servicePairLimit: 2 }).excess).toEqual([{ from: 'overlay:net', to: 'overlay:net', count: 5 }]);
  });

  it('is silent when every reachable pair is called', () => {
    const all = ['a', 'b', 'c'].flatMap((x) =>
      ['a', 'b', 'c'].filter((y) => y !== x).map((y) => call(`c:p/${x}`, `c:p/${y}`)),
    );
    expect(findingsOf(flat(all), 'excess-reach')).toEqual([]);
  });
});
