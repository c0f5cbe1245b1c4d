import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import { mergeSegmentFacts } from '../../import/segments';
import type { ReadResult } from '../../import/types';
import type { Rule, Segment, Service } from '../../model/types';
import { awsReader } from './read';
import { posOf } from './testing';

const A = '111111111111';
const B = '222222222222';

const read = (name: string, value: unknown): { text: string; result: ReadResult } => {
  const text = JSON.stringify(value, null, 4);
  return { text, result: awsReader.read({ name, text }) };
};

/** Objects without their source positions, for exact comparison of content. */
const bare = <T extends { source?: unknown }>(items: T[]): Omit<T, 'source'>[] =>
  items.map(({ source: _s, ...rest }) => rest);

const seg = (r: ReadResult, id: string): Segment | undefined => r.fragment.segments.find((s) => s.id === id);
const svc = (r: ReadResult, id: string): Service | undefined => r.fragment.services.find((s) => s.id === id);
const rulesOf = (r: ReadResult, prefix: string): Omit<Rule, 'source'>[] =>
  bare(r.fragment.rules.filter((x) => x.id.startsWith(prefix)));

const perm = (p: Record<string, unknown>) => ({
  IpRanges: [],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
  ...p,
});

const securityGroups = {
  SecurityGroups: [
    {
      Description: 'Order API',
      GroupName: 'api',
      IpPermissions: [
        perm({
          FromPort: 8000,
          IpProtocol: 'tcp',
          ToPort: 8099,
          UserIdGroupPairs: [{ Description: 'API range from web', GroupId: 'sg-0web', UserId: A }],
        }),
        perm({
          FromPort: 7946,
          IpProtocol: 'tcp',
          ToPort: 7946,
          UserIdGroupPairs: [{ GroupId: 'sg-0api', UserId: A }],
        }),
        perm({
          FromPort: 9100,
          IpProtocol: 'tcp',
          ToPort: 9100,
          UserIdGroupPairs: [
            {
              Description: 'scraped by monitoring',
              GroupId: 'sg-0mon',
              PeeringStatus: 'active',
              UserId: B,
              VpcId: 'vpc-0b',
              VpcPeeringConnectionId: 'pcx-0ab',
            },
          ],
        }),
        perm({
          FromPort: 443,
          IpProtocol: 'tcp',
          IpRanges: [{ CidrIp: '10.0.0.0/8' }],
          Ipv6Ranges: [{ CidrIpv6: '2600:1f18:4a3:6e00::/56', Description: 'IPv6 clients' }],
          PrefixListIds: [{ Description: 'offices', PrefixListId: 'pl-0corp' }],
          ToPort: 443,
        }),
        perm({ FromPort: -1, IpProtocol: 'icmp', IpRanges: [{ CidrIp: '10.0.0.0/8' }], ToPort: -1 }),
      ],
      OwnerId: A,
      GroupId: 'sg-0api',
      IpPermissionsEgress: [
        perm({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }),
      ],
      Tags: [{ Key: 'Team', Value: 'shop' }],
      VpcId: 'vpc-0a',
      SecurityGroupArn: `arn:aws:ec2:eu-west-1:${A}:security-group/sg-0api`,
    },
    {
      Description: 'Web',
      GroupName: 'web',
      IpPermissions: [
        perm({
          FromPort: 8080,
          IpProtocol: 'tcp',
          ToPort: 8080,
          UserIdGroupPairs: [{ GroupId: 'sg-0gone', UserId: A }],
        }),
      ],
      OwnerId: A,
      GroupId: 'sg-0web',
      IpPermissionsEgress: [],
      VpcId: 'vpc-0a',
    },
  ],
};

describe('aws ec2 describe-security-groups', () => {
  const { text, result } = read('describe-security-groups.json', securityGroups);
  const group = 'group:sg-0api';
  const base = { type: 'sg-permission', level: 'group', group } as const;

  it('expands every permission into one rule per peer, keeping protocol, ports and descriptions as printed', () => {
    expect(rulesOf(result, 'sg:sg-0api:')).toEqual([
      {
        ...base,
        id: 'sg:sg-0api:ingress:0:0',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 8000,
        toPort: 8099,
        peer: { kind: 'group', group: 'group:sg-0web', userId: A },
        description: 'API range from web',
      },
      {
        ...base,
        id: 'sg:sg-0api:ingress:1:0',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 7946,
        toPort: 7946,
        peer: { kind: 'group', group: 'group:sg-0api', userId: A },
      },
      {
        ...base,
        id: 'sg:sg-0api:ingress:2:0',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 9100,
        toPort: 9100,
        peer: { kind: 'group', group: 'group:sg-0mon', userId: B, vpcId: 'vpc-0b', vpcPeeringConnectionId: 'pcx-0ab' },
        description: 'scraped by monitoring',
      },
      {
        ...base,
        id: 'sg:sg-0api:ingress:3:0',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        peer: { kind: 'cidr', cidr: '10.0.0.0/8' },
      },
      {
        ...base,
        id: 'sg:sg-0api:ingress:3:1',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        peer: { kind: 'cidr', cidr: '2600:1f18:4a3:6e00::/56' },
        description: 'IPv6 clients',
      },
      {
        ...base,
        id: 'sg:sg-0api:ingress:3:2',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        peer: { kind: 'prefix-list', prefixListId: 'pl-0corp' },
        description: 'offices',
      },
      {
        ...base,
        id: 'sg:sg-0api:ingress:4:0',
        direction: 'ingress',
        protocol: 'icmp',
        fromPort: -1,
        toPort: -1,
        peer: { kind: 'cidr', cidr: '10.0.0.0/8' },
      },
      {
        ...base,
        id: 'sg:sg-0api:egress:0:0',
        direction: 'egress',
        protocol: '-1',
        peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
      },
      {
        ...base,
        id: 'sg:sg-0api:egress:0:1',
        direction: 'egress',
        protocol: '-1',
        peer: { kind: 'cidr', cidr: '::/0' },
      },
    ]);
  });

  it('points each rule at its peer in the file', () => {
    const rule = result.fragment.rules.find((r) => r.id === 'sg:sg-0api:ingress:3:1');
    expect(rule?.source).toEqual({
      file: 'describe-security-groups.json',
      ...posOf(text, '{', countBraces(text, '"CidrIpv6": "2600')),
    });
  });

  it('makes a group segment inside its VPC with the quota inputs AWS counts (one rule per peer)', () => {
    const { source: _s, ...api } = seg(result, group) as Segment;
    expect(api).toEqual({
      id: group,
      level: 'group',
      name: 'api',
      parent: 'network:vpc-0a',
      labels: { Team: 'shop' },
      attributes: {
        kind: 'security-group',
        groupId: 'sg-0api',
        vpc: 'network:vpc-0a',
        ownerId: A,
        name: 'api',
        description: 'Order API',
        region: 'eu-west-1',
        inboundRuleCount: 7,
        inboundRuleCountIpv4: 6,
        inboundRuleCountIpv6: 5,
        outboundRuleCount: 2,
        outboundRuleCountIpv4: 1,
        outboundRuleCountIpv6: 1,
      },
    });
    expect(seg(result, 'group:sg-0web')?.attributes?.inboundRuleCount).toBe(1);
    expect(seg(result, 'group:sg-0web')?.attributes?.outboundRuleCount).toBe(0);
  });

  it('keeps rules to undescribed groups without making segments, and says so (cross-account only as info)', () => {
    expect(seg(result, 'group:sg-0gone')).toBeUndefined();
    expect(seg(result, 'group:sg-0mon')).toBeUndefined();
    expect(result.fragment.rules.find((r) => r.id === 'sg:sg-0web:ingress:0:0')).toMatchObject({
      peer: { kind: 'group', group: 'group:sg-0gone' },
    });
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.column, d.message])).toEqual([
      [
        'info',
        ...Object.values(posOf(text, '{', countBraces(text, '"scraped by monitoring"'))),
        `sg-0api references sg-0mon of account ${B} (cross-account); load that account's groups to see its members`,
      ],
      [
        'warn',
        ...Object.values(posOf(text, '{', countBraces(text, '"sg-0gone"'))),
        'sg-0web references sg-0gone, which this file does not describe; the rule is kept, the group has no segment here',
      ],
    ]);
  });

  it('places the VPC and account it names as stubs for other files to describe', () => {
    expect(bare([seg(result, 'network:vpc-0a') as Segment])).toEqual([
      {
        id: 'network:vpc-0a',
        level: 'network',
        name: 'vpc-0a',
        parent: `account:${A}`,
        attributes: { kind: 'vpc', vpcId: 'vpc-0a', accountId: A, region: 'eu-west-1', stub: true },
      },
    ]);
    expect(seg(result, `account:${A}`)?.attributes).toEqual({ kind: 'account', accountId: A, stub: true });
  });
});

/** How many `{` precede the object holding `needle` (the object opening just before it). */
function countBraces(text: string, needle: string, skip = 0): number {
  let at = -1;
  for (let i = 0; i <= skip; i++) at = text.indexOf(needle, at + 1);
  const open = text.lastIndexOf('{', at);
  return text.slice(0, open).split('{').length - 1;
}

const nic = (
  id: string,
  subnet: string,
  ip: string,
  groups: [string, string][],
  extra: Record<string, unknown> = {},
) => ({
  Attachment: { DeviceIndex: 0, Status: 'attached' },
  Description: '',
  Groups: groups.map(([GroupName, GroupId]) => ({ GroupName, GroupId })),
  Ipv6Addresses: [],
  NetworkInterfaceId: id,
  OwnerId: A,
  PrivateIpAddress: ip,
  PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }],
  SubnetId: subnet,
  VpcId: 'vpc-0a',
  InterfaceType: 'interface',
  ...extra,
});

const instances = {
  Reservations: [
    {
      Groups: [],
      Instances: [
        {
          InstanceId: 'i-0api1',
          InstanceType: 'm6i.large',
          Placement: { AvailabilityZone: 'eu-west-1a' },
          PrivateIpAddress: '10.10.16.31',
          SubnetId: 'subnet-0app1a',
          VpcId: 'vpc-0a',
          IamInstanceProfile: { Arn: `arn:aws:iam::${A}:instance-profile/shop-api`, Id: 'AIPAEXAMPLE' },
          State: { Code: 16, Name: 'running' },
          SecurityGroups: [
            { GroupName: 'api', GroupId: 'sg-0api' },
            { GroupName: 'common', GroupId: 'sg-0common' },
          ],
          NetworkInterfaces: [
            nic(
              'eni-0primary',
              'subnet-0app1a',
              '10.10.16.31',
              [
                ['api', 'sg-0api'],
                ['common', 'sg-0common'],
              ],
              {
                Ipv6Addresses: [{ Ipv6Address: '2600:1f18:4a3:6e01::31' }],
                PrivateIpAddresses: [
                  { Primary: true, PrivateIpAddress: '10.10.16.31' },
                  { Primary: false, PrivateIpAddress: '10.10.16.32', Association: { PublicIp: '54.1.2.3' } },
                ],
              },
            ),
            nic('eni-0second', 'subnet-0app1b', '10.10.32.31', [['api', 'sg-0api']]),
          ],
          Tags: [
            { Key: 'Name', Value: 'api-1' },
            { Key: 'Role', Value: 'api' },
          ],
        },
        {
          InstanceId: 'i-0gone',
          State: { Code: 48, Name: 'terminated' },
          Tags: [{ Key: 'Name', Value: 'old' }],
        },
      ],
      OwnerId: A,
      ReservationId: 'r-0a',
    },
    {
      Groups: [],
      Instances: [
        {
          InstanceId: 'i-0db',
          Placement: { AvailabilityZone: 'eu-west-1b' },
          PrivateIpAddress: '10.20.1.8',
          SubnetId: 'subnet-0data',
          VpcId: 'vpc-0b',
          State: { Code: 80, Name: 'stopped' },
          SecurityGroups: [{ GroupName: 'db', GroupId: 'sg-0db' }],
          NetworkInterfaces: [
            {
              ...nic('eni-0db', 'subnet-0data', '10.20.1.8', [['db', 'sg-0db']]),
              OwnerId: B,
              VpcId: 'vpc-0b',
            },
          ],
          Tags: [{ Key: 'Role', Value: 'database' }],
        },
      ],
      OwnerId: B,
      ReservationId: 'r-0b',
    },
  ],
};

describe('aws ec2 describe-instances', () => {
  const { text, result } = read('describe-instances.json', instances);

  it('makes one service per instance with private IPs, memberships at four levels and per-interface groups', () => {
    const { source, ...api } = svc(result, 'aws:i-0api1') as Service;
    expect(api).toEqual({
      id: 'aws:i-0api1',
      name: 'api-1',
      kind: 'service',
      labels: { Name: 'api-1', Role: 'api' },
      addresses: ['10.10.16.31', '10.10.16.32', '2600:1f18:4a3:6e01::31', '10.10.32.31'],
      exposed: true,
      placement: { host: 'i-0api1', mode: 'dedicated-vm' },
      memberships: {
        account: [`account:${A}`],
        role: [`role:aws:arn:aws:iam::${A}:instance-profile/shop-api`],
        network: ['network:subnet-0app1a'],
        group: ['group:sg-0api', 'group:sg-0common'],
      },
      extra: {
        state: 'running',
        instanceType: 'm6i.large',
        availabilityZone: 'eu-west-1a',
        interfaces: [
          { id: 'eni-0primary', groups: ['group:sg-0api', 'group:sg-0common'], subnet: 'network:subnet-0app1a' },
          { id: 'eni-0second', groups: ['group:sg-0api'], subnet: 'network:subnet-0app1b' },
        ],
      },
    });
    expect(source).toEqual([{ file: 'describe-instances.json', ...posOf(text, '{', countBraces(text, '"i-0api1"')) }]);
  });

  it('falls back to the instance id for the name, guesses a datastore from a Role tag, and skips terminated ones', () => {
    expect(svc(result, 'aws:i-0db')).toMatchObject({
      name: 'i-0db',
      kind: 'datastore',
      memberships: { account: [`account:${B}`], network: ['network:subnet-0data'], group: ['group:sg-0db'] },
      extra: { state: 'stopped' },
    });
    expect(svc(result, 'aws:i-0db')?.exposed).toBeUndefined();
    expect(svc(result, 'aws:i-0gone')).toBeUndefined();
    expect(result.diagnostics).toEqual([
      {
        file: 'describe-instances.json',
        ...posOf(text, '{', countBraces(text, '"i-0gone"')),
        severity: 'info',
        message: '1 terminated instance(s) skipped: they no longer run',
        path: '/Reservations/0/Instances/1',
      },
    ]);
  });

  it('describes referenced subnets, groups, VPCs and profiles as stubs with what the instance knows', () => {
    expect(bare([seg(result, 'network:subnet-0app1a') as Segment])).toEqual([
      {
        id: 'network:subnet-0app1a',
        level: 'network',
        name: 'subnet-0app1a',
        parent: 'network:vpc-0a',
        attributes: {
          kind: 'subnet',
          subnetId: 'subnet-0app1a',
          vpc: 'network:vpc-0a',
          availabilityZone: 'eu-west-1a',
          region: 'eu-west-1',
          accountId: A,
          stub: true,
        },
      },
    ]);
    expect(seg(result, 'network:vpc-0a')?.attributes).toEqual({
      kind: 'vpc',
      vpcId: 'vpc-0a',
      accountId: A,
      region: 'eu-west-1',
      stub: true,
    });
    expect(seg(result, 'group:sg-0common')).toMatchObject({
      level: 'group',
      name: 'common',
      parent: 'network:vpc-0a',
      attributes: { kind: 'security-group', groupId: 'sg-0common', stub: true },
    });
    expect(seg(result, `role:aws:arn:aws:iam::${A}:instance-profile/shop-api`)).toMatchObject({
      level: 'role',
      name: 'shop-api',
      attributes: {
        kind: 'instance-profile',
        arn: `arn:aws:iam::${A}:instance-profile/shop-api`,
        accountId: A,
        stub: true,
      },
    });
  });
});

describe('aws ec2 describe-vpcs, describe-subnets, peering and transit gateway attachments', () => {
  it('keeps associated IPv4 and IPv6 blocks (not disassociated ones), region from the border group, account parent', () => {
    const { result } = read('describe-vpcs.json', {
      Vpcs: [
        {
          CidrBlock: '10.10.0.0/16',
          State: 'available',
          VpcId: 'vpc-0a',
          OwnerId: A,
          CidrBlockAssociationSet: [
            { CidrBlock: '10.10.0.0/16', CidrBlockState: { State: 'associated' } },
            { CidrBlock: '100.64.0.0/20', CidrBlockState: { State: 'associated' } },
            { CidrBlock: '10.99.0.0/16', CidrBlockState: { State: 'disassociated' } },
          ],
          Ipv6CidrBlockAssociationSet: [
            {
              Ipv6CidrBlock: '2600:1f18:4a3:6e00::/56',
              Ipv6CidrBlockState: { State: 'associated' },
              NetworkBorderGroup: 'us-east-1',
            },
          ],
          IsDefault: false,
          Tags: [{ Key: 'Name', Value: 'prod-apps' }],
        },
      ],
    });
    expect(bare(result.fragment.segments)).toEqual([
      {
        id: `account:${A}`,
        level: 'account',
        name: A,
        attributes: { kind: 'account', accountId: A, stub: true },
      },
      {
        id: 'network:vpc-0a',
        level: 'network',
        name: 'prod-apps',
        parent: `account:${A}`,
        cidrs: ['10.10.0.0/16', '100.64.0.0/20', '2600:1f18:4a3:6e00::/56'],
        labels: { Name: 'prod-apps' },
        attributes: {
          kind: 'vpc',
          vpcId: 'vpc-0a',
          accountId: A,
          region: 'us-east-1',
          isDefault: false,
          state: 'available',
        },
      },
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('makes subnets children of their VPC with free addresses and region from the ARN', () => {
    const { result } = read('describe-subnets.json', {
      Subnets: [
        {
          AvailabilityZone: 'us-east-1a',
          AvailableIpAddressCount: 8,
          CidrBlock: '10.10.64.0/28',
          MapPublicIpOnLaunch: false,
          SubnetId: 'subnet-0data',
          VpcId: 'vpc-0a',
          OwnerId: A,
          Ipv6CidrBlockAssociationSet: [
            { Ipv6CidrBlock: '2600:1f18:4a3:6e03::/64', Ipv6CidrBlockState: { State: 'associated' } },
          ],
          SubnetArn: `arn:aws:ec2:us-east-1:${A}:subnet/subnet-0data`,
          Tags: [{ Key: 'Name', Value: 'prod-data-1a' }],
        },
      ],
    });
    expect(bare([seg(result, 'network:subnet-0data') as Segment])).toEqual([
      {
        id: 'network:subnet-0data',
        level: 'network',
        name: 'prod-data-1a',
        parent: 'network:vpc-0a',
        cidrs: ['10.10.64.0/28', '2600:1f18:4a3:6e03::/64'],
        labels: { Name: 'prod-data-1a' },
        attributes: {
          kind: 'subnet',
          subnetId: 'subnet-0data',
          vpc: 'network:vpc-0a',
          availableIpAddressCount: 8,
          availabilityZone: 'us-east-1a',
          region: 'us-east-1',
          accountId: A,
          mapPublicIpOnLaunch: false,
        },
      },
    ]);
    expect(seg(result, 'network:vpc-0a')?.attributes).toMatchObject({ region: 'us-east-1', stub: true });
  });

  it('keeps each peering with its status code, and both VPCs with the CIDRs and regions it reports', () => {
    const { result } = read('describe-vpc-peering-connections.json', {
      VpcPeeringConnections: [
        {
          AccepterVpcInfo: { CidrBlock: '10.20.0.0/16', OwnerId: B, VpcId: 'vpc-0b', Region: 'us-east-1' },
          RequesterVpcInfo: {
            CidrBlock: '10.10.0.0/16',
            CidrBlockSet: [{ CidrBlock: '10.10.0.0/16' }, { CidrBlock: '100.64.0.0/20' }],
            Ipv6CidrBlockSet: [{ Ipv6CidrBlock: '2600:1f18:4a3:6e00::/56' }],
            OwnerId: A,
            VpcId: 'vpc-0a',
            Region: 'us-east-1',
          },
          Status: { Code: 'active', Message: 'Active' },
          VpcPeeringConnectionId: 'pcx-0ab',
        },
        {
          AccepterVpcInfo: { OwnerId: B, VpcId: 'vpc-0c', Region: 'eu-west-1' },
          RequesterVpcInfo: { CidrBlock: '10.10.0.0/16', OwnerId: A, VpcId: 'vpc-0a', Region: 'us-east-1' },
          Status: { Code: 'pending-acceptance', Message: 'Pending Acceptance by 222222222222' },
          VpcPeeringConnectionId: 'pcx-0ac',
        },
      ],
    });
    expect(bare(result.fragment.rules)).toEqual([
      {
        id: 'aws:pcx-0ab',
        type: 'vpc-peering',
        level: 'network',
        requester: 'network:vpc-0a',
        accepter: 'network:vpc-0b',
        status: 'active',
      },
      {
        id: 'aws:pcx-0ac',
        type: 'vpc-peering',
        level: 'network',
        requester: 'network:vpc-0a',
        accepter: 'network:vpc-0c',
        status: 'pending-acceptance',
      },
    ]);
    expect(seg(result, 'network:vpc-0a')).toMatchObject({
      cidrs: ['10.10.0.0/16', '100.64.0.0/20', '2600:1f18:4a3:6e00::/56'],
      parent: `account:${A}`,
      attributes: { region: 'us-east-1', accountId: A, stub: true },
    });
    expect(seg(result, 'network:vpc-0c')?.attributes).toMatchObject({ region: 'eu-west-1', accountId: B });
  });

  it('keeps VPC transit gateway attachments and names the other attachment types once', () => {
    const { text, result } = read('describe-transit-gateway-attachments.json', {
      TransitGatewayAttachments: [
        {
          TransitGatewayAttachmentId: 'tgw-attach-0a',
          TransitGatewayId: 'tgw-0hub',
          TransitGatewayOwnerId: B,
          ResourceOwnerId: A,
          ResourceType: 'vpc',
          ResourceId: 'vpc-0a',
          State: 'available',
        },
        {
          TransitGatewayAttachmentId: 'tgw-attach-0v',
          TransitGatewayId: 'tgw-0hub',
          ResourceType: 'vpn',
          ResourceId: 'vpn-0x',
          State: 'available',
        },
        {
          TransitGatewayAttachmentId: 'tgw-attach-0w',
          TransitGatewayId: 'tgw-0hub',
          ResourceType: 'vpn',
          ResourceId: 'vpn-0y',
          State: 'available',
        },
      ],
    });
    expect(bare(result.fragment.rules)).toEqual([
      {
        id: 'aws:tgw-attach-0a',
        type: 'tgw-attachment',
        level: 'network',
        transitGateway: 'tgw-0hub',
        vpc: 'network:vpc-0a',
        state: 'available',
      },
    ]);
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.column, d.message])).toEqual([
      [
        'info',
        ...Object.values(posOf(text, '{', countBraces(text, '"tgw-attach-0v"'))),
        'transit gateway attachments of type "vpn" are not modelled (only VPC attachments are)',
      ],
    ]);
  });
});

describe('managed prefix lists', () => {
  const entries = { Entries: [{ Cidr: '198.51.100.0/24', Description: 'Berlin' }, { Cidr: '2001:db8:4200::/48' }] };

  it('takes the list id of get-managed-prefix-list-entries from the file name', () => {
    const { result } = read('get-managed-prefix-list-entries-pl-0corp.json', entries);
    expect(bare(result.fragment.rules)).toEqual([
      {
        id: 'aws:pl-0corp:entries',
        type: 'prefix-list',
        level: 'group',
        prefixListId: 'pl-0corp',
        cidrs: ['198.51.100.0/24', '2001:db8:4200::/48'],
      },
    ]);
  });

  it('joins entries to the list a combined object describes', () => {
    const { result } = read('prefix.json', {
      PrefixLists: [
        { PrefixListId: 'pl-0corp', PrefixListName: 'corporate-offices', MaxEntries: 10, AddressFamily: 'IPv4' },
      ],
      PrefixListId: 'pl-0corp',
      ...entries,
    });
    expect(bare(result.fragment.rules)).toEqual([
      {
        id: 'aws:pl-0corp',
        type: 'prefix-list',
        level: 'group',
        prefixListId: 'pl-0corp',
        name: 'corporate-offices',
        cidrs: ['198.51.100.0/24', '2001:db8:4200::/48'],
        maxEntries: 10,
      },
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('describes lists without entries (and says where to get them); entries without a list id are an error', () => {
    const lists = read('describe-managed-prefix-lists.json', {
      PrefixLists: [{ PrefixListId: 'pl-63a5400a', PrefixListName: 'com.amazonaws.us-east-1.s3', MaxEntries: 1 }],
    }).result;
    expect(bare(lists.fragment.rules)).toEqual([
      {
        id: 'aws:pl-63a5400a',
        type: 'prefix-list',
        level: 'group',
        prefixListId: 'pl-63a5400a',
        name: 'com.amazonaws.us-east-1.s3',
        cidrs: [],
        maxEntries: 1,
      },
    ]);
    expect(lists.diagnostics.map((d) => d.severity)).toEqual(['info']);
    const { text, result } = read('entries.json', entries);
    expect(result.fragment.rules).toEqual([]);
    expect(result.diagnostics).toEqual([
      {
        file: 'entries.json',
        ...posOf(text, '"Entries"'),
        severity: 'error',
        message:
          'prefix list entries without a list id: name the file after the list (pl-….json) or add "PrefixListId" next to "Entries"',
        path: '/Entries',
      },
    ]);
  });
});

const encodedTrust = encodeURIComponent(
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: {
          AWS: [`arn:aws:iam::${B}:root`, `arn:aws:iam::${B}:role/ci-runner`],
          Service: 'ec2.amazonaws.com',
        },
        Action: 'sts:AssumeRole',
      },
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
    ],
  }),
);

const authorization = {
  RoleDetailList: [
    {
      Path: '/',
      RoleName: 'deploy',
      RoleId: 'AROAEXAMPLE1',
      Arn: `arn:aws:iam::${A}:role/deploy`,
      AssumeRolePolicyDocument: encodedTrust,
      InstanceProfileList: [],
      RolePolicyList: [
        {
          PolicyName: 'assume-reporting',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: `arn:aws:iam::${A}:role/report-*` },
              { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
            ],
          },
        },
      ],
      AttachedManagedPolicies: [{ PolicyName: 'assume-audit', PolicyArn: `arn:aws:iam::${A}:policy/assume-audit` }],
      Tags: [],
    },
    {
      Path: '/',
      RoleName: 'report-reader',
      RoleId: 'AROAEXAMPLE2',
      Arn: `arn:aws:iam::${A}:role/report-reader`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      InstanceProfileList: [
        {
          Path: '/',
          InstanceProfileName: 'report-reader',
          InstanceProfileId: 'AIPAEXAMPLE',
          Arn: `arn:aws:iam::${A}:instance-profile/report-reader`,
          Roles: [],
        },
      ],
      RolePolicyList: [],
      AttachedManagedPolicies: [],
    },
  ],
  Policies: [
    {
      PolicyName: 'assume-audit',
      Arn: `arn:aws:iam::${A}:policy/assume-audit`,
      DefaultVersionId: 'v2',
      PolicyVersionList: [
        {
          Document: encodeURIComponent(
            JSON.stringify({
              Version: '2012-10-17',
              Statement: { Effect: 'Deny', Action: 'sts:*', Resource: `arn:aws:iam::${B}:role/audit` },
            }),
          ),
          VersionId: 'v2',
          IsDefaultVersion: true,
        },
        { Document: { Version: '2012-10-17', Statement: [] }, VersionId: 'v1', IsDefaultVersion: false },
      ],
    },
  ],
  UserDetailList: [],
  GroupDetailList: [],
};

describe('aws iam get-account-authorization-details', () => {
  const { text, result } = read('get-account-authorization-details.json', authorization);
  const deploy = `role:aws:arn:aws:iam::${A}:role/deploy`;

  it('decodes a URL-encoded trust policy into role-trust rules for account and role principals', () => {
    expect(rulesOf(result, `iam:arn:aws:iam::${A}:role/deploy:trust`)).toEqual([
      {
        id: `iam:arn:aws:iam::${A}:role/deploy:trust:0:0`,
        type: 'role-trust',
        level: 'role',
        role: deploy,
        principal: `account:${B}`,
      },
      {
        id: `iam:arn:aws:iam::${A}:role/deploy:trust:0:1`,
        type: 'role-trust',
        level: 'role',
        role: deploy,
        principal: `role:aws:arn:aws:iam::${B}:role/ci-runner`,
      },
    ]);
    const decoded = JSON.parse(decodeURIComponent(encodedTrust));
    expect(seg(result, deploy)?.attributes).toEqual({
      kind: 'iam-role',
      arn: `arn:aws:iam::${A}:role/deploy`,
      roleName: 'deploy',
      accountId: A,
      path: '/',
      managedPolicyCount: 1,
      managedPolicies: [`arn:aws:iam::${A}:policy/assume-audit`],
      inlinePolicies: ['assume-reporting'],
      trustPolicySize: JSON.stringify(decoded).length,
      trustedPrincipals: [`arn:aws:iam::${B}:root`, `arn:aws:iam::${B}:role/ci-runner`, 'Service:ec2.amazonaws.com'],
      assumeRoleWildcards: [`arn:aws:iam::${A}:role/report-*`],
    });
    expect(seg(result, deploy)?.parent).toBe(`account:${A}`);
    expect(result.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['info', 'deploy: trust statement 1 with Effect Deny is not modelled'],
    ]);
    expect(result.diagnostics[0]).toMatchObject(posOf(text, '"AssumeRolePolicyDocument"'));
  });

  it('turns sts:AssumeRole in inline and default-version managed policies into role-grant rules', () => {
    // A wildcard resource stays a pattern: the role level matches it against roles of every loaded file.
    expect(rulesOf(result, `iam:arn:aws:iam::${A}:role/deploy:grant`)).toEqual([
      {
        id: `iam:arn:aws:iam::${A}:role/deploy:grant:assume-reporting:0:0`,
        type: 'role-grant',
        level: 'role',
        principal: deploy,
        target: `role:aws:arn:aws:iam::${A}:role/report-*`,
        targetPattern: `arn:aws:iam::${A}:role/report-*`,
        effect: 'Allow',
      },
      {
        id: `iam:arn:aws:iam::${A}:role/deploy:grant:assume-audit:0:0`,
        type: 'role-grant',
        level: 'role',
        principal: deploy,
        target: `role:aws:arn:aws:iam::${B}:role/audit`,
        effect: 'Deny',
      },
    ]);
  });

  it('makes instance profiles children of their role', () => {
    expect(bare([seg(result, `role:aws:arn:aws:iam::${A}:instance-profile/report-reader`) as Segment])).toEqual([
      {
        id: `role:aws:arn:aws:iam::${A}:instance-profile/report-reader`,
        level: 'role',
        name: 'report-reader',
        parent: `role:aws:arn:aws:iam::${A}:role/report-reader`,
        attributes: {
          kind: 'instance-profile',
          arn: `arn:aws:iam::${A}:instance-profile/report-reader`,
          accountId: A,
          role: `role:aws:arn:aws:iam::${A}:role/report-reader`,
        },
      },
    ]);
  });
});

describe('aws organizations list-accounts', () => {
  it('names accounts and puts them in their organization', () => {
    const { result } = read('list-accounts.json', {
      Accounts: [
        {
          Id: A,
          Arn: `arn:aws:organizations::${B}:account/o-k3x9w2v7q1/${A}`,
          Email: 'prod@example.com',
          Name: 'prod-apps',
          Status: 'ACTIVE',
          JoinedMethod: 'CREATED',
        },
        { Id: 'not-an-account', Name: 'broken' },
      ],
    });
    expect(bare(result.fragment.segments)).toEqual([
      {
        id: 'account:o-k3x9w2v7q1',
        level: 'account',
        name: 'o-k3x9w2v7q1',
        attributes: { kind: 'organization', organizationId: 'o-k3x9w2v7q1', managementAccountId: B },
      },
      {
        id: `account:${A}`,
        level: 'account',
        name: 'prod-apps',
        parent: 'account:o-k3x9w2v7q1',
        attributes: {
          kind: 'account',
          accountId: A,
          arn: `arn:aws:organizations::${B}:account/o-k3x9w2v7q1/${A}`,
          email: 'prod@example.com',
          status: 'ACTIVE',
          joinedMethod: 'CREATED',
        },
      },
    ]);
    expect(result.diagnostics.map((d) => [d.severity, d.path, d.message])).toEqual([
      ['error', '/Accounts/1', 'account without a 12-digit Id; skipped'],
    ]);
  });
});

describe('aws ec2 describe-network-interfaces', () => {
  const eni = (id: string, description: string, extra: Record<string, unknown>) => ({
    ...nic(id, 'subnet-0data', `10.10.64.${id.length}`, [['db', 'sg-0db']]),
    Attachment: undefined,
    Description: description,
    RequesterManaged: true,
    TagSet: [],
    ...extra,
  });
  const { text, result } = read('describe-network-interfaces.json', {
    NetworkInterfaces: [
      eni('eni-0rds', 'RDS Network Interface', { RequesterId: 'amazon-rds' }),
      eni('eni-0alb1', 'ELB app/shop/8f6d', { RequesterId: 'amazon-elb' }),
      eni('eni-0alb22', 'ELB app/shop/8f6d', { RequesterId: 'amazon-elb', Association: { PublicIp: '3.3.3.3' } }),
      eni('eni-0fn', 'AWS Lambda VPC ENI-orders', { InterfaceType: 'lambda' }),
      nic('eni-0ec2', 'subnet-0data', '10.10.64.20', [['db', 'sg-0db']], {
        Attachment: { InstanceId: 'i-0elsewhere', InstanceOwnerId: A, DeviceIndex: 0 },
        RequesterManaged: false,
      }),
    ],
  });

  it('makes managed interfaces services named by their description, kind from type and description', () => {
    expect(result.fragment.services.map((s) => [s.id, s.name, s.kind, s.exposed ?? false])).toEqual([
      ['aws:eni-0rds', 'RDS Network Interface', 'datastore', false],
      ['aws:eni-0alb1', 'ELB app/shop/8f6d (eni-0alb1)', 'gateway', false],
      ['aws:eni-0alb22', 'ELB app/shop/8f6d (eni-0alb22)', 'gateway', true],
      ['aws:eni-0fn', 'AWS Lambda VPC ENI-orders', 'service', false],
    ]);
    expect(svc(result, 'aws:eni-0rds')).toMatchObject({
      addresses: ['10.10.64.8'],
      memberships: { account: [`account:${A}`], network: ['network:subnet-0data'], group: ['group:sg-0db'] },
      extra: {
        description: 'RDS Network Interface',
        interfaceType: 'interface',
        requesterId: 'amazon-rds',
        requesterManaged: true,
        interfaces: [{ id: 'eni-0rds', groups: ['group:sg-0db'], subnet: 'network:subnet-0data' }],
      },
    });
    expect(svc(result, 'aws:eni-0rds')?.placement).toBeUndefined();
  });

  it('leaves interfaces of EC2 instances to describe-instances, saying so once', () => {
    expect(svc(result, 'aws:eni-0ec2')).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.column, d.message])).toEqual([
      [
        'info',
        ...Object.values(posOf(text, '{', countBraces(text, '"i-0elsewhere"') - 1)),
        '1 interface(s) attached to EC2 instances not in this file (eni-0ec2) are left to describe-instances, which carries them with the instance',
      ],
    ]);
  });
});

describe('one object combining several exports', () => {
  const combined = {
    Vpcs: [{ CidrBlock: '10.10.0.0/16', VpcId: 'vpc-0a', OwnerId: A, Tags: [{ Key: 'Name', Value: 'prod' }] }],
    Subnets: [
      {
        AvailabilityZone: 'eu-west-1a',
        AvailableIpAddressCount: 4000,
        CidrBlock: '10.10.16.0/20',
        SubnetId: 'subnet-0app1a',
        VpcId: 'vpc-0a',
        OwnerId: A,
      },
    ],
    SecurityGroups: [securityGroups.SecurityGroups[0]],
    Reservations: instances.Reservations.slice(0, 1),
    RoleDetailList: [
      {
        RoleName: 'shop-api',
        Arn: `arn:aws:iam::${A}:role/shop-api`,
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
        InstanceProfileList: [{ InstanceProfileName: 'shop-api', Arn: `arn:aws:iam::${A}:instance-profile/shop-api` }],
        RolePolicyList: [],
        AttachedManagedPolicies: [],
      },
    ],
    Accounts: [{ Id: A, Name: 'prod-apps' }],
    NextToken: 'eyJOZXh0VG9rZW4iOiBudWxsfQ==',
  };
  const { text, result } = read('estate.json', combined);

  it('resolves the instance profile to its role and places the instance in the described subnet', () => {
    expect(svc(result, 'aws:i-0api1')?.memberships).toEqual({
      account: [`account:${A}`],
      role: [`role:aws:arn:aws:iam::${A}:role/shop-api`],
      network: ['network:subnet-0app1a'],
      group: ['group:sg-0api', 'group:sg-0common'],
    });
  });

  it('lets descriptions win over stubs and stubs fill what descriptions lack (the VPC region)', () => {
    expect(seg(result, 'network:vpc-0a')).toMatchObject({
      name: 'prod',
      cidrs: ['10.10.0.0/16'],
      parent: `account:${A}`,
      attributes: { kind: 'vpc', vpcId: 'vpc-0a', accountId: A, region: 'eu-west-1' },
    });
    expect(seg(result, `account:${A}`)?.name).toBe('prod-apps');
    const described = ['network:vpc-0a', 'network:subnet-0app1a', 'group:sg-0api', `account:${A}`];
    for (const id of described) expect(seg(result, id)?.attributes?.stub).toBeUndefined();
    expect(seg(result, 'group:sg-0common')?.attributes?.stub).toBe(true);
  });

  it('warns about a partial export and references to subnets the file could have described but did not (groups: once per workspace)', () => {
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.column, d.message])).toEqual([
      [
        'warn',
        ...Object.values(posOf(text, '"NextToken"')),
        'this export is one page of several: run the command without --max-items (or join the pages) to see everything',
      ],
      [
        'warn',
        ...Object.values(posOf(text, '{', countBraces(text, '"API range from web"'))),
        'sg-0api references sg-0web, which this file does not describe; the rule is kept, the group has no segment here',
      ],
      [
        'info',
        ...Object.values(posOf(text, '{', countBraces(text, '"scraped by monitoring"'))),
        `sg-0api references sg-0mon of account ${B} (cross-account); load that account's groups to see its members`,
      ],
      [
        'warn',
        ...Object.values(posOf(text, '{', countBraces(text, '"eni-0second"') - 2)),
        'i-0api1 is in subnet-0app1b, which this file does not describe',
      ],
      [
        'info',
        ...Object.values(posOf(text, '{', countBraces(text, '"i-0gone"'))),
        '1 terminated instance(s) skipped: they no longer run',
      ],
    ]);
  });

  it('the import names the group no loaded file describes, once, where the instance references it', () => {
    const { report } = importFiles([{ name: 'estate.json', text }]);
    expect(report.diagnostics.map((d) => [d.file, d.line, d.column, d.severity, d.message])).toEqual([
      [
        'estate.json',
        ...Object.values(posOf(text, '{', countBraces(text, '"common"', 1))),
        'warn',
        'security group sg-0common (used by api-1) is not described in the loaded files: the group level has no data for it; load its describe-security-groups output',
      ],
    ]);
  });

  it('reads a list of pages (jq -s) like one object', () => {
    const pages = read('pages.json', [{ Vpcs: combined.Vpcs }, { Subnets: combined.Subnets }]).result;
    expect(pages.fragment.segments.map((s) => [s.id, s.attributes?.stub ?? false])).toEqual([
      [`account:${A}`, true],
      ['network:vpc-0a', false],
      ['network:subnet-0app1a', false],
    ]);
  });
});

describe('malformed and unexpected input', () => {
  it('reports invalid JSON with line and column, and is still recognised as an AWS export', () => {
    const text = '{\n    "SecurityGroups": [\n        {"GroupId": "sg-1",}\n    ]\n}\n';
    const { report } = importFiles([{ name: 'describe-security-groups.json', text }]);
    expect(report.files[0]?.format).toBe('aws');
    expect(report.files[0]?.diagnostics[0]).toEqual({
      file: 'describe-security-groups.json',
      line: 3,
      column: 28,
      severity: 'error',
      message: 'invalid JSON: property name expected',
    });
  });

  it('reports wrong shapes where they are and loads the rest', () => {
    const { text, result } = read('estate.json', {
      Vpcs: 'vpc-0a',
      Subnets: [42, { SubnetId: 'subnet-0ok', VpcId: 'vpc-0a', CidrBlock: '10.0.0.0/24' }],
      SecurityGroups: [{ GroupId: 'sg-0x', IpPermissions: [{ FromPort: 22 }], IpPermissionsEgress: {} }],
      Mystery: true,
    });
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.column, d.message])).toEqual([
      [
        'info',
        ...Object.values(posOf(text, '"Mystery"')),
        'key "Mystery" is not an AWS export segscope reads; ignored',
      ],
      ['error', ...Object.values(posOf(text, '"Vpcs"')), 'Vpcs: expected a list, found string; skipped'],
      ['error', ...Object.values(posOf(text, '42')), 'Subnets[0]: expected an object, found number; skipped'],
      [
        'error',
        ...Object.values(posOf(text, '{', countBraces(text, '"FromPort"'))),
        'sg-0x ingress permission 0: no IpProtocol; the permission is dropped',
      ],
      [
        'error',
        ...Object.values(posOf(text, '"IpPermissionsEgress"')),
        'IpPermissionsEgress: expected a list, found object; skipped',
      ],
    ]);
    expect(result.fragment.segments.map((s) => s.id)).toEqual(['network:vpc-0a', 'network:subnet-0ok', 'group:sg-0x']);
  });

  it('never throws, whatever the values under the AWS keys', () => {
    const keys = [
      'SecurityGroups',
      'Reservations',
      'NetworkInterfaces',
      'Vpcs',
      'Subnets',
      'RoleDetailList',
      'Entries',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.array(fc.anything(), { maxLength: 4 }), (key, list) => {
        const text = JSON.stringify({ [key]: list, PrefixLists: list });
        const r = awsReader.read({ name: 'x.json', text });
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('detection by content', () => {
  const cases: [string, unknown, boolean][] = [
    ['security groups', { SecurityGroups: [] }, true],
    ['instances', { Reservations: [{ Instances: [] }] }, true],
    ['interfaces', { NetworkInterfaces: [] }, true],
    ['vpcs', { Vpcs: [] }, true],
    ['subnets', { Subnets: [] }, true],
    ['peering', { VpcPeeringConnections: [] }, true],
    ['tgw', { TransitGatewayAttachments: [] }, true],
    ['prefix lists', { PrefixLists: [] }, true],
    ['prefix list entries', { Entries: [{ Cidr: '10.0.0.0/8' }] }, true],
    ['accounts', { Accounts: [{ Id: A }] }, true],
    ['authorization details', { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] }, true],
    ['pages', [{ Vpcs: [] }, { Subnets: [] }], true],
    ['native workspace', { segscope: 1, services: [], segments: [] }, false],
    ['terraform', { format_version: '1.0', values: {} }, false],
    ['kubernetes', { apiVersion: 'v1', kind: 'List', items: [] }, false],
    ['compose', { services: { web: { image: 'nginx' } } }, false],
    ['other Entries', { Entries: [{ RuleNumber: 100 }] }, false],
    ['other Accounts', { Accounts: [{ login: 'x' }] }, false],
  ];
  it.each(cases)('%s', (_name, value, expected) => {
    expect(awsReader.detect({ name: 'x.json', text: JSON.stringify(value) }, value)).toBe(expected);
  });

  it('reads the CLI --output yaml form too', () => {
    const text = 'Vpcs:\n- CidrBlock: 10.10.0.0/16\n  OwnerId: "111111111111"\n  VpcId: vpc-0a\n';
    const r = awsReader.read({ name: 'vpcs.yaml', text });
    expect(r.fragment.segments.map((s) => [s.id, s.cidrs])).toEqual([
      [`account:${A}`, undefined],
      ['network:vpc-0a', ['10.10.0.0/16']],
    ]);
  });
});

describe('mergeSegmentFacts (a described segment and its stubs, in any order)', () => {
  const stub: Segment = {
    id: 'network:vpc-0a',
    level: 'network',
    name: 'vpc-0a',
    parent: `account:${A}`,
    attributes: { kind: 'vpc', vpcId: 'vpc-0a', region: 'us-east-1', stub: true },
  };
  const described: Segment = {
    id: 'network:vpc-0a',
    level: 'network',
    name: 'prod',
    cidrs: ['10.10.0.0/16'],
    attributes: { kind: 'vpc', vpcId: 'vpc-0a', accountId: A },
  };
  const expected: Segment = {
    id: 'network:vpc-0a',
    level: 'network',
    name: 'prod',
    parent: `account:${A}`,
    cidrs: ['10.10.0.0/16'],
    attributes: { kind: 'vpc', vpcId: 'vpc-0a', accountId: A, region: 'us-east-1' },
  };
  it.each([
    ['stub first', stub, described],
    ['described first', described, stub],
  ])('%s', (_n, first, second) => {
    expect(mergeSegmentFacts(first, second)).toEqual(expected);
  });
  it('keeps the first of two stubs, still a stub, filled from the second', () => {
    const other: Segment = {
      ...stub,
      name: 'other',
      cidrs: ['10.10.0.0/16'],
      attributes: { stub: true, accountId: A },
    };
    expect(mergeSegmentFacts(stub, other)).toEqual({
      ...stub,
      cidrs: ['10.10.0.0/16'],
      attributes: { kind: 'vpc', vpcId: 'vpc-0a', region: 'us-east-1', accountId: A, stub: true },
    });
  });
});
