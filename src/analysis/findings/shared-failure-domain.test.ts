import { describe, expect, it } from 'vitest';
import { call, seg, sgRule, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const subnets = [
  seg('network:vpc', 'network', { kind: 'vpc' }),
  seg('network:sub-a', 'network', { kind: 'subnet', parent: 'network:vpc' }),
  seg('network:sub-b', 'network', { kind: 'subnet', parent: 'network:vpc' }),
];

describe('shared-failure-domain', () => {
  it('flags critical services whose only subnet is the same', () => {
    const w = ws({
      services: [
        svc('aws:db1', { critical: true, network: ['network:sub-a'] }),
        svc('aws:db2', { critical: true, network: ['network:sub-a'] }),
      ],
      segments: subnets,
    });
    expect(findingsOf(w, 'shared-failure-domain').map((f) => [f.key, f.services])).toEqual([
      ['shared-failure-domain:segment:network:sub-a', ['aws:db1', 'aws:db2']],
    ]);
  });

  it('is silent when they are in different subnets', () => {
    const w = ws({
      services: [
        svc('aws:db1', { critical: true, network: ['network:sub-a'] }),
        svc('aws:db2', { critical: true, network: ['network:sub-b'] }),
      ],
      segments: subnets,
    });
    expect(findingsOf(w, 'shared-failure-domain')).toEqual([]);
  });

  it('flags all replicas of a hub in one subnet', () => {
    const w = ws({
      services: [
        svc('aws:hub', { replicas: 3, network: ['network:sub-a'] }),
        ...['a', 'b', 'c'].map((x) => svc(`aws:${x}`)),
      ],
      segments: subnets,
      calls: ['a', 'b', 'c'].map((x) => call(`aws:${x}`, 'aws:hub')),
    });
    expect(findingsOf(w, 'shared-failure-domain').map((f) => f.key)).toEqual(['shared-failure-domain:hub:aws:hub']);
  });

  it('flags one rule that alone allows the calls into two critical services', () => {
    const w = ws({
      services: [
        svc('aws:api', { group: ['group:app'] }),
        svc('aws:db1', { critical: true, group: ['group:db'], network: ['network:sub-a'] }),
        svc('aws:db2', { critical: true, group: ['group:db', 'group:x'], network: ['network:sub-b'] }),
      ],
      segments: [...subnets, seg('group:app', 'group'), seg('group:db', 'group'), seg('group:x', 'group')],
      calls: [call('aws:api', 'aws:db1', 5432), call('aws:api', 'aws:db2', 5432)],
      rules: [
        sgRule('out', 'group:app', 'egress', '-1', '0.0.0.0/0'),
        sgRule('db-in', 'group:db', 'ingress', 'tcp', 'group:app', 5432),
      ],
    });
    expect(findingsOf(w, 'shared-failure-domain').map((f) => [f.key, f.services])).toEqual([
      ['shared-failure-domain:rule:db-in', ['aws:db1', 'aws:db2']],
    ]);
  });
});
