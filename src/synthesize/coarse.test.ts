import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, peering, seg, svc, ws } from '../analysis/testing/build';
import { randomWorkspace } from '../analysis/testing/random';
import type { Level } from '../model/types';
import { synthesize } from './index';
import { exactAtLevel } from './testing';

describe('synthesize at segment-granular levels', () => {
  it('network: one peering per VPC pair a call crosses, unused peerings go (DESIGN.md: peering is never transitive)', () => {
    const w = ws({
      services: [
        svc('a', { network: ['network:v1'] }),
        svc('b', { network: ['network:v2'] }),
        svc('c', { network: ['network:v3'] }),
      ],
      segments: [
        seg('network:v1', 'network', { kind: 'vpc', cidrs: ['10.1.0.0/16'] }),
        seg('network:v2', 'network', { kind: 'vpc', cidrs: ['10.2.0.0/16'] }),
        seg('network:v3', 'network', { kind: 'vpc', cidrs: ['10.3.0.0/16'] }),
      ],
      calls: [call('a', 'b', 80)],
      rules: [peering('p13', 'network:v1', 'network:v3'), peering('p23', 'network:v2', 'network:v3')],
    });
    const s = synthesize(w, 'network');
    expect(s.removed.map((r) => r.id)).toEqual(['p13', 'p23']);
    expect(s.added).toEqual([
      {
        id: 'syn:peering:network:v1|network:v2',
        type: 'vpc-peering',
        level: 'network',
        requester: 'network:v1',
        accepter: 'network:v2',
        status: 'active',
      },
    ]);
    const { have } = exactAtLevel(w, s.workspace, 'network');
    expect([...have.keys()].sort()).toEqual(['a>b', 'b>a']);
  });

  it.each<Level>(['role', 'network', 'account', 'overlay'])(
    '%s: every declared call is allowed at the level after synthesis, on random estates (property, connlist)',
    (level) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.integer({ min: 2, max: 10 }),
          fc.integer({ min: 1, max: 20 }),
          (seed, n, m) => {
            const w = randomWorkspace(seed, n, m);
            const s = synthesize(w, level);
            const { want, have } = exactAtLevel(w, s.workspace, level);
            const unreachable = s.notes.join(' ');
            for (const k of want.keys()) {
              const [a] = k.split('>');
              const sa = w.services.find((x) => x.id === a);
              // Only what the notes name as impossible here (no identity, overlapping VPCs) may stay closed.
              if (level === 'role' && (sa?.memberships.role ?? []).length === 0) continue;
              if (level === 'network' && unreachable.includes('overlap')) continue;
              expect(have.get(k), `${level} ${k}`).toBe('all');
            }
          },
        ),
        { numRuns: 40 },
      );
    },
    60_000,
  );
});
