import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sgRuleConns } from '../../analysis/levels/group';
import type { Diagnostic, SgPermissionRule } from '../../model/types';
import { terraformReader } from '../terraform/read';
import { checkPermission } from './permission';
import { awsReader } from './read';

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html and
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html: IpProtocol is tcp, udp, icmp,
// icmpv6, -1 or a protocol number; for TCP/UDP FromPort and ToPort are 0–65535; CidrIp is an IPv4 CIDR,
// CidrIpv6 an IPv6 one. A value outside that is a located error and the permission (or that peer) is
// dropped: never read as all ports, all protocols or 0.0.0.0/0.

const at = (d: Diagnostic) => `${d.line}:${d.column} ${d.severity} ${d.message}`;

const groups = (p: Record<string, unknown>, ranges: unknown[] = [{ CidrIp: '10.0.0.0/16' }]) => ({
  SecurityGroups: [
    {
      GroupId: 'sg-1',
      GroupName: 'web',
      VpcId: 'vpc-1',
      IpPermissions: [{ IpRanges: ranges, ...p }],
      IpPermissionsEgress: [],
    },
  ],
});

const readAws = (value: unknown) => {
  const text = JSON.stringify(value, null, 2);
  const r = awsReader.read({ name: 'sgs.json', text });
  return { text, rules: r.fragment.rules as SgPermissionRule[], diagnostics: r.diagnostics.map(at) };
};

describe('aws describe-security-groups: unreadable values are errors, the permission is dropped', () => {
  // Each error sits at the key of the value it refuses (the line a person looks for); a missing port at the permission.
  it.each([
    [
      { IpProtocol: 'tcp', FromPort: 'eighty', ToPort: 80 },
      '15:11',
      'FromPort "eighty" is not a port number (0–65535)',
    ],
    [{ IpProtocol: 'tcp', FromPort: -5, ToPort: 80 }, '15:11', 'FromPort -5 is not a port number (0–65535)'],
    [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 70000 }, '16:11', 'ToPort 70000 is not a port number (0–65535)'],
    [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 80 }, '16:11', 'ToPort 80 is below FromPort 443'],
    [{ IpProtocol: 'tcp', FromPort: 80.5, ToPort: 81 }, '15:11', 'FromPort 80.5 is not a port number (0–65535)'],
    [{ IpProtocol: 'tcp' }, '8:9', 'tcp needs FromPort and ToPort'],
    [
      { IpProtocol: 'tpc', FromPort: 80, ToPort: 80 },
      '14:11',
      'IpProtocol "tpc" is not tcp, udp, icmp, icmpv6, -1 or a protocol number (0–255)',
    ],
    [
      { IpProtocol: '300', FromPort: 80, ToPort: 80 },
      '14:11',
      'IpProtocol "300" is not tcp, udp, icmp, icmpv6, -1 or a protocol number (0–255)',
    ],
    [
      { IpProtocol: 'icmp', FromPort: 'echo', ToPort: -1 },
      '15:11',
      'FromPort "echo" is not an ICMP type or code (-1–255)',
    ],
  ])('%j → error at %s, no rule', (p, where, message) => {
    const { rules, diagnostics } = readAws(groups(p));
    expect(rules).toEqual([]);
    expect(diagnostics).toEqual([`${where} error sg-1 ingress permission 0: ${message}; the permission is dropped`]);
  });

  it('CidrIp 10.0.0.0/33 and a v6 CIDR under CidrIp: each peer dropped with an error, the valid peer kept', () => {
    const { rules, diagnostics } = readAws(
      groups({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }, [
        { CidrIp: '10.0.0.0/33' },
        { CidrIp: '2001:db8::/32' },
        { CidrIp: '192.168.1.0/24' },
      ]),
    );
    expect(rules.map((r) => [r.peer, r.fromPort, r.toPort])).toEqual([
      [{ kind: 'cidr', cidr: '192.168.1.0/24' }, 443, 443],
    ]);
    expect(diagnostics).toEqual([
      '11:15 error CidrIp "10.0.0.0/33" is not an IPv4 CIDR; this peer is dropped',
      '14:15 error CidrIp "2001:db8::/32" is not an IPv4 CIDR; this peer is dropped',
    ]);
  });

  it('valid values read exactly: icmp type/code, -1 without ports, protocol numbers', () => {
    const { rules, diagnostics } = readAws({
      SecurityGroups: [
        {
          GroupId: 'sg-1',
          IpPermissions: [
            { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
            { IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
            { IpProtocol: '17', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
          ],
        },
      ],
    });
    expect(diagnostics).toEqual([]);
    expect(rules.map((r) => [r.protocol, r.fromPort, r.toPort])).toEqual([
      ['icmp', 8, -1],
      ['-1', undefined, undefined],
      ['17', 53, 53],
    ]);
  });
});

describe('property: whatever the values, a kept permission allows no more than its values say', () => {
  const junk = fc.oneof(
    fc.integer({ min: -70000, max: 70000 }),
    fc.double(),
    fc.string(),
    fc.constantFrom('tcp', 'udp', 'icmp', '-1', 'all', '6', 'eighty', '', null, true, [], {}),
  );
  it('checkPermission: either a located refusal, or TCP/UDP ports inside 0–65535 with from ≤ to', () => {
    fc.assert(
      fc.property(junk, junk, junk, (protocol, from, to) => {
        const o = { IpProtocol: protocol, FromPort: from, ToPort: to };
        const c = checkPermission(o, { protocol: 'IpProtocol', from: 'FromPort', to: 'ToPort' });
        if (!c.ok) return ['IpProtocol', 'FromPort', 'ToPort'].includes(c.key);
        if (['tcp', 'udp', '6', '17'].includes(c.protocol)) {
          return (
            c.fromPort === from &&
            c.toPort === to &&
            Number.isInteger(from) &&
            (from as number) >= 0 &&
            (from as number) <= (to as number) &&
            (to as number) <= 65535
          );
        }
        return true;
      }),
    );
  });

  it('reader: a TCP rule read from junk ports never allows a port outside [FromPort, ToPort]', () => {
    fc.assert(
      fc.property(junk, junk, (from, to) => {
        const { rules, diagnostics } = readAws(groups({ IpProtocol: 'tcp', FromPort: from, ToPort: to }));
        if (rules.length === 0) return diagnostics.length === 1 && diagnostics[0]?.includes('error') === true;
        const rule = rules[0] as SgPermissionRule;
        const conns = sgRuleConns(rule);
        return (
          typeof from === 'number' &&
          typeof to === 'number' &&
          conns.UDP.length === 0 &&
          conns.SCTP.length === 0 &&
          conns.TCP.every(([lo, hi]) => lo >= Math.max(1, from) && hi <= to)
        );
      }),
    );
  });
});

describe('terraform state: the same refusals, located in the state file', () => {
  const tf = (resources: unknown[]) => {
    const text = JSON.stringify({ format_version: '1.0', values: { root_module: { resources } } }, null, 2);
    const r = terraformReader.read({ name: 'state.json', text });
    return { rules: r.fragment.rules as SgPermissionRule[], diagnostics: r.diagnostics.map(at) };
  };
  const sg = (ingress: Record<string, unknown>) => ({
    address: 'aws_security_group.web',
    mode: 'managed',
    type: 'aws_security_group',
    name: 'web',
    values: {
      id: 'sg-1',
      vpc_id: 'vpc-1',
      ingress: [
        {
          cidr_blocks: ['10.0.0.0/16'],
          ipv6_cidr_blocks: [],
          protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          ...ingress,
        },
      ],
      egress: [],
    },
  });
  const v2 = (values: Record<string, unknown>) => ({
    address: 'aws_vpc_security_group_ingress_rule.r',
    mode: 'managed',
    type: 'aws_vpc_security_group_ingress_rule',
    name: 'r',
    values: {
      security_group_id: 'sg-1',
      ip_protocol: 'tcp',
      from_port: 80,
      to_port: 80,
      cidr_ipv4: '10.0.0.0/8',
      ...values,
    },
  });

  it.each([
    [{ from_port: 'eighty' }, 'from_port "eighty" is not a port number (0–65535)'],
    [{ to_port: 65536 }, 'to_port 65536 is not a port number (0–65535)'],
    [{ protocol: 'tcpp' }, 'protocol "tcpp" is not tcp, udp, icmp, icmpv6, -1 or a protocol number (0–255)'],
    [{ protocol: null }, 'no protocol'],
  ])('inline ingress %j → dropped', (p, message) => {
    const { rules, diagnostics } = tf([sg(p)]);
    expect(rules).toEqual([]);
    expect(diagnostics.map((d) => d.replace(/^\d+:\d+ /, ''))).toEqual([
      `error aws_security_group.web ingress[0]: ${message}; the rule is dropped`,
    ]);
  });

  it('cidr_blocks with a /33: that peer dropped with an error, the valid one kept', () => {
    const { rules, diagnostics } = tf([sg({ cidr_blocks: ['10.0.0.0/33', '10.1.0.0/16'] })]);
    expect(rules.map((r) => r.peer)).toEqual([{ kind: 'cidr', cidr: '10.1.0.0/16' }]);
    expect(diagnostics.map((d) => d.replace(/^\d+:\d+ /, ''))).toEqual([
      'error aws_security_group.web ingress[0]: "10.0.0.0/33" is not an IPv4 CIDR; this peer is dropped',
    ]);
  });

  it('aws_vpc_security_group_ingress_rule with cidr_ipv4 "10.0.0.0/33" or from_port -3: dropped', () => {
    for (const [values, message] of [
      [{ cidr_ipv4: '10.0.0.0/33' }, '"10.0.0.0/33" is not an IPv4 CIDR'],
      [{ from_port: -3 }, 'from_port -3 is not a port number (0–65535)'],
    ] as const) {
      const { rules, diagnostics } = tf([v2(values)]);
      expect(rules).toEqual([]);
      expect(diagnostics.filter((d) => d.includes(' error ')).map((d) => d.replace(/^\d+:\d+ /, ''))).toEqual([
        `error aws_vpc_security_group_ingress_rule.r: ${message}; the rule is dropped`,
      ]);
    }
  });
});
