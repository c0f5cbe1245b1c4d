import { describe, expect, it } from 'vitest';
import { compareCase, referenceConns } from './vpc-peer';

// Our own bundle and reports in the reference's layout (vpc-network-config-analyzer's endpoint
// connectivity): web (10.0.1.10, public address) and app (10.0.2.20, none) in VPC 10.0.0.0/16 with an
// internet gateway; web's group is open, app's admits and sends only inside the VPC.

const perm = (cidr: string, proto = '-1', from: number | null = null, to: number | null = null) => ({
  FromPort: from,
  IpProtocol: proto,
  IpRanges: [{ CidrIp: cidr }],
  Ipv6Ranges: [],
  PrefixListIds: [],
  ToPort: to,
  UserIdGroupPairs: [],
});
const instance = (name: string, subnet: string, ip: string, group: string, publicIp: string | null) => ({
  InstanceId: `i-${name}`,
  State: { Name: 'running' },
  SubnetId: subnet,
  VpcId: 'vpc-1',
  PrivateIpAddress: ip,
  PublicIpAddress: publicIp,
  Tags: [{ Key: 'Name', Value: name }],
  SecurityGroups: [{ GroupId: group }],
  NetworkInterfaces: [
    {
      NetworkInterfaceId: `eni-${name}`,
      Association: publicIp ? { PublicIp: publicIp } : null,
      Groups: [{ GroupId: group }],
      PrivateIpAddress: ip,
      SubnetId: subnet,
      VpcId: 'vpc-1',
    },
  ],
});
const entry = (n: number, egress: boolean, cidr: string, proto = '-1', ports?: [number, number]) => ({
  RuleNumber: n,
  Egress: egress,
  RuleAction: 'allow',
  CidrBlock: cidr,
  Protocol: proto,
  PortRange: ports ? { From: ports[0], To: ports[1] } : null,
});
const bundle = (acl: boolean) =>
  JSON.stringify({
    provider: 'aws',
    vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' }],
    subnets: [
      { SubnetId: 'subnet-1', VpcId: 'vpc-1', CidrBlock: '10.0.1.0/24' },
      { SubnetId: 'subnet-2', VpcId: 'vpc-1', CidrBlock: '10.0.2.0/24' },
    ],
    internet_gateways: [{ InternetGatewayId: 'igw-1', Attachments: [{ State: 'available', VpcId: 'vpc-1' }] }],
    security_groups: [
      {
        GroupId: 'sg-web',
        VpcId: 'vpc-1',
        IpPermissions: [perm('0.0.0.0/0')],
        IpPermissionsEgress: [perm('0.0.0.0/0')],
      },
      {
        GroupId: 'sg-app',
        VpcId: 'vpc-1',
        IpPermissions: [perm('10.0.0.0/16')],
        IpPermissionsEgress: [perm('10.0.0.0/16')],
      },
    ],
    instances: [
      instance('web', 'subnet-1', '10.0.1.10', 'sg-web', '198.51.100.10'),
      instance('app', 'subnet-2', '10.0.2.20', 'sg-app', null),
    ],
    network_acls: acl
      ? [
          {
            NetworkAclId: 'acl-1',
            VpcId: 'vpc-1',
            Associations: [{ SubnetId: 'subnet-1' }],
            Entries: [
              entry(100, false, '0.0.0.0/0', '6', [443, 443]),
              entry(110, false, '10.0.0.0/16'),
              entry(100, true, '0.0.0.0/0', '6', [1025, 5000]),
              entry(110, true, '10.0.0.0/16'),
            ],
          },
        ]
      : [],
  });
const report = (...lines: string[]) => ['Endpoint connectivity for VPC vpc-1', ...lines, ''].join('\n');
const EVERYTHING = [
  'Public Internet (all ranges) => web[10.0.1.10] : All Connections',
  'app[10.0.2.20] => web[10.0.1.10] : All Connections',
  'web[10.0.1.10] => Public Internet (all ranges) : All Connections',
  'web[10.0.1.10] => app[10.0.2.20] : All Connections',
];

describe('vpc-peer: connlist against an endpoint connectivity report', () => {
  it('reads the reference connections: a starred line or source ports outside the ephemeral range allow nothing', () => {
    expect([...referenceConns('All Connections', [1024, 65535])]).toEqual([
      ['TCP', [[1, 65535]]],
      ['UDP', [[1, 65535]]],
    ]);
    expect([...referenceConns('protocol: TCP dst-ports: 9080', [1024, 65535])]).toEqual([['TCP', [[9080, 9080]]]]);
    expect(referenceConns('protocol: TCP src-ports: 1025-5000 dst-ports: 443', [1024, 65535]).size).toBe(0);
    expect([...referenceConns('protocol: TCP src-ports: 1025-5000 dst-ports: 443', [2000, 3000])]).toEqual([
      ['TCP', [[443, 443]]],
    ]);
    expect(referenceConns('protocol: TCP dst-ports: 443 * ', [1024, 65535]).size).toBe(0);
  });

  it('agrees line for line when both say the same, names and outside ranges mapped', () => {
    const { whole } = compareCase(bundle(false), report(...EVERYTHING));
    expect(whole).toEqual({ exact: 4, lines: 4, differs: [], extra: [] });
  });

  it('names the reference lines segscope does not reproduce, and the segscope lines the reference lacks', () => {
    const missing = compareCase(bundle(false), report(...EVERYTHING.slice(1)));
    expect(missing.whole.extra).toEqual([
      '0.0.0.0-9.255.255.255 => web : all',
      '10.1.0.0-255.255.255.255 => web : all',
    ]);
    const wrong = compareCase(
      bundle(false),
      report(...EVERYTHING, 'Public Internet (all ranges) => app[10.0.2.20] : All Connections'),
    );
    expect(wrong.whole.differs).toEqual(['Public Internet (all ranges) => app[10.0.2.20] : All Connections']);
  });

  it('checks each un-starred source-port line with --ephemeral-ports set to its source ports', () => {
    const r = compareCase(
      bundle(true),
      report(
        'Public Internet (all ranges) => web[10.0.1.10] : protocol: TCP src-ports: 1-1024,5001-65535 dst-ports: 443 * ',
        'Public Internet (all ranges) => web[10.0.1.10] : protocol: TCP src-ports: 1025-5000 dst-ports: 443',
        'app[10.0.2.20] => web[10.0.1.10] : All Connections',
        'web[10.0.1.10] => Public Internet (all ranges) : protocol: TCP src-ports: 1-442,444-65535 dst-ports: 1025-5000 * ',
        'web[10.0.1.10] => Public Internet (all ranges) : protocol: TCP src-ports: 443 dst-ports: 1025-5000',
        'web[10.0.1.10] => app[10.0.2.20] : All Connections',
      ),
    );
    expect(r.whole).toEqual({ exact: 6, lines: 6, differs: [], extra: [] });
    expect(r.conditional).toEqual({ exact: 2, lines: 2 });
  });
});
