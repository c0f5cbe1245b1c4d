import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS } from '../model/types';
import { levelClasses } from './classes';
import { buildIndex } from './context';
import { evaluatePair, fillText, findService, reach } from './reach';
import { call, seg, svc, ws } from './testing/build';
import { randomWorkspace } from './testing/random';

describe('reach', () => {
  const w = ws({
    services: [
      svc('compose:p/api', { name: 'api', namespace: 'p', overlay: ['overlay:p/back'] }),
      svc('compose:q/api', { name: 'api', namespace: 'q', overlay: ['overlay:q/back'] }),
      svc('compose:p/db', { name: 'db', namespace: 'p', overlay: ['overlay:p/back'] }),
    ],
    segments: [
      seg('overlay:p/back', 'overlay', { kind: 'compose-network' }),
      seg('overlay:q/back', 'overlay', { kind: 'compose-network' }),
    ],
    calls: [call('compose:p/api', 'compose:p/db', 5432)],
  });

  it('finds services by id, unambiguous name, or namespace/name', () => {
    const ix = buildIndex(w);
    expect(findService(ix, 'compose:p/db')).toEqual({ ok: true, index: 2, id: 'compose:p/db' });
    expect(findService(ix, 'db')).toEqual({ ok: true, index: 2, id: 'compose:p/db' });
    expect(findService(ix, 'q/api')).toEqual({ ok: true, index: 1, id: 'compose:q/api' });
    expect(findService(ix, 'api')).toEqual({
      ok: false,
      message: '"api" names 2 services; use one of their ids',
      candidates: ['compose:p/api', 'compose:q/api'],
    });
    expect(findService(ix, 'nope')).toEqual({ ok: false, message: 'no service "nope"', candidates: [] });
  });

  it('returns every level with a verdict and the combined answer', () => {
    const v = reach(w, 'p/api', 'db', 5432);
    expect(v.reachable).toBe(true);
    expect(v.port).toBe(5432);
    expect(v.protocol).toBe('TCP');
    expect(Object.fromEntries(LEVELS.map((l) => [l, v.levels[l].verdict]))).toEqual({
      account: 'open',
      role: 'open',
      network: 'open',
      group: 'open',
      policy: 'open',
      overlay: 'allow',
    });
    expect(v.levels.overlay.reason).toBe('api and db share network p/back.');
    expect(v.connections).toEqual(['TCP 5432']);
    expect(reach(w, 'q/api', 'db').reachable).toBe(false);
    expect(() => reach(w, 'api', 'db')).toThrow(
      '"api" names 2 services; use one of their ids (candidates: compose:p/api, compose:q/api)',
    );
  });

  it('call verdicts say "the caller" and share texts; reach names the services', () => {
    const ix = buildIndex(w);
    const generic = evaluatePair(ix, 0, 2, 5432, 'TCP', { named: false }).verdict;
    expect(generic.levels.overlay.reason).toBe('The caller and the callee share network p/back.');
    expect(evaluatePair(ix, 0, 2, 5432, 'TCP', { named: false }).verdict.levels).toBe(generic.levels);
  });

  // Level results are cached per pair of level signatures: a signature that missed a fact the level
  // reads would make two pairs share a wrong answer. Compare every pair against a direct evaluation.
  it('class-cached results equal direct evaluation for every pair (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 12 }),
        fc.constantFrom(undefined, 80, 5432, 22),
        (seed, n, port) => {
          const wk = randomWorkspace(seed, n, 0);
          const ix = buildIndex(wk);
          const lc = levelClasses(ix);
          for (let a = 0; a < n; a++) {
            for (let b = 0; b < n; b++) {
              const cached = evaluatePair(ix, a, b, port).verdict;
              LEVELS.forEach((level, li) => {
                const direct = ix.engines[li]?.evaluate(
                  a,
                  b,
                  port === undefined ? undefined : { protocol: 'TCP', port },
                );
                if (!direct) return;
                const v = cached.levels[level];
                expect([level, v.verdict, v.reason, v.rule?.id, v.fix]).toEqual([
                  level,
                  direct.verdict,
                  fillText(ix, a, b, direct.reason),
                  direct.rule?.id,
                  direct.fix === undefined ? undefined : fillText(ix, a, b, direct.fix),
                ]);
                if (port === undefined) expect(lc.permits(li, a, b)).toBe(direct.verdict !== 'deny');
              });
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
