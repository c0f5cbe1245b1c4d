import { describe, expect, it } from 'vitest';
import type { Workspace } from '../model/types';
import { buildCore, type IndexCore } from './core';
import { svc, ws } from './testing/build';

/** A memo reading the service's tier label, counting its computations. */
const tierMemo = (core: IndexCore, counts: Map<string, number>) =>
  core.memoFn('test.tier', (i) => {
    const s = core.services[i];
    counts.set(`${s?.id}`, (counts.get(`${s?.id}`) ?? 0) + 1);
    return s?.labels?.tier;
  });

/** The workspace with service `i` relabelled (a what-if edit: same rules and segments arrays). */
const relabel = (w: Workspace, i: number, tier: string): Workspace => ({
  ...w,
  services: w.services.map((s, k) => (k === i ? { ...s, labels: { tier } } : s)),
});

describe('memos of derived indexes', () => {
  const w1 = ws({
    services: [svc('s:a', { labels: { tier: 'web' } }), svc('s:b', { labels: { tier: 'app' } })],
  });

  it('give a changed service its own value and never hand it to the base', () => {
    const counts = new Map<string, number>();
    const core1 = buildCore(w1);
    const w2 = relabel(w1, 0, 'db');
    const core2 = buildCore(w2, { core: core1, changed: [0] });
    // The what-if asks first: its value of the changed service must stay its own.
    expect(tierMemo(core2, counts)(0)).toBe('db');
    expect(tierMemo(core1, counts)(0)).toBe('web');
    expect(tierMemo(core2, counts)(0)).toBe('db');
  });

  it('share the values of unchanged services along the family (computed once)', () => {
    const counts = new Map<string, number>();
    const core1 = buildCore(w1);
    const core2 = buildCore(relabel(w1, 0, 'db'), { core: core1, changed: [0] });
    expect(tierMemo(core2, counts)(1)).toBe('app');
    expect(tierMemo(core1, counts)(1)).toBe('app');
    expect(counts.get('s:b')).toBe(1);
  });

  it('keep a service changed two edits back at its later value (a what-if of a what-if)', () => {
    const counts = new Map<string, number>();
    const core1 = buildCore(w1);
    const w2 = relabel(w1, 0, 'db');
    const core2 = buildCore(w2, { core: core1, changed: [0] });
    expect(tierMemo(core1, counts)(0)).toBe('web');
    expect(tierMemo(core2, counts)(0)).toBe('db');
    const core3 = buildCore(relabel(w2, 1, 'cache'), { core: core2, changed: [1] });
    expect(tierMemo(core3, counts)(0)).toBe('db');
    expect(tierMemo(core3, counts)(1)).toBe('cache');
    expect(tierMemo(core1, counts)(1)).toBe('app');
    expect(tierMemo(core2, counts)(1)).toBe('app');
  });
});
