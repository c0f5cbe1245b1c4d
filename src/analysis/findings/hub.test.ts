import { describe, expect, it } from 'vitest';
import { call, seg, sgRule, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const world = (callers: number) =>
  ws({
    services: [svc('s:db'), ...Array.from({ length: 6 }, (_, i) => svc(`s:c${i}`))],
    calls: Array.from({ length: callers }, (_, i) => call(`s:c${i}`, 's:db')),
  });

describe('hub', () => {
  it('marks a service most others call', () => {
    expect(findingsOf(world(4), 'hub').map((f) => [f.key, f.severity, f.message])).toEqual([
      [
        'hub:s:db',
        'info',
        'db is a hub: 4 services call it (67 % of all), betweenness 0.000; it costs 0 ingress rules on its segments.',
      ],
    ]);
  });

  it('needs three callers', () => {
    expect(findingsOf(world(2), 'hub')).toEqual([]);
  });
});

describe('hub of the group level (a security group many groups reference)', () => {
  // bastion is named by the ingress rules of 4 of the 5 other groups (one of them twice), and by
  // itself; db is named by 2 groups only. No calls at all: references alone make the hub.
  const groups = ['bastion', 'web', 'api', 'worker', 'db', 'cache'];
  const w = ws({
    services: [svc('s:jump', { group: ['group:bastion'] })],
    segments: groups.map((g) => seg(`group:${g}`, 'group', { kind: 'security-group', name: `sg-${g}` })),
    rules: [
      sgRule('web-ssh', 'group:web', 'ingress', 'tcp', 'group:bastion', 22),
      sgRule('api-ssh', 'group:api', 'ingress', 'tcp', 'group:bastion', 22),
      sgRule('api-jmx', 'group:api', 'ingress', 'tcp', 'group:bastion', 9010),
      sgRule('worker-ssh', 'group:worker', 'ingress', 'tcp', 'group:bastion', 22),
      sgRule('db-ssh', 'group:db', 'ingress', 'tcp', 'group:bastion', 22),
      sgRule('bastion-self', 'group:bastion', 'ingress', 'tcp', 'group:bastion', 22),
      sgRule('db-from-api', 'group:db', 'ingress', 'tcp', 'group:api', 5432),
      sgRule('db-from-worker', 'group:db', 'ingress', 'tcp', 'group:worker', 5432),
    ],
  });

  it('is a hub finding with its reference count and rule cost', () => {
    expect(findingsOf(w, 'hub').map((f) => [f.key, f.level, f.segments, f.message])).toEqual([
      [
        'hub:group:group:bastion',
        'group',
        ['group:bastion'],
        'Security group sg-bastion is a hub of the group level: 4 other groups reference it (80 % of all), which costs 5 rules on those groups.',
      ],
    ]);
  });
});
