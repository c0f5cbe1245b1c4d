// AWS rules in their own terms: security group permissions, prefix lists, peerings, transit gateways, network ACLs, route tables.
import type { RuleBase, SourceLocation } from './types';

export type SgPeer =
  | { kind: 'group'; group: string; userId?: string; vpcId?: string; vpcPeeringConnectionId?: string }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'prefix-list'; prefixListId: string };

/** One AWS security-group permission, already expanded to a single peer. */
export interface SgPermissionRule extends RuleBase {
  type: 'sg-permission';
  level: 'group';
  /** Segment id of the group the rule belongs to. */
  group: string;
  direction: 'ingress' | 'egress';
  /** 'tcp' | 'udp' | 'icmp' | 'icmpv6' | '-1' (all) | protocol number as text. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  peer: SgPeer;
  description?: string;
}

export interface PrefixListRule extends RuleBase {
  type: 'prefix-list';
  level: 'group';
  prefixListId: string;
  name?: string;
  cidrs: string[];
  /** AWS counts a referenced prefix list as MaxEntries rules against the group quota. */
  maxEntries?: number;
}

export interface VpcPeeringRule extends RuleBase {
  type: 'vpc-peering';
  level: 'network';
  /** Segment ids of the two VPCs. */
  requester: string;
  accepter: string;
  status?: string;
}

export interface TgwAttachmentRule extends RuleBase {
  type: 'tgw-attachment';
  level: 'network';
  transitGateway: string;
  /** Segment id of the attached VPC. */
  vpc: string;
  state?: string;
  /** The transit gateway route table the attachment is associated with (tgw-rtb-…): its traffic is routed by it. */
  routeTable?: string;
}

/** One entry of an AWS network ACL (describe-network-acls `Entries[]`): a numbered, stateless rule of one direction. */
export interface NetworkAclEntry {
  ruleNumber: number;
  /** Outbound (traffic leaving the subnet); else inbound. */
  egress: boolean;
  action: 'allow' | 'deny';
  /** '-1' (all) or an IANA protocol number as text ('6' tcp, '17' udp, '1' icmp, …). */
  protocol: string;
  /** The peer's range (CidrBlock or Ipv6CidrBlock). */
  cidr: string;
  /** TCP/UDP destination ports. */
  fromPort?: number;
  toPort?: number;
  /** The entry could not be read: kept as a deny of everything at its place, so nothing is widened. */
  damaged?: boolean;
  source?: SourceLocation;
}

/** An AWS network ACL: the entries of both directions and the subnets associated with it. */
export interface NetworkAclRule extends RuleBase {
  type: 'network-acl';
  level: 'network';
  aclId: string;
  name?: string;
  /** Segment id of its VPC. */
  vpc?: string;
  /** The VPC's default ACL: it applies to each subnet no other loaded ACL is associated with. */
  isDefault?: boolean;
  /** Segment ids of the associated subnets. */
  subnets: string[];
  entries: NetworkAclEntry[];
}

/** One route of an AWS route table (describe-route-tables `Routes[]`). */
export interface RouteEntry {
  /** DestinationCidrBlock or DestinationIpv6CidrBlock. */
  destination: string;
  /** `local`, or the target's id: igw-…, nat-…, tgw-…, pcx-…, eni-…, vgw-…, i-… */
  target: string;
  /** A blackhole route's target is gone: it carries nothing. */
  state?: 'blackhole';
  /** The route could not be read: the table's paths are not trusted (never widened). */
  damaged?: boolean;
  source?: SourceLocation;
}

/** An AWS route table: its routes and the subnets associated with it (the VPC's main table takes the rest). */
export interface RouteTableRule extends RuleBase {
  type: 'route-table';
  level: 'network';
  routeTableId: string;
  name?: string;
  /** Segment id of its VPC. */
  vpc?: string;
  /** The VPC's main table: every subnet with no explicit association uses it. */
  main?: boolean;
  /** Segment ids of the explicitly associated subnets. */
  subnets: string[];
  routes: RouteEntry[];
}

/** One route of a transit gateway route table (search-transit-gateway-routes `Routes[]`). */
export interface TgwRouteEntry {
  /** DestinationCidrBlock. */
  destination: string;
  /** Ids of the attachments the route sends to (tgw-attach-…); none for a blackhole. */
  attachments: string[];
  state?: 'blackhole';
  /** The route could not be read: the table's paths are not trusted (never widened). */
  damaged?: boolean;
  source?: SourceLocation;
}

/**
 * A transit gateway route table: from describe-transit-gateway-route-tables (`routes` absent: not listed)
 * or from search-transit-gateway-routes (`routes`, rule id `aws:<tgw-rtb-id>:routes`). The attachments
 * associated with it are named on their `tgw-attachment` rules (`routeTable`).
 */
export interface TgwRouteTableRule extends RuleBase {
  type: 'tgw-route-table';
  level: 'network';
  routeTableId: string;
  transitGateway?: string;
  name?: string;
  routes?: TgwRouteEntry[];
}
