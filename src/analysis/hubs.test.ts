import fc from 'fast-check';
import Graph from 'graphology';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness';
import { describe, expect, it } from 'vitest';
import { buildIndex } from './context';
import { brandesBetweenness, computeGroupHubs, computeHubs } from './hubs';
import { call, seg, sgRule, svc, ws } from './testing/build';

describe('hubs', () => {
  it('our Brandes equals graphology-metrics on random directed graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 25 }),
        fc.array(fc.tuple(fc.nat(24), fc.nat(24)), { maxLength: 80 }),
        (n, raw) => {
          const edges = [...new Set(raw.map(([a, b]) => `${a % n},${b % n}`))]
            .map((k) => k.split(',').map(Number) as [number, number])
            .filter(([a, b]) => a !== b);
          const g = new Graph({ type: 'directed' });
          for (let i = 0; i < n; i++) g.addNode(i);
          for (const [a, b] of edges) g.mergeEdge(a, b);
          const ref = betweennessCentrality(g, { normalized: true, getEdgeWeight: null });
          const ours = brandesBetweenness(n, edges);
          for (let i = 0; i < n; i++) expect(ours[i]).toBeCloseTo(ref[String(i)] ?? 0, 9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finds the hub by callers and share, with betweenness and rule cost', () => {
    // a, b, c, d call db; a calls b; b calls db: db has 4 distinct callers out of 5 others.
    const w = ws({
      services: [...['a', 'b', 'c', 'd', 'e'].map((x) => svc(`s:${x}`)), svc('s:db', { group: ['group:sg-db'] })],
      segments: [seg('group:sg-db', 'group', { kind: 'security-group' })],
      calls: [
        call('s:a', 's:db'),
        call('s:b', 's:db'),
        call('s:c', 's:db'),
        call('s:d', 's:db'),
        call('s:a', 's:b'),
        call('s:a', 's:db', 5432),
      ],
      rules: [
        sgRule('in1', 'group:sg-db', 'ingress', 'tcp', '10.0.0.0/8', 5432),
        sgRule('in2', 'group:sg-db', 'ingress', 'tcp', '10.1.0.0/16', 5432),
      ],
    });
    const { hubs, callers } = computeHubs(buildIndex(w));
    expect(callers).toEqual([0, 1, 0, 0, 0, 4]);
    expect(hubs).toEqual([{ service: 's:db', callers: 4, share: 0.8, betweenness: 0, ruleCost: 2 }]);
  });

  it('needs at least three callers', () => {
    const w = ws({
      services: ['a', 'b', 'c'].map((x) => svc(`s:${x}`)),
      calls: [call('s:a', 's:c'), call('s:b', 's:c')],
    });
    expect(computeHubs(buildIndex(w)).hubs).toEqual([]);
  });
});

describe('group hubs (security groups referenced by many groups)', () => {
  const groupsWs = (refs: Readonly<Record<string, readonly string[]>>, extra = 0) => {
    const names = [...new Set([...Object.keys(refs), ...Object.values(refs).flat()])];
    for (let i = 0; i < extra; i++) names.push(`pad${i}`);
    return ws({
      segments: names.map((n) => seg(`group:${n}`, 'group', { kind: 'security-group' })),
      rules: Object.entries(refs).flatMap(([target, owners]) =>
        owners.map((o, i) => sgRule(`${o}-from-${target}-${i}`, `group:${o}`, 'ingress', 'tcp', `group:${target}`, 22)),
      ),
    });
  };

  it.each([
    // 3 of 3 others reference it: a hub (100 %).
    [{ b: ['w', 'a', 'd'] }, 0, [['group:b', 3, 1, 3, ['group:a', 'group:d', 'group:w']]]],
    // Two referencing groups are not enough.
    [{ b: ['w', 'a'] }, 0, []],
    // 40 groups: b (3 of 39 others, 7.7 %) is below the top-1 % cut-off, c (4, the most referenced) is a hub.
    [
      { b: ['w', 'a', 'd'], c: ['w', 'a', 'd', 'e'] },
      34,
      [['group:c', 4, 0.103, 4, ['group:a', 'group:d', 'group:e', 'group:w']]],
    ],
  ] as const)('%j (+%i unreferenced groups)', (refs, extra, expected) => {
    const hubs = computeGroupHubs(buildIndex(groupsWs(refs, extra)));
    expect(hubs.map((h) => [h.group, h.references, Number(h.share.toFixed(3)), h.ruleCost, h.referencedBy])).toEqual(
      expected,
    );
  });

  it('counts every rule naming the group, not only the referencing groups, and ignores self-references', () => {
    const w = groupsWs({ b: ['w', 'w', 'a', 'd', 'b'] });
    expect(computeGroupHubs(buildIndex(w))).toEqual([
      { group: 'group:b', references: 3, share: 1, ruleCost: 4, referencedBy: ['group:a', 'group:d', 'group:w'] },
    ]);
  });

  it('in a mesh where every group admits every other, none stands out and none is a hub; a monitoring group all admit, each team admitting two others, is (DESIGN.md hub: popular)', () => {
    const teams = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const mesh = Object.fromEntries(teams.map((t) => [t, teams.filter((o) => o !== t)]));
    expect(computeGroupHubs(buildIndex(groupsWs(mesh)))).toEqual([]);
    const ring = Object.fromEntries(teams.map((t, k) => [t, [teams[(k + 1) % 6], teams[(k + 2) % 6]] as string[]]));
    const hubs = computeGroupHubs(buildIndex(groupsWs({ ...ring, mon: teams })));
    expect(hubs.map((h) => [h.group, h.references])).toEqual([['group:mon', 6]]);
  });

  it('compares a group with the groups of its own VPC, where group references work', () => {
    const vpcWs = (refs: Readonly<Record<string, readonly string[]>>, vpcOf: (n: string) => string) => {
      const w = groupsWs(refs);
      return { ...w, segments: w.segments.map((s) => ({ ...s, attributes: { ...s.attributes, vpc: vpcOf(s.name) } })) };
    };
    // VPC a: a mesh of four (each referenced by 3); VPC b: g referenced by three groups of b that nothing else references.
    const refs = {
      a1: ['a2', 'a3', 'a4'],
      a2: ['a1', 'a3', 'a4'],
      a3: ['a1', 'a2', 'a4'],
      a4: ['a1', 'a2', 'a3'],
      g: ['b1', 'b2', 'b3'],
    };
    const hubs = computeGroupHubs(buildIndex(vpcWs(refs, (n) => (n.startsWith('a') ? 'network:a' : 'network:b'))));
    expect(hubs.map((h) => h.group)).toEqual(['group:g']);
  });
});
