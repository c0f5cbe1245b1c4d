// list-accounts, describe-vpcs, -subnets, -vpc-peering-connections and -transit-gateway-attachments as the AWS writer writes them.
import { hexDigest, type Obj } from '../../export/format';
import type { TgwAttachmentRule, VpcPeeringRule } from '../../model/types';
import { type AwsWriter, attr, defined, isStub, isV6, strip, tagList } from './write-context';

export const accountObjects = (w: AwsWriter): Obj[] => {
  return w.ws.segments
    .filter((s) => s.level === 'account' && s.attributes?.kind === 'account' && !isStub(s))
    .map((s) => {
      const id = attr(s, 'accountId') ?? strip(s.id, 'account:');
      const org = s.parent ? w.seg.get(s.parent) : undefined;
      const mgmt = attr(org, 'managementAccountId');
      const orgId = attr(org, 'organizationId');
      const arn =
        attr(s, 'arn') ?? (mgmt && orgId ? `arn:aws:organizations::${mgmt}:account/${orgId}/${id}` : undefined);
      return defined([
        ['Id', id],
        ['Arn', arn],
        ['Email', attr(s, 'email')],
        ['Name', s.name],
        ['Status', attr(s, 'status')],
        ['State', attr(s, 'state')],
        ['JoinedMethod', attr(s, 'joinedMethod')],
      ]);
    });
};

export const vpcObjects = (w: AwsWriter): Obj[] => {
  return w.ws.segments
    .filter((s) => s.level === 'network' && s.attributes?.kind === 'vpc' && !isStub(s))
    .map((s) => {
      const cidrs = s.cidrs ?? [];
      const v4 = cidrs.filter((c) => !isV6(c));
      const v6 = cidrs.filter(isV6);
      const region = attr(s, 'region');
      return defined([
        ['CidrBlock', v4[0]],
        ['State', attr(s, 'state')],
        ['VpcId', w.networkId(s.id, 'vpcId')],
        ['OwnerId', w.accountOf(s)],
        [
          'Ipv6CidrBlockAssociationSet',
          v6.map((c) =>
            defined([
              ['Ipv6CidrBlock', c],
              ['Ipv6CidrBlockState', { State: 'associated' }],
              ['NetworkBorderGroup', region],
            ]),
          ),
        ],
        ['CidrBlockAssociationSet', v4.map((c) => ({ CidrBlock: c, CidrBlockState: { State: 'associated' } }))],
        ['IsDefault', typeof s.attributes?.isDefault === 'boolean' ? s.attributes.isDefault : undefined],
        ['Tags', tagList(s.labels)],
      ]);
    });
};

export const subnetObjects = (w: AwsWriter): Obj[] => {
  return w.ws.segments
    .filter((s) => s.level === 'network' && s.attributes?.kind === 'subnet' && !isStub(s))
    .map((s) => {
      const cidrs = s.cidrs ?? [];
      const vpc = w.vpcOf(s.id);
      const id = w.networkId(s.id, 'subnetId');
      const account = w.accountOf(s) ?? w.accountOf(vpc ? w.seg.get(vpc) : undefined);
      const region = attr(s, 'region');
      const count = s.attributes?.availableIpAddressCount;
      const mapPublic = s.attributes?.mapPublicIpOnLaunch;
      return defined([
        ['AvailabilityZone', attr(s, 'availabilityZone')],
        ['AvailableIpAddressCount', typeof count === 'number' ? count : undefined],
        ['CidrBlock', cidrs.find((c) => !isV6(c))],
        ['MapPublicIpOnLaunch', typeof mapPublic === 'boolean' ? mapPublic : undefined],
        ['SubnetId', id],
        ['VpcId', vpc ? w.networkId(vpc, 'vpcId') : undefined],
        ['OwnerId', account],
        [
          'Ipv6CidrBlockAssociationSet',
          cidrs.filter(isV6).map((c) => ({ Ipv6CidrBlock: c, Ipv6CidrBlockState: { State: 'associated' } })),
        ],
        ['Tags', tagList(s.labels)],
        ['SubnetArn', region && account ? `arn:aws:ec2:${region}:${account}:subnet/${id}` : undefined],
      ]);
    });
};

/** An id the rule names (`aws:pcx-…`), or a stable made-up one for rules from other sources. */
export const awsRuleId = (w: AwsWriter, ruleId: string, prefix: string): string => {
  const m = new RegExp(`\\b${prefix}-[0-9a-z]+`).exec(ruleId);
  if (m) return m[0];
  w.notes.item(`rules without an AWS id, written with a made-up ${prefix}-… id`, ruleId);
  return `${prefix}-${hexDigest(ruleId, 17)}`;
};

export const vpcInfo = (w: AwsWriter, vpcSeg: string): Obj => {
  const s = w.seg.get(vpcSeg);
  const cidrs = s?.cidrs ?? [];
  const v4 = cidrs.filter((c) => !isV6(c));
  const v6 = cidrs.filter(isV6);
  return defined([
    ['CidrBlock', v4[0]],
    ['CidrBlockSet', v4.length > 0 ? v4.map((CidrBlock) => ({ CidrBlock })) : undefined],
    ['Ipv6CidrBlockSet', v6.length > 0 ? v6.map((Ipv6CidrBlock) => ({ Ipv6CidrBlock })) : undefined],
    ['OwnerId', w.accountOf(s)],
    ['VpcId', w.networkId(vpcSeg, 'vpcId')],
    ['Region', attr(s, 'region')],
  ]);
};

export const peeringObjects = (w: AwsWriter): Obj[] => {
  return w.ws.rules
    .filter((r): r is VpcPeeringRule => r.type === 'vpc-peering')
    .map((r) =>
      defined([
        ['AccepterVpcInfo', vpcInfo(w, r.accepter)],
        ['RequesterVpcInfo', vpcInfo(w, r.requester)],
        ['Status', r.status !== undefined ? { Code: r.status } : undefined],
        ['VpcPeeringConnectionId', awsRuleId(w, r.id, 'pcx')],
      ]),
    );
};

export const tgwAttachmentObjects = (w: AwsWriter): Obj[] => {
  return w.ws.rules
    .filter((r): r is TgwAttachmentRule => r.type === 'tgw-attachment')
    .map((r) =>
      defined([
        ['TransitGatewayAttachmentId', awsRuleId(w, r.id, 'tgw-attach')],
        ['TransitGatewayId', r.transitGateway],
        ['ResourceOwnerId', w.accountOf(w.seg.get(r.vpc))],
        ['ResourceType', 'vpc'],
        ['ResourceId', w.networkId(r.vpc, 'vpcId')],
        ['State', r.state],
        ['Association', r.routeTable ? { TransitGatewayRouteTableId: r.routeTable, State: 'associated' } : undefined],
      ]),
    );
};

/** describe-internet-gateways from the VPCs' `internetGateways`: each gateway with the VPCs it is attached to. */
export const internetGatewayObjects = (w: AwsWriter): Obj[] | undefined => {
  const byGateway = new Map<string, string[]>();
  let any = false;
  for (const s of w.ws.segments) {
    const ids = s.attributes?.internetGateways;
    if (s.level !== 'network' || s.attributes?.kind !== 'vpc' || !Array.isArray(ids)) continue;
    any = true;
    for (const id of ids) {
      if (typeof id !== 'string') continue;
      byGateway.set(id, [...(byGateway.get(id) ?? []), w.networkId(s.id, 'vpcId')]);
    }
  }
  if (!any) return undefined;
  return [...byGateway].map(([id, vpcs]) => ({
    Attachments: vpcs.map((VpcId) => ({ State: 'available', VpcId })),
    InternetGatewayId: id,
  }));
};

/** True when every described VPC says which internet gateways it has (none included), so one file can say so. */
export const everyVpcKnowsGateways = (w: AwsWriter): boolean =>
  w.ws.segments
    .filter((s) => s.level === 'network' && s.attributes?.kind === 'vpc' && !isStub(s))
    .every((s) => Array.isArray(s.attributes?.internetGateways));
