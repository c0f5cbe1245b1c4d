import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS, type Level } from '../model/types';
import { levelClasses } from './classes';
import { buildIndex } from './context';
import { applyMove } from './delta';
import { np } from './testing/build';
import { randomWorkspace } from './testing/random';

const POLICY = LEVELS.indexOf('policy');

describe('levelClasses at the policy level', () => {
  // NetworkPolicies read pod labels only through their pod selectors (Kubernetes NetworkPolicy
  // spec: podSelector, from/to podSelector), so a class keeps which selectors match, not the label
  // values: policies on `app` (one value per pod) must not make every pod a class of its own.
  it('policies selecting by app: cached answers equal direct evaluation for every pair (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 4, max: 14 }),
        fc.array(fc.integer({ min: 0, max: 13 }), { minLength: 1, maxLength: 3 }),
        (seed, n, picks) => {
          const base = randomWorkspace(seed, n, 0);
          const apps = picks.map((k) => `s${k % n}`);
          const extra = [
            np(
              'knp-app-in',
              'shop',
              { matchLabels: { app: apps[0] as string } },
              ['Ingress'],
              [{ peers: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: apps }] } }] }],
            ),
            np(
              'knp-app-out',
              'shop',
              { matchExpressions: [{ key: 'app', operator: 'NotIn', values: apps }] },
              ['Egress'],
              undefined,
              [{ peers: [{ podSelector: { matchLabels: { tier: 'db' } } }], ports: [{ port: 5432 }] }],
            ),
          ];
          const w = { ...base, rules: [...base.rules, ...extra] };
          const ix = buildIndex(w);
          const lc = levelClasses(ix);
          for (let a = 0; a < n; a++)
            for (let b = 0; b < n; b++) {
              const direct = ix.engines[POLICY]?.evaluate(a, b, undefined);
              expect(lc.permits(POLICY, a, b)).toBe(direct?.verdict !== 'deny');
            }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a policy per app keeps the pods that no selector tells apart in one class', () => {
    const base = randomWorkspace(7, 12, 0);
    const w = {
      ...base,
      rules: [...base.rules, np('knp-s3', 'shop', { matchLabels: { app: 's3' } }, ['Ingress'], [{ peers: [] }])],
    };
    const ids = levelClasses(buildIndex(w)).ids[POLICY] as Int32Array;
    const classes = new Set(ids).size;
    // Without the new policy's selector counted by value, at most one more class than before (s3 apart).
    expect(classes).toBeLessThanOrEqual(new Set(levelClasses(buildIndex(base)).ids[POLICY]).size + 1);
    expect(classes).toBeLessThan(12);
  });
});

describe('levelClasses of a what-if index (a move previewed)', () => {
  // A signature is a function of the service, the rules and the segments: an index derived from the
  // current one for a move takes every other service's class as it was and computes the moved one's.
  it('gives the classes and the verdicts of an index built from scratch (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 14 }),
        fc.nat(),
        fc.constantFrom<Level>(...LEVELS),
        fc.nat(),
        (seed, n, pickService, level, pickSeg) => {
          const w = randomWorkspace(seed, n, 0);
          const s = pickService % w.services.length;
          const svc = w.services[s];
          const candidates = w.segments.filter((x) => x.level === level).map((x) => x.id);
          if (!svc || candidates.length === 0) return;
          const from = svc.memberships[level]?.[0] ?? null;
          const w2 = applyMove(w, {
            service: svc.id,
            level,
            from,
            to: candidates[pickSeg % candidates.length] ?? null,
          });
          if (w2 === w) return;
          const ix1 = buildIndex(w);
          levelClasses(ix1);
          const derived = levelClasses(buildIndex(w2, { index: ix1, changed: [s] }));
          // The truth: the same workspace as new objects, so nothing is shared with the derived index.
          const fresh = levelClasses(buildIndex(structuredClone(w2)));
          for (let li = 0; li < LEVELS.length; li++) {
            const d = derived.ids[li] as Int32Array;
            const f = fresh.ids[li] as Int32Array;
            for (let a = 0; a < n; a++)
              for (let b = 0; b < n; b++)
                expect([LEVELS[li], a, b, d[a] === d[b]]).toEqual([LEVELS[li], a, b, f[a] === f[b]]);
          }
          for (let a = 0; a < n; a++)
            for (let b = 0; b < n; b++) expect([a, b, derived.reachable(a, b)]).toEqual([a, b, fresh.reachable(a, b)]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
