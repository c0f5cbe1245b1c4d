import { describe, expect, it } from 'vitest';
import { np, seg, sgRule, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

describe('default-allow', () => {
  it('flags an icc=true default bridge with several containers', () => {
    const w = ws({
      services: [svc('c:p/a', { overlay: ['overlay:p/bridge'] }), svc('c:p/b', { overlay: ['overlay:p/bridge'] })],
      segments: [seg('overlay:p/bridge', 'overlay', { kind: 'bridge', attributes: { icc: true } })],
    });
    expect(findingsOf(w, 'default-allow').map((f) => [f.key, f.level])).toEqual([
      ['default-allow:overlay:p/bridge', 'overlay'],
    ]);
  });

  it('is silent for icc=false', () => {
    const w = ws({
      services: [svc('c:p/a', { overlay: ['overlay:p/bridge'] }), svc('c:p/b', { overlay: ['overlay:p/bridge'] })],
      segments: [seg('overlay:p/bridge', 'overlay', { kind: 'bridge', attributes: { icc: false } })],
    });
    expect(findingsOf(w, 'default-allow')).toEqual([]);
  });

  it('flags a namespace no policy selects, not one with a policy', () => {
    const w = ws({
      services: [svc('k8s:shop/api', { labels: { app: 'api' } }), svc('k8s:pay/bill', { labels: { app: 'bill' } })],
      segments: [seg('policy:k8s:ns:shop', 'policy', { kind: 'namespace', name: 'shop' })],
      rules: [np('k8s:pay/deny', 'pay', {}, ['Ingress'], [])],
    });
    expect(findingsOf(w, 'default-allow').map((f) => [f.key, f.services, f.segments])).toEqual([
      ['default-allow:namespace:shop', ['k8s:shop/api'], ['policy:k8s:ns:shop']],
    ]);
  });

  it('flags security-group ingress from anywhere, not from a private range', () => {
    const w = ws({
      services: [svc('aws:web', { group: ['group:web'], exposed: true }), svc('aws:db', { group: ['group:db'] })],
      segments: [
        seg('group:web', 'group', { kind: 'security-group', name: 'sg-web' }),
        seg('group:db', 'group', { kind: 'security-group', name: 'sg-db' }),
      ],
      rules: [
        sgRule('web-443', 'group:web', 'ingress', 'tcp', '0.0.0.0/0', 443),
        sgRule('db-all', 'group:db', 'ingress', '-1', '::/0'),
        sgRule('db-private', 'group:db', 'ingress', 'tcp', '10.0.0.0/8', 5432),
      ],
    });
    expect(findingsOf(w, 'default-allow').map((f) => [f.key, f.severity, f.message])).toEqual([
      [
        'default-allow:db-all',
        'warn',
        'sg-db allows ingress all traffic from ::/0, and 1 of its members are not meant to be exposed.',
      ],
      ['default-allow:web-443', 'info', 'sg-web allows ingress tcp 443 from 0.0.0.0/0.'],
    ]);
  });
});
