import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS } from '../model/types';
import { levelClasses } from './classes';
import { buildIndex } from './context';
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
