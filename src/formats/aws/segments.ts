// The segments AWS readers describe or only reference (stubs): VPCs, subnets, security groups; what a file knows.
import type { Segment } from '../../model/types';
import { type AwsBuilder, type Obj, type Path, regionFromZone, str, tagMap } from './builder';
import { awsIds, isAccountId } from './conventions';

/** What the file describes, gathered before references are resolved (so order inside a file does not matter). */
export interface Known {
  /** Described group id → its owner account. */
  groups: Map<string, string | undefined>;
  subnets: Set<string>;
  /** True when the file carries IAM authorization details (so a missing instance profile is worth a warning). */
  iam: boolean;
}

export const emptyKnown = (): Known => ({ groups: new Map(), subnets: new Set(), iam: false });

// ---------------------------------------------------------------------------------------------
// Segments shared by the CLI and Terraform readers.

export interface VpcFacts {
  vpcId: string;
  accountId?: string | undefined;
  region?: string | undefined;
  cidrs: string[];
  tags?: Record<string, string> | undefined;
  attributes?: Obj;
}

export const addVpc = (b: AwsBuilder, v: VpcFacts, path: Path): string => {
  const parent = b.account(v.accountId, path);
  const attributes: Obj = { kind: 'vpc', vpcId: v.vpcId };
  if (isAccountId(v.accountId)) attributes.accountId = v.accountId;
  if (v.region) attributes.region = v.region;
  Object.assign(attributes, v.attributes);
  const seg: Segment = {
    id: awsIds.network(v.vpcId),
    level: 'network',
    name: v.tags?.Name || v.vpcId,
    cidrs: v.cidrs,
    attributes,
    source: [b.at(path)],
  };
  if (parent) seg.parent = parent;
  if (v.tags) seg.labels = v.tags;
  return b.segment(seg);
};

export interface SubnetFacts {
  subnetId: string;
  vpcId?: string | undefined;
  accountId?: string | undefined;
  region?: string | undefined;
  zone?: string | undefined;
  cidrs: string[];
  availableIpAddressCount?: number | undefined;
  tags?: Record<string, string> | undefined;
  attributes?: Obj;
}

export const addSubnet = (b: AwsBuilder, s: SubnetFacts, path: Path, stub = false): string => {
  const region = s.region ?? regionFromZone(s.zone);
  const vpc = b.vpc(s.vpcId, { accountId: s.accountId, region }, path);
  const attributes: Obj = { kind: 'subnet', subnetId: s.subnetId };
  if (vpc) attributes.vpc = vpc;
  if (s.availableIpAddressCount !== undefined) attributes.availableIpAddressCount = s.availableIpAddressCount;
  if (s.zone) attributes.availabilityZone = s.zone;
  if (region) attributes.region = region;
  if (isAccountId(s.accountId)) attributes.accountId = s.accountId;
  Object.assign(attributes, s.attributes);
  const seg: Segment = {
    id: awsIds.network(s.subnetId),
    level: 'network',
    name: s.tags?.Name || s.subnetId,
    attributes,
    source: [b.at(path)],
  };
  if (s.cidrs.length > 0) seg.cidrs = s.cidrs;
  if (vpc) seg.parent = vpc;
  if (s.tags) seg.labels = s.tags;
  return b.segment(seg, stub);
};

/** The subnets a route table or network ACL is associated with, each once; a stub for each one no file describes. */
export const associatedSubnets = (
  b: AwsBuilder,
  associations: readonly { subnetId: string; path: Path }[],
  vpcId: string | undefined,
  accountId: string | undefined,
): string[] => {
  const subnets: string[] = [];
  for (const { subnetId, path } of associations) {
    const id = awsIds.network(subnetId);
    if (subnets.includes(id)) continue;
    if (!b.getSegment(id)) addSubnet(b, { subnetId, vpcId, accountId, cidrs: [] }, path, true);
    subnets.push(id);
  }
  return subnets;
};

export interface GroupFacts {
  groupId: string;
  name?: string | undefined;
  description?: string | undefined;
  vpcId?: string | undefined;
  ownerId?: string | undefined;
  region?: string | undefined;
  tags?: Record<string, string> | undefined;
}

/** Where a group's name, description, VPC and tags stand: describe-security-groups' keys or a Terraform state's. */
export interface GroupKeys {
  name: string;
  description: string;
  vpc: string;
  tags: string;
}

/** A group's name, description (kept when empty), VPC and tags, read from its object by `keys`. */
export const groupFacts = (v: Obj, keys: GroupKeys): Pick<GroupFacts, 'name' | 'description' | 'vpcId' | 'tags'> => {
  const description = v[keys.description];
  return {
    name: str(v, keys.name),
    description: typeof description === 'string' ? description : undefined,
    vpcId: str(v, keys.vpc),
    tags: tagMap(v[keys.tags]),
  };
};

export const addGroup = (b: AwsBuilder, g: GroupFacts, path: Path, stub = false): string => {
  const vpc = b.vpc(g.vpcId, { accountId: g.ownerId, region: g.region }, path);
  b.account(g.ownerId, path);
  const attributes: Obj = { kind: 'security-group', groupId: g.groupId };
  if (vpc) attributes.vpc = vpc;
  if (g.ownerId) attributes.ownerId = g.ownerId;
  if (g.name) attributes.name = g.name;
  if (g.description !== undefined) attributes.description = g.description;
  if (g.region) attributes.region = g.region;
  const seg: Segment = {
    id: awsIds.group(g.groupId),
    level: 'group',
    name: g.name ?? g.groupId,
    attributes,
    source: [b.at(path)],
  };
  if (vpc) seg.parent = vpc;
  if (g.tags) seg.labels = g.tags;
  return b.segment(seg, stub);
};

/**
 * A group named as a rule's peer but not described in this file: the rule stays, no segment is made.
 * Cross-account references are expected (the other account's export holds them), so only 'info'.
 */
export const checkGroupReference = (
  b: AwsBuilder,
  known: Known,
  ref: { groupId: string; userId?: string | undefined; ruleOwner?: string | undefined; ruleGroup: string },
  path: Path,
): void => {
  if (known.groups.has(ref.groupId)) return;
  if (ref.userId && ref.ruleOwner && ref.userId !== ref.ruleOwner) {
    b.diag(
      path,
      `${ref.ruleGroup} references ${ref.groupId} of account ${ref.userId} (cross-account); load that account's groups to see its members`,
      'info',
    );
  } else {
    b.diag(
      path,
      `${ref.ruleGroup} references ${ref.groupId}, which this file does not describe; the rule is kept, the group has no segment here`,
      'warn',
    );
  }
};
