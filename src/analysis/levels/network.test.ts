import { describe, expect, it } from 'vitest';
import type { Rule, Segment, Workspace } from '../../model/types';
import { reach } from '../reach';
import { peering, seg, svc, tgw, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

const vpcs = (): Segment[] => [
  seg('network:vpc-a', 'network', { kind: 'vpc', cidrs: ['10.0.0.0/16'] }),
  seg('network:subnet-a1', 'network', { kind: 'subnet', parent: 'network:vpc-a', cidrs: ['10.0.1.0/24'] }),
  seg('network:subnet-a2', 'network', { kind: 'subnet', parent: 'network:vpc-a', cidrs: ['10.0.2.0/24'] }),
  seg('network:vpc-b', 'network', { kind: 'vpc', cidrs: ['10.1.0.0/16'] }),
  seg('network:vpc-c', 'network', { kind: 'vpc', cidrs: ['10.2.0.0/16'] }),
  seg('network:vpc-overlap', 'network', { kind: 'vpc', cidrs: ['10.0.128.0/17'] }),
  seg('network:vlan-10', 'network', { kind: 'vlan', attributes: { vlanId: 10 } }),
  seg('network:vlan-20', 'network', { kind: 'vlan', attributes: { vlanId: 20 } }),
  seg('network:ns-shop', 'network', { kind: 'namespace-network' }),
  seg('network:ns-pay', 'network', { kind: 'namespace-network' }),
];

const pair = (a: string[] | undefined, b: string[] | undefined, rules: Rule[] = []): Workspace =>
  ws({ services: [svc('aws:a', { network: a }), svc('aws:b', { network: b })], segments: vpcs(), rules });

describe('network level', () => {
  it.each<[string, Workspace, Expected]>([
    [
      'same subnet: same VPC allows',
      pair(['network:subnet-a1'], ['network:subnet-a1']),
      { verdict: 'allow', rule: 'network:vpc-a' },
    ],
    [
      'different subnets of one VPC allow',
      pair(['network:subnet-a1'], ['network:subnet-a2']),
      { verdict: 'allow', rule: 'network:vpc-a' },
    ],
    [
      'different VPCs without a path deny',
      pair(['network:vpc-a'], ['network:vpc-b']),
      { verdict: 'deny', rule: 'default:vpc-isolation' },
    ],
    [
      'active peering allows',
      pair(['network:subnet-a1'], ['network:vpc-b'], [peering('pcx-ab', 'network:vpc-a', 'network:vpc-b', 'active')]),
      { verdict: 'allow', rule: 'pcx-ab' },
    ],
    [
      'peering works both ways',
      pair(['network:vpc-b'], ['network:subnet-a2'], [peering('pcx-ab', 'network:vpc-a', 'network:vpc-b')]),
      { verdict: 'allow', rule: 'pcx-ab' },
    ],
    [
      'peering between overlapping CIDRs denies',
      pair(['network:vpc-a'], ['network:vpc-overlap'], [peering('pcx-ov', 'network:vpc-a', 'network:vpc-overlap')]),
      { verdict: 'deny', rule: 'pcx-ov' },
    ],
    [
      'pending peering denies',
      pair(
        ['network:vpc-a'],
        ['network:vpc-b'],
        [peering('pcx-ab', 'network:vpc-a', 'network:vpc-b', 'pending-acceptance')],
      ),
      { verdict: 'deny', rule: 'pcx-ab' },
    ],
    [
      'peering is not transitive',
      pair(
        ['network:vpc-a'],
        ['network:vpc-c'],
        [peering('pcx-ab', 'network:vpc-a', 'network:vpc-b'), peering('pcx-bc', 'network:vpc-b', 'network:vpc-c')],
      ),
      { verdict: 'deny', rule: 'default:vpc-isolation' },
    ],
    [
      'both attached to one transit gateway allow',
      pair(
        ['network:vpc-a'],
        ['network:vpc-c'],
        [tgw('tgw-att-a', 'tgw-1', 'network:vpc-a'), tgw('tgw-att-c', 'tgw-1', 'network:vpc-c', 'available')],
      ),
      { verdict: 'allow', rule: 'tgw-att-c' },
    ],
    [
      'different transit gateways deny',
      pair(
        ['network:vpc-a'],
        ['network:vpc-c'],
        [tgw('tgw-att-a', 'tgw-1', 'network:vpc-a'), tgw('tgw-att-c', 'tgw-2', 'network:vpc-c')],
      ),
      { verdict: 'deny', rule: 'default:vpc-isolation' },
    ],
    [
      'a deleting attachment does not route',
      pair(
        ['network:vpc-a'],
        ['network:vpc-c'],
        [tgw('tgw-att-a', 'tgw-1', 'network:vpc-a', 'deleting'), tgw('tgw-att-c', 'tgw-1', 'network:vpc-c')],
      ),
      { verdict: 'deny', rule: 'default:vpc-isolation' },
    ],
    ['caller without network data: open', pair(undefined, ['network:vpc-a']), { verdict: 'open', rule: undefined }],
    [
      'Kubernetes namespaces share the cluster network',
      pair(['network:ns-shop'], ['network:ns-pay']),
      { verdict: 'allow', rule: 'network:ns-pay' },
    ],
    [
      'different VLANs deny',
      pair(['network:vlan-10'], ['network:vlan-20']),
      { verdict: 'deny', rule: 'default:network-isolation' },
    ],
    ['same VLAN allows', pair(['network:vlan-10'], ['network:vlan-10']), { verdict: 'allow', rule: 'network:vlan-10' }],
    [
      'a VPC and a VLAN have no known relation: open',
      pair(['network:vpc-a'], ['network:vlan-10']),
      { verdict: 'open', rule: undefined },
    ],
  ])('%s', (_name, w, expected) => {
    expect(levelVerdict(w, 'aws:a', 'aws:b', 'network')).toEqual(expected);
  });

  it('names overlapping CIDRs in the reason and the fix', () => {
    const w = pair(
      ['network:vpc-a'],
      ['network:vpc-overlap'],
      [peering('pcx-ov', 'network:vpc-a', 'network:vpc-overlap')],
    );
    const v = reach(w, 'aws:a', 'aws:b').levels.network;
    expect(v.reason).toBe(
      'VPC vpc-a (10.0.0.0/16) and VPC vpc-overlap (10.0.128.0/17) have overlapping CIDRs, so their peering cannot route.',
    );
    expect(v.fix).toBe('re-address VPC vpc-a or VPC vpc-overlap so their CIDRs do not overlap');
    expect(v.rule?.source?.file).toBe('test.yaml');
  });

  // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html (Limits): "A transit gateway doesn't
  // support routing between VPCs with identical CIDRs, or if a CIDR in a range overlaps a CIDR in an attached VPC."
  it.each<[string, string, Expected]>([
    ['overlapping', 'network:vpc-overlap', { verdict: 'deny', rule: 'tgw-att-ov' }],
    ['identical', 'network:vpc-same', { verdict: 'deny', rule: 'tgw-att-ov' }],
  ])('a transit gateway does not route between attachments with %s CIDRs', (_, other, expected) => {
    const w = ws({
      services: [svc('aws:a', { network: ['network:subnet-a1'] }), svc('aws:b', { network: [other] })],
      segments: [...vpcs(), seg('network:vpc-same', 'network', { kind: 'vpc', cidrs: ['10.0.0.0/16'] })],
      rules: [tgw('tgw-att-a', 'tgw-1', 'network:vpc-a'), tgw('tgw-att-ov', 'tgw-1', other)],
    });
    expect(levelVerdict(w, 'aws:a', 'aws:b', 'network')).toEqual(expected);
    const v = reach(w, 'aws:a', 'aws:b').levels.network;
    expect(v.reason).toContain('transit gateway tgw-1 does not route between attachments with overlapping CIDRs');
  });
});
