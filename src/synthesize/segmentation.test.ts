import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../analysis/context';
import { computeQuotas } from '../analysis/quotas';
import { call, seg, svc, ws } from '../analysis/testing/build';
import { randomWorkspace } from '../analysis/testing/random';
import type { Level } from '../model/types';
import { alignment, alignmentMoves } from './alignment';
import { proposeSegmentation } from './segmentation';

describe('proposeSegmentation', () => {
  it('keeps callers with callees, isolates the hub, and separates critical callees of one caller (hand-made)', () => {
    // Two chains a1 → a2 → a3 and b1 → b2 → b3, everyone calls auth (a hub); x calls the critical p and q.
    const names = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'x', 'p', 'q', 'auth'];
    const w = ws({
      services: names.map((n) => svc(n, { group: ['group:all'], critical: n === 'p' || n === 'q' })),
      segments: [seg('group:all', 'group', { kind: 'security-group' })],
      calls: [
        call('a1', 'a2', 80),
        call('a2', 'a3', 80),
        call('b1', 'b2', 80),
        call('b2', 'b3', 80),
        call('x', 'p', 80),
        call('x', 'q', 80),
        ...names.filter((n) => n !== 'auth').map((n) => call(n, 'auth', 443)),
      ],
    });
    const p = proposeSegmentation(w, 'group');
    const segOf = (id: string) => p.assignment[id];
    expect(segOf('auth')).toBe('group:proposed:auth-hub');
    expect(segOf('a1')).toBe(segOf('a3'));
    expect(segOf('b1')).toBe(segOf('b3'));
    expect(segOf('a1')).not.toBe(segOf('b1'));
    expect(segOf('p')).not.toBe(segOf('q'));
    // One group: x → p and x → q are one rule per caller; apart they are two.
    expect(p.before).toMatchObject({ segments: 1, rules: 2, rulesPerCaller: 14, excessPairs: 90 - 15 });
    expect(p.after.excessPairs).toBeLessThan(p.before.excessPairs);
    expect(p.after.rulesPerCaller).toBe(15);
    expect(p.workspace.services.every((s) => s.memberships.group?.length === 1)).toBe(true);
  });

  it.each<Level>(['group', 'network', 'account', 'overlay'])(
    'never exceeds a quota at %s: segment count, inbound rules per segment, members (property)',
    (level) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.integer({ min: 2, max: 40 }),
          fc.integer({ min: 0, max: 80 }),
          (seed, n, m) => {
            const w = {
              ...randomWorkspace(seed, n, m),
              quotas: { 'aws.inbound-rules-per-group': 3, 'aws.vpcs-per-region': 3, 'docker.bridge-ports': 4 },
            };
            const p = proposeSegmentation(w, level);
            if (p.after.maxSegmentsLimit !== undefined)
              expect(p.after.segments).toBeLessThanOrEqual(p.after.maxSegmentsLimit);
            const alone = p.notes.some((x) => x.includes('alone passes'));
            const merged = p.notes.some((x) => x.includes('were merged'));
            if (p.after.inboundLimit !== undefined && !alone && !merged)
              expect(p.after.maxInbound).toBeLessThanOrEqual(p.after.inboundLimit);
            const proposed = new Set(Object.values(p.assignment));
            const over = computeQuotas(buildIndex(p.workspace)).filter(
              (u) => proposed.has(u.subject.id) && u.used > u.limit,
            );
            if (!alone && !merged) expect(over).toEqual([]);
          },
        ),
        { numRuns: 30 },
      );
    },
    60_000,
  );
});

describe('alignment', () => {
  it('counts services whose segments sit within one parent and moves the rest to the majority parent', () => {
    const w = ws({
      services: [
        svc('a', { network: ['network:v1'], group: ['group:g'] }),
        svc('b', { network: ['network:v1'], group: ['group:g'] }),
        svc('c', { network: ['network:v2'], group: ['group:g'] }),
        svc('d', { network: ['network:v2'], group: ['group:h'] }),
      ],
      segments: [
        seg('network:v1', 'network', { kind: 'vpc' }),
        seg('network:v2', 'network', { kind: 'vpc' }),
        seg('group:g', 'group'),
        seg('group:h', 'group'),
      ],
    });
    expect(alignment(w)).toEqual({
      aligned: 1,
      counted: 4,
      percent: 25,
      split: [
        { level: 'group', segment: 'group:g', parents: { 'network:v1': 2, 'network:v2': 1 }, majority: 'network:v1' },
      ],
    });
    const r = alignmentMoves(w);
    expect(r.commands).toEqual([
      { type: 'moveService', service: 'c', level: 'network', from: 'network:v2', to: 'network:v1' },
    ]);
    expect(r.after.percent).toBe(100);
  });
});
