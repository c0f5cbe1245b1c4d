import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, seg, sgRule, svc, ws } from '../analysis/testing/build';
import { randomWorkspace } from '../analysis/testing/random';
import { generateTopology } from '../gen/generate';
import { synthesizeGroup } from './group';
import { estateArgs, exactAtLevel } from './testing';

describe('synthesizeGroup', () => {
  it('gives each identity class one group and allows exactly the declared calls (hand-made)', () => {
    const w = ws({
      services: [
        svc('web', { group: ['group:app'] }),
        svc('api', { group: ['group:app'] }),
        svc('db', { group: ['group:app'] }),
      ],
      segments: [seg('group:app', 'group', { kind: 'security-group' })],
      calls: [call('web', 'api', 8080), call('api', 'db', 5432)],
      rules: [
        sgRule('all-in', 'group:app', 'ingress', '-1', 'group:app'),
        sgRule('all-out', 'group:app', 'egress', '-1', '0.0.0.0/0'),
      ],
    });
    const s = synthesizeGroup(w);
    expect(s.removed.map((r) => r.id)).toEqual(['all-in', 'all-out']);
    expect(s.workspace.services.map((x) => [x.id, x.memberships.group])).toEqual([
      ['web', ['group:syn:sg-web']],
      ['api', ['group:syn:sg-api']],
      ['db', ['group:syn:sg-db']],
    ]);
    expect(
      s.added.map((r) => r.type === 'sg-permission' && `${r.group} ${r.direction} ${r.protocol} ${r.fromPort}`),
    ).toEqual([
      'group:syn:sg-api ingress tcp 8080',
      'group:syn:sg-web egress tcp 8080',
      'group:syn:sg-db ingress tcp 5432',
      'group:syn:sg-api egress tcp 5432',
    ]);
    expect(s.segments.map((c) => [c.name, c.inbound, c.outbound, c.state])).toEqual([
      ['sg-web', 0, 1, 'ok'],
      ['sg-api', 1, 1, 'ok'],
      ['sg-db', 1, 0, 'ok'],
    ]);
    const { want, have } = exactAtLevel(w, s.workspace, 'group');
    expect(have).toEqual(want);
  });

  it('allows every declared call and no other pair at the group level, on random estates (property, connlist)', () => {
    fc.assert(
      fc.property(...estateArgs([2, 12], [0, 24]), (seed, n, m) => {
        const w = randomWorkspace(seed, n, m);
        const s = synthesizeGroup(w);
        const { want, have } = exactAtLevel(w, s.workspace, 'group');
        expect(have).toEqual(want);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('allows every declared call and no other pair at the group level, on generated estates (property, connlist)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 20, max: 60 }), (seed, services) => {
        const w = generateTopology({ services, seed }).workspace;
        const { want, have } = exactAtLevel(w, synthesizeGroup(w).workspace, 'group');
        expect(have).toEqual(want);
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});
