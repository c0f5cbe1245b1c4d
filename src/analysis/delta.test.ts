import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomMoves } from '../gen/moves';
import { importFiles } from '../import/index';
import { LEVELS, type Level } from '../model/types';
import { analyze } from './analyze';
import { levelClasses } from './classes';
import { buildIndex } from './context';
import { applyMove, type Move, previewMove } from './delta';
import { quotaKey } from './quota-changes';
import { call, seg, sgRule, svc, ws } from './testing/build';
import { randomWorkspace } from './testing/random';
import type { Analysis } from './types';

const byKey = (a: Analysis) => new Map(a.findings.map((f) => [f.key, f]));

describe('applyMove', () => {
  const w = ws({
    services: [
      svc('s:a', { group: ['group:x', 'group:y'], labels: { tier: 'web', app: 'a' }, policy: ['policy:shop/web'] }),
    ],
    segments: [
      seg('group:x', 'group'),
      seg('group:y', 'group'),
      seg('group:z', 'group'),
      seg('policy:shop/web', 'policy', {
        kind: 'label-set',
        attributes: { selector: { matchLabels: { tier: 'web' } } },
      }),
      seg('policy:shop/db', 'policy', {
        kind: 'label-set',
        attributes: { selector: 'tier == "db" && role == "primary"' },
      }),
    ],
  });
  it.each<[string, Move, Record<string, unknown>]>([
    [
      'moves in place',
      { service: 's:a', level: 'group', from: 'group:x', to: 'group:z' },
      { group: ['group:z', 'group:y'] },
    ],
    [
      'adds with from null',
      { service: 's:a', level: 'group', from: null, to: 'group:z' },
      { group: ['group:x', 'group:y', 'group:z'] },
    ],
    ['removes with to null', { service: 's:a', level: 'group', from: 'group:x', to: null }, { group: ['group:y'] }],
    [
      'removing the last drops the level',
      { service: 's:a', level: 'overlay', from: null, to: null },
      { group: ['group:x', 'group:y'] },
    ],
  ])('%s', (_n, move, expected) => {
    const after = applyMove(w, move);
    expect(after.services[0]?.memberships.group).toEqual(expected.group);
    expect(w.services[0]?.memberships.group).toEqual(['group:x', 'group:y']);
    expect(after.segments).toBe(w.segments);
    expect(after.rules).toBe(w.rules);
  });

  it('gives a label set’s labels when moving into it at the policy level', () => {
    const after = applyMove(w, { service: 's:a', level: 'policy', from: 'policy:shop/web', to: 'policy:shop/db' });
    expect(after.services[0]?.labels).toEqual({ app: 'a', tier: 'db', role: 'primary' });
    expect(after.services[0]?.memberships.policy).toEqual(['policy:shop/db']);
  });
});

describe('previewMove', () => {
  it('reports the broken call, the closed pair and the quota change of a move', () => {
    const w = ws({
      services: [svc('s:api', { group: ['group:app'] }), svc('s:db', { group: ['group:db'] })],
      segments: [
        seg('group:app', 'group', { kind: 'security-group' }),
        seg('group:db', 'group', { kind: 'security-group' }),
        seg('group:other', 'group', { kind: 'security-group' }),
      ],
      calls: [call('s:api', 's:db', 5432)],
      rules: [
        sgRule('app-out', 'group:app', 'egress', '-1', '0.0.0.0/0'),
        sgRule('other-out', 'group:other', 'egress', '-1', '0.0.0.0/0'),
        sgRule('db-in', 'group:db', 'ingress', 'tcp', 'group:app', 5432),
      ],
    });
    const a = analyze(w);
    const d = previewMove(w, a, { service: 's:api', level: 'group', from: 'group:app', to: 'group:other' });
    expect(d.brokenCalls.map((c) => [c.from, c.to, c.deniedBy])).toEqual([['s:api', 's:db', ['group']]]);
    expect(d.restoredCalls).toEqual([]);
    expect(d.closedPairs).toEqual([{ from: 's:api', to: 's:db' }]);
    expect(d.openedPairs).toEqual([]);
    expect(d.findingsAdded.map((f) => f.key)).toEqual(['broken-call:s:api->s:db:5432/TCP']);
    expect(d.quota).toEqual([]);
  });

  // The engine takes a drop's analysis from its what-if (worker/core.ts): it must be the whole analysis,
  // including the exposed services the routes keep off the internet (exposure.ts).
  it('gives the whole analysis after the move, the services kept off the internet included', () => {
    const dir = 'public/samples/aws-bundle';
    const files = ['collector-bundle.json', 'describe-route-tables.json'].map((name) => ({
      name,
      text: readFileSync(`${dir}/${name}`, 'utf8'),
    }));
    const w = importFiles(files).workspace;
    const before = analyze(w);
    expect(before.unexposed?.length).toBeGreaterThan(0);
    for (const move of randomMoves(w, 6, 3))
      expect(previewMove(w, before, move).analysis).toEqual(analyze(applyMove(w, move)));
  });

  it('equals the difference of two full analyses (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 14 }),
        fc.integer({ min: 0, max: 25 }),
        fc.nat(),
        fc.constantFrom<Level>(...LEVELS),
        fc.nat(),
        fc.boolean(),
        fc.constantFrom(3, 12, 100000),
        (seed, n, m, pickService, level, pickSeg, segmentMode, listLimit) => {
          const w = randomWorkspace(seed, n, m);
          const options = { servicePairLimit: segmentMode ? 3 : 2000, listLimit, classLimit: 4000 };
          const s = w.services[pickService % w.services.length];
          if (!s) return;
          const current = s.memberships[level] ?? [];
          const candidates = w.segments.filter((x) => x.level === level).map((x) => x.id);
          const from = current.length > 0 && pickSeg % 3 !== 0 ? (current[pickSeg % current.length] as string) : null;
          const to = pickSeg % 5 === 4 ? null : (candidates[pickSeg % candidates.length] ?? null);
          const move: Move = { service: s.id, level, from, to };
          const before = analyze(w, options);
          const d = previewMove(w, before, move, options);
          const after = analyze(applyMove(w, move), options);
          expect(d.analysis).toEqual(after);
          const b = byKey(before);
          const a = byKey(after);
          expect(d.findingsAdded.map((f) => f.key).sort()).toEqual([...a.keys()].filter((k) => !b.has(k)).sort());
          expect(d.findingsRemoved.map((f) => f.key).sort()).toEqual([...b.keys()].filter((k) => !a.has(k)).sort());
          const broken = after.calls.filter(
            (c) => c.class === 'broken' && before.calls.find((x) => x.index === c.index)?.class === 'allowed',
          );
          expect(d.brokenCalls.map((c) => c.index).sort()).toEqual(broken.map((c) => c.index).sort());
          const qb = new Map(before.quotas.map((u) => [quotaKey(u), u.used]));
          const qa = new Map(after.quotas.map((u) => [quotaKey(u), u.used]));
          const changed = [
            ...after.quotas.filter((u) => qb.get(quotaKey(u)) !== u.used).map(quotaKey),
            ...before.quotas.filter((u) => !qa.has(quotaKey(u))).map(quotaKey),
          ].sort();
          expect(d.quota.map((q) => `${q.quota}|${q.subject.kind}|${q.subject.id}`).sort()).toEqual(changed);
        },
      ),
      { numRuns: 120 },
    );
  }, 120_000);

  // A drag previews many moves against one analysis: what one preview caches (memos shared along the
  // index family, permit and finding caches per analysis) must not leak into the next.
  it('equals a full analysis for every move previewed in turn against one analysis (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 3, max: 14 }), (seed, n) => {
        const w = randomWorkspace(seed, n, 12);
        const before = analyze(w);
        for (const move of randomMoves(w, 5, seed)) {
          const d = previewMove(w, before, move);
          const w2 = applyMove({ ...w }, move);
          expect(d.analysis).toEqual(analyze(w2));
          // The pairs with the moved service that open and close, from reach in indexes built from scratch.
          const r1 = levelClasses(buildIndex({ ...w }));
          const r2 = levelClasses(buildIndex({ ...w2 }));
          const s = w.services.findIndex((x) => x.id === move.service);
          const opened: { from: string; to: string }[] = [];
          const closed: { from: string; to: string }[] = [];
          w.services.forEach((_x, i) => {
            if (i === s) return;
            for (const [a, b] of [
              [i, s],
              [s, i],
            ] as const) {
              const pair = { from: (w.services[a] as { id: string }).id, to: (w.services[b] as { id: string }).id };
              if (r2.reachable(a, b) && !r1.reachable(a, b)) opened.push(pair);
              if (r1.reachable(a, b) && !r2.reachable(a, b)) closed.push(pair);
            }
          });
          expect([d.openedPairs, d.closedPairs]).toEqual([opened, closed]);
        }
        expect(analyze({ ...w })).toEqual(before);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
