import { describe, expect, it } from 'vitest';
import { call, np, seg, sgRule, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const world = (policyAllows: boolean) =>
  ws({
    services: [
      svc('k8s:shop/api', { labels: { app: 'api' }, policy: ['policy:k8s:ns:shop'], group: ['group:app'] }),
      svc('k8s:shop/db', { labels: { app: 'db' }, policy: ['policy:k8s:ns:shop'], group: ['group:db'] }),
    ],
    segments: [
      seg('policy:k8s:ns:shop', 'policy', { kind: 'namespace', name: 'shop' }),
      seg('group:app', 'group', { kind: 'security-group', name: 'sg-app' }),
      seg('group:db', 'group', { kind: 'security-group', name: 'sg-db' }),
    ],
    calls: [call('k8s:shop/api', 'k8s:shop/db', 5432)],
    rules: [
      sgRule('out', 'group:app', 'egress', '-1', '0.0.0.0/0'),
      sgRule('db-in', 'group:db', 'ingress', 'tcp', 'group:app', 5432),
      np(
        'k8s:shop/db',
        'shop',
        { matchLabels: { app: 'db' } },
        ['Ingress'],
        policyAllows ? [{ peers: [{ podSelector: { matchLabels: { app: 'api' } } }] }] : [],
      ),
    ],
  });

describe('inconsistent-levels', () => {
  it('flags a call one level allows by rule and another denies', () => {
    expect(findingsOf(world(false), 'inconsistent-levels').map((f) => [f.key, f.level, f.count, f.message])).toEqual([
      [
        'inconsistent-levels:calls:group>policy:k8s:shop/db',
        'policy',
        1,
        '1 required call is allowed by explicit group rules (e.g. sg-db ingress tcp 5432 from sg-app) but denied at the policy level by NetworkPolicy shop/db isolates db for ingress: api → db.',
      ],
    ]);
  });

  it('is silent when the levels agree', () => {
    expect(findingsOf(world(true), 'inconsistent-levels')).toEqual([]);
  });

  it("flags a segment whose members sit outside its parent (a group's VPC)", () => {
    const w = ws({
      services: [
        svc('aws:a', { group: ['group:g'], network: ['network:v1'] }),
        svc('aws:b', { group: ['group:g'], network: ['network:v2'] }),
      ],
      segments: [
        seg('network:v1', 'network', { kind: 'vpc' }),
        seg('network:v2', 'network', { kind: 'vpc' }),
        seg('group:g', 'group', { kind: 'security-group', name: 'sg-g', attributes: { vpc: 'network:v1' } }),
      ],
    });
    expect(findingsOf(w, 'inconsistent-levels').map((f) => [f.key, f.services])).toEqual([
      ['inconsistent-levels:parent:group:g', ['aws:b']],
    ]);
  });
});
