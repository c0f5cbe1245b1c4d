import { describe, expect, it } from 'vitest';
import { buildIndex } from './context';
import { computeQuotas, sgRuleCount } from './quotas';
import { peering, prefixList, seg, sgRule, svc, ws } from './testing/build';

describe('quotas', () => {
  it('counts security-group rules as AWS does: per peer, per IP version, prefix lists by entries', () => {
    const rules = [
      sgRule('a', 'group:g', 'ingress', 'tcp', '10.0.0.0/8', 80),
      sgRule('b', 'group:g', 'ingress', 'tcp', '10.1.0.0/16', 80),
      sgRule('c', 'group:g', 'ingress', 'tcp', 'fd00::/8', 80),
      sgRule('d', 'group:g', 'ingress', 'tcp', 'group:h', 80),
      sgRule('e', 'group:g', 'ingress', 'tcp', { kind: 'prefix-list', prefixListId: 'pl-1' }, 80),
    ];
    expect(sgRuleCount(rules, (id) => (id === 'pl-1' ? 3 : 1))).toEqual({ v4: 6, v6: 5, used: 6 });
  });

  it('computes utilisation per subject from the data', () => {
    const w = ws({
      services: [
        svc('aws:i-1', {
          group: ['group:g', 'group:h'],
          network: ['network:sub-1'],
          extra: {
            interfaces: [
              { id: 'eni-1', groups: ['group:g'] },
              { id: 'eni-2', groups: ['group:g', 'group:h'] },
            ],
          },
          addresses: ['10.0.1.5'],
        }),
        svc('k8s:shop/api', { replicas: 3, host: 'node-1', account: ['account:cluster'] }),
        svc('k8s:shop/web', { replicas: 2, host: 'node-1', account: ['account:cluster'] }),
        svc('compose:p/a', { namespace: 'p', overlay: ['overlay:p/front', 'overlay:p/back'], replicas: 2 }),
        svc('compose:p/b', { namespace: 'p', overlay: ['overlay:p/back'] }),
      ],
      segments: [
        seg('account:111', 'account', { kind: 'account', attributes: { accountId: '111' } }),
        seg('account:cluster', 'account', { kind: 'cluster', parent: 'account:111' }),
        seg('role:r1', 'role', {
          kind: 'iam-role',
          parent: 'account:111',
          attributes: { managedPolicyCount: 9, trustPolicySize: 900 },
        }),
        seg('network:vpc', 'network', {
          kind: 'vpc',
          cidrs: ['10.0.0.0/16', '10.1.0.0/16'],
          attributes: { region: 'eu-west-1', accountId: '111' },
        }),
        seg('network:vpc-2', 'network', {
          kind: 'vpc',
          cidrs: ['10.2.0.0/16'],
          attributes: { region: 'eu-west-1', accountId: '111' },
        }),
        seg('network:sub-1', 'network', {
          kind: 'subnet',
          parent: 'network:vpc',
          cidrs: ['10.0.1.0/28'],
          attributes: { availableIpAddressCount: 2 },
        }),
        seg('network:sub-2', 'network', { kind: 'subnet', parent: 'network:vpc', cidrs: ['10.0.2.0/24'] }),
        seg('network:vlan-1', 'network', { kind: 'vlan' }),
        seg('group:g', 'group', { kind: 'security-group', attributes: { vpc: 'network:vpc' } }),
        seg('group:h', 'group', { kind: 'security-group', attributes: { vpc: 'network:vpc' } }),
        seg('overlay:p/front', 'overlay', { kind: 'compose-network' }),
        seg('overlay:p/back', 'overlay', { kind: 'compose-network' }),
      ],
      rules: [
        prefixList('pl', 'pl-1', ['10.9.0.0/16', '10.8.0.0/16']),
        sgRule('g1', 'group:g', 'ingress', 'tcp', '10.0.0.0/8', 80),
        sgRule('g2', 'group:g', 'ingress', 'tcp', { kind: 'prefix-list', prefixListId: 'pl-1' }, 80),
        sgRule('h1', 'group:h', 'egress', '-1', '0.0.0.0/0'),
        peering('pcx', 'network:vpc', 'network:vpc-2', 'active'),
      ],
    });
    const figures = computeQuotas(buildIndex(w)).map(
      (u) => `${u.quota} ${u.subject.id} ${u.used}/${u.limit} ${u.state}`,
    );
    expect(figures).toEqual([
      'aws.roles-per-account account:111 1/1000 ok',
      'aws.managed-policies-per-role role:r1 9/10 warn',
      'aws.trust-policy-size role:r1 900/2048 ok',
      'aws.vpcs-per-region region:111/eu-west-1 2/5 ok',
      'aws.subnets-per-vpc network:vpc 2/200 ok',
      'aws.subnets-per-vpc network:vpc-2 0/200 ok',
      'aws.cidr-blocks-per-vpc network:vpc 2/5 ok',
      'aws.cidr-blocks-per-vpc network:vpc-2 1/5 ok',
      'aws.reserved-addresses-per-subnet network:sub-1 9/11 warn',
      'aws.reserved-addresses-per-subnet network:sub-2 0/251 ok',
      'aws.peerings-per-vpc network:vpc 1/50 ok',
      'aws.peerings-per-vpc network:vpc-2 1/50 ok',
      'aws.security-groups-per-region region:111/eu-west-1 2/2500 ok',
      'aws.inbound-rules-per-group group:g 3/60 ok',
      'aws.inbound-rules-per-group group:h 0/60 ok',
      'aws.outbound-rules-per-group group:g 0/60 ok',
      'aws.outbound-rules-per-group group:h 1/60 ok',
      'aws.groups-per-interface aws:i-1 2/5 ok',
      'aws.rules-times-groups-per-interface aws:i-1 4/1000 ok',
      'k8s.pods account:cluster 5/150000 ok',
      'k8s.pods-per-node node:node-1 5/110 ok',
      'k8s.services account:cluster 2/10000 ok',
      'iptables.services account:cluster 2/1000 ok',
      'docker.networks-per-host project:p 2/31 ok',
      'docker.bridge-ports overlay:p/back 3/1023 ok',
      'docker.bridge-ports overlay:p/front 2/1023 ok',
      'vlan.ids workspace 1/4094 ok',
    ]);
  });
});
