import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTopology } from '../gen/generate';
import { randomMoves } from '../gen/moves';
import { analyze } from './analyze';
import { applyMove, type Move, previewMove } from './delta';
import { call, np, seg, sgRule, svc, ws } from './testing/build';
import { randomWorkspace } from './testing/random';

// A what-if keeps the findings of every rule whose inputs the move leaves alone (delta-findings.ts):
// whatever it keeps or re-runs, the findings must be exactly those of a full analysis after the move.
describe('findings after a what-if move', () => {
  it('equal a full analysis of the moved workspace on generated estates, every rule and level (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 24, max: 70 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (seed, services, moveSeed) => {
          const { workspace } = generateTopology({ services, seed, breakRate: 0.05 });
          const before = analyze(workspace);
          for (const move of randomMoves(workspace, 6, moveSeed)) {
            const d = previewMove(workspace, before, move);
            const after = analyze(applyMove(workspace, move));
            expect(d.analysis.findings, `${move.level} move of ${move.service}`).toEqual(after.findings);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 240_000);

  it('equal a full analysis on random workspaces with critical, exposed and hub services (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 4, max: 16 }), (seed, n) => {
        const w = randomWorkspace(seed, n, 12);
        const before = analyze(w);
        for (const move of randomMoves(w, 8, seed)) {
          const after = analyze(applyMove(w, move));
          expect(previewMove(w, before, move).analysis.findings).toEqual(after.findings);
        }
      }),
      { numRuns: 60 },
    );
  }, 240_000);

  // The generated estates rarely move a service across a quota threshold or a VPC count: these two
  // cases hold the quota and vpc-abuse shortcuts (re-run only when their inputs change) to a full analysis.
  const expectSameAsFull = (w: Parameters<typeof analyze>[0], move: Move) => {
    const d = previewMove(w, analyze(w), move);
    expect(d.analysis.findings).toEqual(analyze(applyMove(w, move)).findings);
    return d;
  };

  it('adds the quota finding when a move puts a fifth group on an interface (quota re-run)', () => {
    const groups = Array.from({ length: 5 }, (_, i) => seg(`group:g${i}`, 'group', { kind: 'security-group' }));
    const w = ws({ services: [svc('aws:i-1', { group: ['group:g0', 'group:g1', 'group:g2'] })], segments: groups });
    const d = expectSameAsFull(w, { service: 'aws:i-1', level: 'group', from: null, to: 'group:g3' });
    expect(d.findingsAdded.map((f) => f.key)).toEqual(['quota:aws.groups-per-interface:aws:i-1']);
  });

  it('drops the tiny-VPCs finding when a network move leaves four tiny VPCs (vpc-abuse re-run)', () => {
    const vpcs = Array.from({ length: 5 }, (_, i) =>
      seg(`network:vpc-${i}`, 'network', { kind: 'vpc', cidrs: [`10.${i}.0.0/16`] }),
    );
    const services = Array.from({ length: 10 }, (_, i) => svc(`aws:s${i}`, { network: [`network:vpc-${i % 5}`] }));
    const w = ws({ services, segments: vpcs });
    const d = expectSameAsFull(w, { service: 'aws:s0', level: 'network', from: 'network:vpc-0', to: 'network:vpc-1' });
    expect(d.findingsRemoved.filter((f) => f.id === 'vpc-abuse').map((f) => f.key)).toEqual(['vpc-abuse:tiny-vpcs']);
  });

  // default-allow's namespace part re-runs for the namespaces the moved pod left and joined only.
  it('re-reads both namespaces when a pod moves from one to the other (default-allow namespace part)', () => {
    const w = ws({
      services: [
        svc('k8s:a/x', { labels: { app: 'x' }, policy: ['policy:k8s:ns:a'] }),
        svc('k8s:a/y', { labels: { app: 'y' }, policy: ['policy:k8s:ns:a'] }),
        svc('k8s:b/z', { labels: { app: 'z' }, policy: ['policy:k8s:ns:b'] }),
        svc('k8s:c/w', { labels: { app: 'w' }, policy: ['policy:k8s:ns:c'] }),
      ],
      segments: ['a', 'b', 'c'].map((n) => seg(`policy:k8s:ns:${n}`, 'policy', { kind: 'namespace', name: n })),
      rules: [np('k8s:a/x-only', 'a', { matchLabels: { app: 'x' } }, ['Ingress'], [])],
    });
    const d = expectSameAsFull(w, {
      service: 'k8s:a/x',
      level: 'policy',
      from: 'policy:k8s:ns:a',
      to: 'policy:k8s:ns:b',
    });
    // a loses its only selected pod; b gains an unselected one; c is left as it was.
    expect(d.findingsAdded.map((f) => [f.key, f.services])).toEqual([['default-allow:namespace:a', ['k8s:a/y']]]);
    const changed = d.findingsChanged.filter((c) => c.after.id === 'default-allow');
    expect(changed.map((c) => [c.after.key, c.after.services])).toEqual([
      ['default-allow:namespace:b', ['k8s:a/x', 'k8s:b/z']],
    ]);
  });

  // shared-failure-domain re-runs on the calls into critical services only (a move changes neither
  // the calls nor which services are critical): the sole-rule part must still see every such call.
  it('keeps the one-rule finding when a critical service moves (shared-failure-domain re-run on critical calls)', () => {
    const w = ws({
      services: [
        svc('aws:api', { group: ['group:app'] }),
        svc('aws:web', { group: ['group:app'] }),
        svc('aws:db1', { critical: true, group: ['group:db'], network: ['network:sub-a'] }),
        svc('aws:db2', { critical: true, group: ['group:db', 'group:x'], network: ['network:sub-b'] }),
      ],
      segments: [
        seg('network:vpc', 'network', { kind: 'vpc' }),
        seg('network:sub-a', 'network', { kind: 'subnet', parent: 'network:vpc' }),
        seg('network:sub-b', 'network', { kind: 'subnet', parent: 'network:vpc' }),
        seg('group:app', 'group'),
        seg('group:db', 'group'),
        seg('group:x', 'group'),
      ],
      calls: [call('aws:api', 'aws:web', 80), call('aws:api', 'aws:db1', 5432), call('aws:web', 'aws:db2', 5432)],
      rules: [
        sgRule('out', 'group:app', 'egress', '-1', '0.0.0.0/0'),
        sgRule('app-in', 'group:app', 'ingress', 'tcp', 'group:app', 80),
        sgRule('db-in', 'group:db', 'ingress', 'tcp', 'group:app', 5432),
      ],
    });
    const d = expectSameAsFull(w, { service: 'aws:db2', level: 'network', from: 'network:sub-b', to: 'network:sub-a' });
    expect(d.analysis.findings.filter((f) => f.id === 'shared-failure-domain').map((f) => f.key)).toEqual([
      'shared-failure-domain:rule:db-in',
      'shared-failure-domain:segment:network:sub-a',
    ]);
  });
});
