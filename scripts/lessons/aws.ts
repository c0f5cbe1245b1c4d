// Writes a small AWS estate as the JSON the AWS CLI prints (describe-vpcs, -subnets, -security-groups, -instances, -vpc-peering-connections).
// The lesson estates are described by name; ids are derived from the names so every run writes the same files.
import { createHash } from 'node:crypto';

export interface Vpc {
  name: string;
  cidr: string;
  /** A VPC of another account, known only from a peering connection: not written to describe-vpcs. */
  ownerId?: string;
}

export interface Subnet {
  name: string;
  vpc: string;
  cidr: string;
  zone: string;
  /** AvailableIpAddressCount as AWS reports it; default: the usable addresses minus the instances in it. */
  free?: number;
}

/** One IpPermission: a protocol and port range with its peers (CIDRs and group names). */
export interface Permission {
  protocol: 'tcp' | 'udp' | '-1';
  from?: number;
  to?: number;
  cidrs?: { cidr: string; description?: string }[];
  groups?: string[];
}

export interface Group {
  name: string;
  vpc: string;
  description: string;
  ingress: Permission[];
  /** Default: all traffic to anywhere (what a new group has). */
  egress?: Permission[];
}

export interface Instance {
  name: string;
  subnet: string;
  ip: string;
  groups: string[];
  publicIp?: string;
  /** `Role` tag: `db`, `cache`, `queue` make a datastore, `proxy` a gateway. */
  role?: string;
  type?: string;
}

export interface Peering {
  name: string;
  requester: string;
  accepter: string;
  status?: 'active' | 'failed' | 'pending-acceptance';
}

export interface Estate {
  account: string;
  region: string;
  vpcs: Vpc[];
  subnets: Subnet[];
  groups: Group[];
  instances: Instance[];
  peerings?: Peering[];
}

/** AWS-looking hex id of a kind (vpc, subnet, sg, i, eni, pcx, r) from a name: stable across runs. */
export const awsId = (kind: string, name: string, digits = 17): string =>
  `${kind}-${createHash('sha256').update(`${kind}/${name}`).digest('hex').slice(0, digits)}`;

const tags = (name: string, more: Record<string, string> = {}) =>
  Object.entries({ Name: name, ...more }).map(([Key, Value]) => ({ Key, Value }));

const byName = <T extends { name: string }>(list: T[], name: string, what: string): T => {
  const found = list.find((x) => x.name === name);
  if (!found) throw new Error(`no ${what} named ${name}`);
  return found;
};

const usable = (cidr: string): number => 2 ** (32 - Number(cidr.split('/')[1])) - 5;

const permission = (e: Estate, p: Permission) => {
  const out: Record<string, unknown> = { IpProtocol: p.protocol };
  if (p.protocol !== '-1') {
    out.FromPort = p.from;
    out.ToPort = p.to ?? p.from;
  }
  out.IpRanges = (p.cidrs ?? []).map((c) =>
    c.description ? { CidrIp: c.cidr, Description: c.description } : { CidrIp: c.cidr },
  );
  out.Ipv6Ranges = [];
  out.PrefixListIds = [];
  out.UserIdGroupPairs = (p.groups ?? []).map((g) => ({
    GroupId: awsId('sg', byName(e.groups, g, 'group').name),
    UserId: e.account,
  }));
  return out;
};

const ALL_EGRESS: Permission = { protocol: '-1', cidrs: [{ cidr: '0.0.0.0/0' }] };

const vpcInfo = (e: Estate, name: string) => {
  const v = byName(e.vpcs, name, 'VPC');
  return {
    CidrBlock: v.cidr,
    CidrBlockSet: [{ CidrBlock: v.cidr }],
    OwnerId: v.ownerId ?? e.account,
    PeeringOptions: {
      AllowDnsResolutionFromRemoteVpc: false,
      AllowEgressFromLocalClassicLinkToRemoteVpc: false,
      AllowEgressFromLocalVpcToRemoteClassicLink: false,
    },
    VpcId: awsId('vpc', v.name),
    Region: e.region,
  };
};

const PEERING_MESSAGE = {
  active: 'Active',
  failed: 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range.',
  'pending-acceptance': 'Pending Acceptance by ',
};

const instance = (e: Estate, i: Instance, n: number) => {
  const subnet = byName(e.subnets, i.subnet, 'subnet');
  const vpcId = awsId('vpc', subnet.vpc);
  const groups = i.groups.map((g) => ({ GroupName: g, GroupId: awsId('sg', byName(e.groups, g, 'group').name) }));
  const dns = `ip-${i.ip.replaceAll('.', '-')}.${e.region}.compute.internal`;
  const association = i.publicIp
    ? {
        IpOwnerId: 'amazon',
        PublicDnsName: `ec2-${i.publicIp.replaceAll('.', '-')}.${e.region}.compute.amazonaws.com`,
        PublicIp: i.publicIp,
      }
    : undefined;
  const eni = awsId('eni', i.name);
  const out: Record<string, unknown> = {
    AmiLaunchIndex: 0,
    ImageId: 'ami-0905a3c97561e0b69',
    InstanceId: awsId('i', i.name),
    InstanceType: i.type ?? 't3.medium',
    LaunchTime: `2025-03-${String(3 + (n % 20)).padStart(2, '0')}T09:1${n % 10}:00+00:00`,
    Monitoring: { State: 'disabled' },
    Placement: { AvailabilityZone: subnet.zone, GroupName: '', Tenancy: 'default' },
    PrivateDnsName: dns,
    PrivateIpAddress: i.ip,
    ProductCodes: [],
    PublicDnsName: association?.PublicDnsName ?? '',
    State: { Code: 16, Name: 'running' },
    StateTransitionReason: '',
    SubnetId: awsId('subnet', subnet.name),
    VpcId: vpcId,
    Architecture: 'x86_64',
    BlockDeviceMappings: [],
    ClientToken: '',
    EbsOptimized: true,
    EnaSupport: true,
    Hypervisor: 'xen',
    NetworkInterfaces: [
      {
        ...(association ? { Association: association } : {}),
        Attachment: {
          AttachTime: `2025-03-${String(3 + (n % 20)).padStart(2, '0')}T09:1${n % 10}:01+00:00`,
          AttachmentId: awsId('eni-attach', i.name),
          DeleteOnTermination: true,
          DeviceIndex: 0,
          Status: 'attached',
          NetworkCardIndex: 0,
        },
        Description: '',
        Groups: groups,
        Ipv6Addresses: [],
        MacAddress: `0a:${awsId('mac', i.name, 10).slice(4).match(/../g)?.join(':')}`,
        NetworkInterfaceId: eni,
        OwnerId: e.account,
        PrivateDnsName: dns,
        PrivateIpAddress: i.ip,
        PrivateIpAddresses: [
          {
            ...(association ? { Association: association } : {}),
            Primary: true,
            PrivateDnsName: dns,
            PrivateIpAddress: i.ip,
          },
        ],
        SourceDestCheck: true,
        Status: 'in-use',
        SubnetId: awsId('subnet', subnet.name),
        VpcId: vpcId,
        InterfaceType: 'interface',
      },
    ],
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    SecurityGroups: groups,
    SourceDestCheck: true,
    Tags: tags(i.name, i.role ? { Role: i.role } : {}),
    VirtualizationType: 'hvm',
    MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
  };
  if (i.publicIp) out.PublicIpAddress = i.publicIp;
  return out;
};

/** The exports as file name → JSON text, printed as the AWS CLI prints them (4-space indent). */
export const awsExports = (e: Estate): Record<string, string> => {
  const json = (x: unknown) => `${JSON.stringify(x, null, 4)}\n`;
  const own = e.vpcs.filter((v) => v.ownerId === undefined);
  const files: Record<string, string> = {
    'describe-vpcs.json': json({
      Vpcs: own.map((v) => ({
        CidrBlock: v.cidr,
        DhcpOptionsId: awsId('dopt', e.account),
        State: 'available',
        VpcId: awsId('vpc', v.name),
        OwnerId: e.account,
        InstanceTenancy: 'default',
        CidrBlockAssociationSet: [
          {
            AssociationId: awsId('vpc-cidr-assoc', v.name),
            CidrBlock: v.cidr,
            CidrBlockState: { State: 'associated' },
          },
        ],
        IsDefault: false,
        Tags: tags(v.name),
      })),
    }),
    'describe-subnets.json': json({
      Subnets: e.subnets.map((s) => ({
        AvailabilityZone: s.zone,
        AvailabilityZoneId: `euw1-az${s.zone.slice(-1) === 'a' ? 1 : s.zone.slice(-1) === 'b' ? 2 : 3}`,
        AvailableIpAddressCount: s.free ?? usable(s.cidr) - e.instances.filter((i) => i.subnet === s.name).length,
        CidrBlock: s.cidr,
        DefaultForAz: false,
        MapPublicIpOnLaunch: false,
        State: 'available',
        SubnetId: awsId('subnet', s.name),
        VpcId: awsId('vpc', s.vpc),
        OwnerId: e.account,
        AssignIpv6AddressOnCreation: false,
        Ipv6CidrBlockAssociationSet: [],
        Tags: tags(s.name),
        SubnetArn: `arn:aws:ec2:${e.region}:${e.account}:subnet/${awsId('subnet', s.name)}`,
      })),
    }),
    'describe-security-groups.json': json({
      SecurityGroups: e.groups.map((g) => ({
        Description: g.description,
        GroupName: g.name,
        IpPermissions: g.ingress.map((p) => permission(e, p)),
        OwnerId: e.account,
        GroupId: awsId('sg', g.name),
        IpPermissionsEgress: (g.egress ?? [ALL_EGRESS]).map((p) => permission(e, p)),
        Tags: tags(g.name),
        VpcId: awsId('vpc', g.vpc),
        SecurityGroupArn: `arn:aws:ec2:${e.region}:${e.account}:security-group/${awsId('sg', g.name)}`,
      })),
    }),
    'describe-instances.json': json({
      Reservations: e.instances.map((i, n) => ({
        Groups: [],
        Instances: [instance(e, i, n)],
        OwnerId: e.account,
        ReservationId: awsId('r', i.name),
      })),
    }),
  };
  if (e.peerings?.length) {
    files['describe-vpc-peering-connections.json'] = json({
      VpcPeeringConnections: e.peerings.map((p) => {
        const status = p.status ?? 'active';
        return {
          AccepterVpcInfo: vpcInfo(e, p.accepter),
          RequesterVpcInfo: vpcInfo(e, p.requester),
          Status: {
            Code: status,
            Message:
              status === 'pending-acceptance' ? `${PEERING_MESSAGE[status]}${e.account}` : PEERING_MESSAGE[status],
          },
          Tags: tags(p.name),
          VpcPeeringConnectionId: awsId('pcx', p.name),
        };
      }),
    });
  }
  return files;
};
