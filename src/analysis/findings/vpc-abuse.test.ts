import { describe, expect, it } from 'vitest';
import type { Segment } from '../../model/types';
import { call, peering, seg, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const vpcs = (n: number): Segment[] =>
  Array.from({ length: n }, (_, i) => seg(`network:vpc-${i}`, 'network', { kind: 'vpc', cidrs: [`10.${i}.0.0/16`] }));

describe('vpc-abuse', () => {
  it('flags five or more VPCs with at most two services each', () => {
    const w = ws({
      services: Array.from({ length: 5 }, (_, i) => svc(`aws:s${i}`, { network: [`network:vpc-${i}`] })),
      segments: vpcs(5),
    });
    expect(findingsOf(w, 'vpc-abuse').map((f) => [f.key, f.segments.length])).toEqual([['vpc-abuse:tiny-vpcs', 5]]);
  });

  it('is silent with four', () => {
    const w = ws({
      services: Array.from({ length: 4 }, (_, i) => svc(`aws:s${i}`, { network: [`network:vpc-${i}`] })),
      segments: vpcs(4),
    });
    expect(findingsOf(w, 'vpc-abuse')).toEqual([]);
  });

  it('flags overlapping CIDRs where a call needs the VPCs to meet, not elsewhere', () => {
    const segments = [
      seg('network:a', 'network', { kind: 'vpc', cidrs: ['10.0.0.0/16'] }),
      seg('network:b', 'network', { kind: 'vpc', cidrs: ['10.0.128.0/17'] }),
      seg('network:c', 'network', { kind: 'vpc', cidrs: ['10.0.0.0/8'] }),
    ];
    const services = [
      svc('aws:x', { network: ['network:a'] }),
      svc('aws:y', { network: ['network:b'] }),
      svc('aws:z', { network: ['network:c'] }),
    ];
    const w = ws({ services, segments, calls: [call('aws:x', 'aws:y')] });
    expect(findingsOf(w, 'vpc-abuse').map((f) => [f.key, f.message])).toEqual([
      [
        'vpc-abuse:overlap:network:a|network:b',
        'a (10.0.0.0/16) and b (10.0.128.0/17) overlap, so they cannot be peered although they need each other.',
      ],
    ]);
    expect(
      findingsOf(ws({ services, segments, rules: [peering('p', 'network:a', 'network:c')] }), 'vpc-abuse').map(
        (f) => f.key,
      ),
    ).toEqual(['vpc-abuse:overlap:network:a|network:c']);
  });

  it('flags a subnet nearly out of addresses', () => {
    const w = ws({
      services: [svc('aws:s', { network: ['network:sub'] })],
      segments: [
        seg('network:vpc', 'network', { kind: 'vpc', cidrs: ['10.0.0.0/16'] }),
        seg('network:sub', 'network', {
          kind: 'subnet',
          parent: 'network:vpc',
          cidrs: ['10.0.0.0/28'],
          attributes: { availableIpAddressCount: 1 },
        }),
      ],
    });
    expect(findingsOf(w, 'vpc-abuse').map((f) => [f.key, f.severity, f.message])).toEqual([
      ['vpc-abuse:subnet-full:network:sub', 'warn', 'Subnet sub has 1 of 11 usable addresses left.'],
    ]);
  });
});
