import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { computeConnlist } from './connlist';
import { formatConnlist } from './connlist-output';

// Outside address ranges of `connlist` on an AWS estate, as the AWS VPC User Guide describes the way in
// and out of a VPC:
// - "To enable access to or from the internet for instances in a subnet … attach an internet gateway to your
//   VPC, add a route to your subnet's route table that directs internet-bound traffic to the internet
//   gateway, ensure that instances in your subnet have a public IPv4 address" ("Enable internet access for
//   a subnet", https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html).
// - "Instances in private subnets can connect to … the internet … using a NAT gateway … but external services
//   can't initiate a connection with those instances" ("NAT gateways",
//   https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html).
// - Every VPC has a local route for its own CIDR: an address inside it is reached without a gateway.
// - A network ACL "allows or denies specific inbound or outbound traffic at the subnet level", statelessly,
//   for traffic entering and leaving the subnet — to and from the internet too; traffic within a subnet
//   crosses none ("Control subnet traffic with network access control lists",
//   https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html).

type Entry = [number, boolean, 'allow' | 'deny', string, string?, [number, number]?];
const entry = ([RuleNumber, Egress, RuleAction, CidrBlock, Protocol = '-1', ports]: Entry) => ({
  CidrBlock,
  Egress,
  IcmpTypeCode: null,
  Ipv6CidrBlock: null,
  PortRange: ports ? { From: ports[0], To: ports[1] } : null,
  Protocol,
  RuleAction,
  RuleNumber,
});
const instance = (id: string, name: string, subnet: string, ip: string, publicIp: string | null, ipv6?: string) => ({
  InstanceId: id,
  State: { Code: 16, Name: 'running' },
  Placement: { AvailabilityZone: 'eu-west-1a' },
  PrivateIpAddress: ip,
  PublicIpAddress: publicIp,
  SubnetId: subnet,
  VpcId: 'vpc-1',
  SecurityGroups: [{ GroupId: 'sg-open', GroupName: 'open' }],
  Tags: [{ Key: 'Name', Value: name }],
  NetworkInterfaces: [
    {
      Association: publicIp ? { IpOwnerId: 'amazon', PublicIp: publicIp } : null,
      Attachment: { DeviceIndex: 0, Status: 'attached' },
      Groups: [{ GroupId: 'sg-open', GroupName: 'open' }],
      Ipv6Addresses: ipv6 ? [{ Ipv6Address: ipv6 }] : [],
      NetworkInterfaceId: `eni-${id}`,
      OwnerId: '111111111111',
      PrivateIpAddress: ip,
      PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }],
      SubnetId: subnet,
      VpcId: 'vpc-1',
    },
  ],
});
const everything = {
  FromPort: null,
  IpProtocol: '-1',
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
  Ipv6Ranges: [{ CidrIpv6: '::/0' }],
  PrefixListIds: [],
  ToPort: null,
  UserIdGroupPairs: [],
};

interface Options {
  igw?: boolean;
  /** The VPC gets 2001:db8:1::/56 and app 2001:db8:1:2::20 (no public IPv4). */
  v6?: boolean;
  acl?: Entry[];
  routes?: { pub: [string, string][]; priv: [string, string][] };
}

/** A collector bundle: VPC 10.0.0.0/16, public subnet (web, with a public IPv4), private subnet (app), one open group. */
const bundle = (o: Options = {}) => {
  const b: Record<string, unknown> = {
    collector_version: '0.14.0',
    provider: 'aws',
    vpcs: [
      {
        VpcId: 'vpc-1',
        CidrBlock: '10.0.0.0/16',
        Ipv6CidrBlockAssociationSet: o.v6 ? [{ Ipv6CidrBlock: '2001:db8:1::/56' }] : [],
        OwnerId: '111111111111',
        State: 'available',
        Region: 'eu-west-1',
      },
    ],
    subnets: [
      {
        SubnetId: 'subnet-pub',
        VpcId: 'vpc-1',
        CidrBlock: '10.0.1.0/24',
        AvailabilityZone: 'eu-west-1a',
        MapPublicIpOnLaunch: true,
      },
      {
        SubnetId: 'subnet-priv',
        VpcId: 'vpc-1',
        CidrBlock: '10.0.2.0/24',
        AvailabilityZone: 'eu-west-1a',
        MapPublicIpOnLaunch: false,
      },
    ],
    internet_gateways:
      o.igw === false ? [] : [{ InternetGatewayId: 'igw-1', Attachments: [{ State: 'available', VpcId: 'vpc-1' }] }],
    security_groups: [
      {
        GroupId: 'sg-open',
        GroupName: 'open',
        VpcId: 'vpc-1',
        IpPermissions: [everything],
        IpPermissionsEgress: [everything],
      },
    ],
    instances: [
      instance('i-web', 'web', 'subnet-pub', '10.0.1.10', '203.0.113.10'),
      instance('i-app', 'app', 'subnet-priv', '10.0.2.20', null, o.v6 ? '2001:db8:1:2::20' : undefined),
    ],
    network_acls: o.acl
      ? [
          {
            NetworkAclId: 'acl-pub',
            VpcId: 'vpc-1',
            IsDefault: false,
            Associations: [{ NetworkAclId: 'acl-pub', SubnetId: 'subnet-pub' }],
            Entries: [
              ...o.acl,
              [32767, true, 'deny', '0.0.0.0/0'] as Entry,
              [32767, false, 'deny', '0.0.0.0/0'] as Entry,
            ].map(entry),
          },
        ]
      : [],
  };
  if (o.routes) {
    const table = (id: string, subnet: string, routes: [string, string][]) => ({
      RouteTableId: id,
      VpcId: 'vpc-1',
      Associations: [{ SubnetId: subnet, Main: false }],
      Routes: [
        { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
        ...routes.map(([d, t]) => ({
          DestinationCidrBlock: d,
          [t.startsWith('nat-') ? 'NatGatewayId' : 'GatewayId']: t,
          State: 'active',
        })),
      ],
    });
    b.route_tables = [table('rtb-pub', 'subnet-pub', o.routes.pub), table('rtb-priv', 'subnet-priv', o.routes.priv)];
  }
  return JSON.stringify(b);
};

const list = (o?: Options): string[] => {
  const { workspace, report } = importFiles([{ name: 'collector-bundle.json', text: bundle(o) }]);
  expect(report.files[0]?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return formatConnlist(computeConnlist(workspace)).split('\n');
};
const about = (name: string, lines: string[]) =>
  lines.filter((l) => l.startsWith(`${name} `) || l.includes(`=> ${name} :`));

describe('connlist: outside address ranges on an AWS estate', () => {
  it('from outside every VPC only to an instance with a public address; inside the VPC the local route carries everything', () => {
    expect(list()).toEqual([
      '0.0.0.0-9.255.255.255 => web : all',
      '10.0.0.0-10.0.255.255 => app : all',
      '10.0.0.0-10.0.255.255 => web : all',
      '10.1.0.0-255.255.255.255 => web : all',
      // No route table loaded: a NAT gateway may carry app's traffic out, so the way out is not restricted.
      'app => 0.0.0.0-9.255.255.255 : all',
      'app => 10.0.0.0-10.0.255.255 : all',
      'app => 10.1.0.0-255.255.255.255 : all',
      'app => web : all',
      'web => 0.0.0.0-9.255.255.255 : all',
      'web => 10.0.0.0-10.0.255.255 : all',
      'web => 10.1.0.0-255.255.255.255 : all',
      'web => app : all',
    ]);
  });

  it('a VPC with no internet gateway attached keeps even a public address off the internet', () => {
    expect(about('web', list({ igw: false })).filter((l) => l.startsWith('0.') || l.startsWith('10.1.'))).toEqual([]);
  });

  it('out through a NAT gateway, never in; an internet gateway route without a public address carries nothing', () => {
    const nat = list({ routes: { pub: [['0.0.0.0/0', 'igw-1']], priv: [['0.0.0.0/0', 'nat-1']] } });
    expect(about('app', nat)).toEqual([
      '10.0.0.0-10.0.255.255 => app : all',
      'app => 0.0.0.0-9.255.255.255 : all',
      'app => 10.0.0.0-10.0.255.255 : all',
      'app => 10.1.0.0-255.255.255.255 : all',
      'app => web : all',
      'web => app : all',
    ]);
    const igw = list({ routes: { pub: [['0.0.0.0/0', 'igw-1']], priv: [['0.0.0.0/0', 'igw-1']] } });
    expect(about('app', igw).filter((l) => l.startsWith('app => 0.') || l.startsWith('app => 10.1.'))).toEqual([]);
    // A public subnet whose table has no route back to the internet answers nobody there.
    const noWay = list({ routes: { pub: [], priv: [] } });
    expect(about('web', noWay).filter((l) => l.startsWith('0.') || l.includes('=> 0.'))).toEqual([]);
  });

  it('an IPv6 address is public by itself: the internet reaches it over IPv6 through the internet gateway, not over IPv4', () => {
    const lines = list({ v6: true });
    expect(about('app', lines)).toEqual([
      '10.0.0.0-10.0.255.255 => app : all',
      '2001:db8:1:100::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff => app : all',
      '2001:db8:1::-2001:db8:1:ff:ffff:ffff:ffff:ffff => app : all',
      '::-2001:db8:0:ffff:ffff:ffff:ffff:ffff => app : all',
      // Out over IPv4 with no public IPv4 and no route table: a NAT gateway may carry it (not restricted).
      'app => 0.0.0.0-9.255.255.255 : all',
      'app => 10.0.0.0-10.0.255.255 : all',
      'app => 10.1.0.0-255.255.255.255 : all',
      'app => 2001:db8:1:100::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff : all',
      'app => 2001:db8:1::-2001:db8:1:ff:ffff:ffff:ffff:ffff : all',
      'app => ::-2001:db8:0:ffff:ffff:ffff:ffff:ffff : all',
      'app => web : all',
      'web => app : all',
    ]);
    // web has no IPv6 address: it meets nothing on the IPv6 internet, either way.
    expect(about('web', lines).filter((l) => l.includes('::') && !l.includes('2001:db8:1::'))).toEqual([]);
  });

  it('network ACLs filter traffic to and from outside addresses, statelessly; traffic within the subnet crosses none', () => {
    const lines = list({
      acl: [
        [100, false, 'allow', '0.0.0.0/0', '6', [443, 443]],
        [110, false, 'allow', '10.0.2.0/24'],
        [100, true, 'allow', '0.0.0.0/0', '6', [1024, 65535]],
        [110, true, 'allow', '10.0.2.0/24'],
      ],
    });
    expect(about('web', lines)).toEqual([
      '0.0.0.0-9.255.255.255 => web : TCP 443',
      '10.0.0.0-10.0.0.255 => web : TCP 443',
      '10.0.1.0-10.0.1.255 => web : all',
      '10.0.2.0-10.0.2.255 => web : all',
      '10.0.3.0-10.0.255.255 => web : TCP 443',
      '10.1.0.0-255.255.255.255 => web : TCP 443',
      'app => web : all',
      // Out: only TCP to ports 1024-65535 leaves, and its response (to web's ports 1024-65535) may not come back in.
      'web => 10.0.1.0-10.0.1.255 : all',
      'web => 10.0.2.0-10.0.2.255 : all',
      'web => app : all',
    ]);
  });
});
