import { describe, expect, it } from 'vitest';
import { call, seg, sgRule, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const world = (inBig: number) =>
  ws({
    services: Array.from({ length: 10 }, (_, i) =>
      svc(`aws:s${i}`, { group: [i < inBig ? 'group:big' : 'group:small'] }),
    ),
    segments: [
      seg('group:big', 'group', { kind: 'security-group', name: 'sg-big' }),
      seg('group:small', 'group', { kind: 'security-group', name: 'sg-small' }),
    ],
  });

describe('sg-abuse', () => {
  it('flags a group holding more than half of ten or more grouped services', () => {
    expect(findingsOf(world(6), 'sg-abuse').map((f) => [f.key, f.severity, f.message])).toEqual([
      [
        'sg-abuse:broad:group:big',
        'warn',
        'Security group sg-big holds 6 of 10 grouped services (60 %): a rule on it opens them all.',
      ],
    ]);
  });

  it('is silent at half', () => {
    expect(findingsOf(world(5), 'sg-abuse')).toEqual([]);
  });

  it("flags a hub's group near its inbound rules limit", () => {
    const w = ws({
      services: [svc('aws:db', { group: ['group:db'] }), ...['a', 'b', 'c'].map((x) => svc(`aws:${x}`))],
      segments: [seg('group:db', 'group', { kind: 'security-group', name: 'sg-db' })],
      calls: ['a', 'b', 'c'].map((x) => call(`aws:${x}`, 'aws:db')),
      rules: Array.from({ length: 50 }, (_, i) =>
        sgRule(`in-${i}`, 'group:db', 'ingress', 'tcp', `10.0.${i}.0/24`, 5432),
      ),
    });
    expect(findingsOf(w, 'sg-abuse').map((f) => [f.key, f.severity, f.figures?.used])).toEqual([
      ['sg-abuse:hub-rules:group:db', 'warn', 50],
    ]);
  });
});
