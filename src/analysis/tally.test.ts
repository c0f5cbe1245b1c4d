import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS, type Level, type Workspace } from '../model/types';
import { buildIndex } from './context';
import { applyMove } from './delta';
import { groupedServices } from './findings/sg-abuse';
import { crossVpcCalls, servicesPerVpc } from './findings/vpc-abuse';
import { computeQuotas, networkTally, podTally } from './quotas';
import type { Tally } from './tally';
import { randomWorkspace } from './testing/random';

// Every tally a what-if index patches from its base, with what it sums.
const TALLIES: [string, { of: (ix: ReturnType<typeof buildIndex>) => Tally; full: typeof podTally.full }][] = [
  ['pods per node and cluster', podTally],
  ['compose networks per host', networkTally],
  ['services per VPC (vpc-abuse)', servicesPerVpc],
  ['VPC pairs calls cross (vpc-abuse)', crossVpcCalls],
  ['grouped services per VPC and group (sg-abuse)', groupedServices],
];

const asMaps = (t: Tally) => ({ sum: new Map([...t.sum].sort()), n: new Map([...t.n].sort()) });

/** A random move of a random service at a random level (from a membership or none, to a segment or none). */
const moveOf = (w: Workspace, pickService: number, level: Level, pickSeg: number) => {
  const s = w.services[pickService % w.services.length];
  if (!s) return undefined;
  const current = s.memberships[level] ?? [];
  const candidates = w.segments.filter((x) => x.level === level).map((x) => x.id);
  const from = current.length > 0 && pickSeg % 3 !== 0 ? (current[pickSeg % current.length] as string) : null;
  const to = pickSeg % 5 === 4 ? null : (candidates[pickSeg % candidates.length] ?? null);
  return { s: w.services.indexOf(s), move: { service: s.id, level, from, to } };
};

describe('tallies patched by a move', () => {
  it('equal the tallies counted over every service, and so do the members and the quotas (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 14 }),
        fc.nat(),
        fc.constantFrom<Level>(...LEVELS),
        fc.nat(),
        (seed, n, pickService, level, pickSeg) => {
          const w = randomWorkspace(seed, n, 12);
          const picked = moveOf(w, pickService, level, pickSeg);
          if (!picked) return;
          const ix1 = buildIndex(w);
          const w2 = applyMove(w, picked.move);
          if (w2 === w) return;
          // Two moves in a row: a derived index's tally patches one that was patched itself.
          const ix2 = buildIndex(w2, { index: ix1, changed: [picked.s] });
          for (const [, t] of TALLIES) {
            t.of(ix1);
            expect(asMaps(t.of(ix2))).toEqual(asMaps(t.full(ix2)));
          }
          const back = applyMove(w2, { ...picked.move, from: picked.move.to, to: picked.move.from });
          const ix3 = buildIndex(back, { index: ix2, changed: [picked.s] });
          for (const [, t] of TALLIES) expect(asMaps(t.of(ix3))).toEqual(asMaps(t.full(ix3)));
          // Members per segment, patched in place (core.ts), as an index built from scratch has them.
          expect(ix2.members).toEqual(buildIndex({ ...w2 }).members);
          expect(ix3.members).toEqual(buildIndex({ ...back }).members);
          // Every quota of the what-if index, not only those a move touches.
          expect(computeQuotas(ix2)).toEqual(computeQuotas(buildIndex({ ...w2 })));
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});
