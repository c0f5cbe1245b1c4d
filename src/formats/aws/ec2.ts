// AWS EC2 shapes → segments, rules and services: VPCs, subnets, groups, peering, TGW, prefix lists, instances, ENIs.
import type { Segment, Service, ServiceKind, SgPeer, SgPermissionRule } from '../../model/types';
import {
  type AwsBuilder,
  arnPart,
  awsIds,
  bool,
  eachObject,
  type InterfaceFacts,
  isAccountId,
  isObj,
  kindFromTags,
  num,
  type Obj,
  type Path,
  regionFromZone,
  str,
  tagMap,
} from './builder';

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

export interface GroupFacts {
  groupId: string;
  name?: string | undefined;
  description?: string | undefined;
  vpcId?: string | undefined;
  ownerId?: string | undefined;
  region?: string | undefined;
  tags?: Record<string, string> | undefined;
}

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

// ---------------------------------------------------------------------------------------------
// aws ec2 describe-vpcs / describe-subnets

/** Associated CIDR blocks only: disassociated ones no longer route. */
const associated = (list: unknown, key: string, stateKey: string): string[] => {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const a of list) {
    if (!isObj(a)) continue;
    const cidr = str(a, key);
    const state = isObj(a[stateKey]) ? str(a[stateKey] as Obj, 'State') : undefined;
    if (cidr && (state === undefined || state === 'associated')) out.push(cidr);
  }
  return out;
};

export const readVpcs = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'Vpcs', (v, p) => {
    const vpcId = str(v, 'VpcId');
    if (!vpcId) return b.diag(p, 'VPC without VpcId; skipped');
    const v4 = associated(v.CidrBlockAssociationSet, 'CidrBlock', 'CidrBlockState');
    const primary = str(v, 'CidrBlock');
    if (primary && !v4.includes(primary)) v4.unshift(primary);
    const v6 = associated(v.Ipv6CidrBlockAssociationSet, 'Ipv6CidrBlock', 'Ipv6CidrBlockState');
    const border = Array.isArray(v.Ipv6CidrBlockAssociationSet)
      ? v.Ipv6CidrBlockAssociationSet.map((a) => (isObj(a) ? str(a, 'NetworkBorderGroup') : undefined)).find(Boolean)
      : undefined;
    const attributes: Obj = {};
    const isDefault = bool(v, 'IsDefault');
    if (isDefault !== undefined) attributes.isDefault = isDefault;
    const state = str(v, 'State');
    if (state) attributes.state = state;
    addVpc(
      b,
      {
        vpcId,
        accountId: str(v, 'OwnerId'),
        region: regionFromZone(border),
        cidrs: [...v4, ...v6],
        tags: tagMap(v.Tags),
        attributes,
      },
      p,
    );
  });

export const readSubnets = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'Subnets', (s, p) => {
    const subnetId = str(s, 'SubnetId');
    if (!subnetId) return b.diag(p, 'subnet without SubnetId; skipped');
    const v4 = str(s, 'CidrBlock');
    const v6 = associated(s.Ipv6CidrBlockAssociationSet, 'Ipv6CidrBlock', 'Ipv6CidrBlockState');
    const attributes: Obj = {};
    const mapPublic = bool(s, 'MapPublicIpOnLaunch');
    if (mapPublic !== undefined) attributes.mapPublicIpOnLaunch = mapPublic;
    const arn = str(s, 'SubnetArn');
    addSubnet(
      b,
      {
        subnetId,
        vpcId: str(s, 'VpcId'),
        accountId: str(s, 'OwnerId') ?? arnPart(arn, 'account'),
        region: arnPart(arn, 'region'),
        zone: str(s, 'AvailabilityZone'),
        cidrs: [...(v4 ? [v4] : []), ...v6],
        availableIpAddressCount: num(s, 'AvailableIpAddressCount'),
        tags: tagMap(s.Tags),
        attributes,
      },
      p,
    );
  });

// ---------------------------------------------------------------------------------------------
// aws ec2 describe-security-groups

const PEER_LISTS = [
  ['IpRanges', 'CidrIp'],
  ['Ipv6Ranges', 'CidrIpv6'],
  ['PrefixListIds', 'PrefixListId'],
  ['UserIdGroupPairs', 'GroupId'],
] as const;

export const readSecurityGroups = (b: AwsBuilder, known: Known, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'SecurityGroups', (g, p) => {
    const groupId = str(g, 'GroupId');
    if (!groupId) return b.diag(p, 'security group without GroupId; skipped');
    const ownerId = str(g, 'OwnerId');
    const group = addGroup(
      b,
      {
        groupId,
        name: str(g, 'GroupName'),
        description: typeof g.Description === 'string' ? g.Description : undefined,
        vpcId: str(g, 'VpcId'),
        ownerId,
        region: arnPart(str(g, 'SecurityGroupArn'), 'region'),
        tags: tagMap(g.Tags),
      },
      p,
    );
    for (const [direction, key] of [
      ['ingress', 'IpPermissions'],
      ['egress', 'IpPermissionsEgress'],
    ] as const) {
      eachObject(b, g[key], [...p, key], key, (perm, pp, i) => {
        const protocol = perm.IpProtocol;
        if (typeof protocol !== 'string' && typeof protocol !== 'number') {
          return b.diag(pp, `${groupId} ${direction} permission ${i} has no IpProtocol; skipped`);
        }
        const base: Omit<SgPermissionRule, 'id' | 'peer'> = {
          type: 'sg-permission',
          level: 'group',
          group,
          direction,
          protocol: String(protocol),
        };
        const from = num(perm, 'FromPort');
        const to = num(perm, 'ToPort');
        if (from !== undefined) base.fromPort = from;
        if (to !== undefined) base.toPort = to;
        let k = 0;
        for (const [listKey, idKey] of PEER_LISTS) {
          eachObject(b, perm[listKey], [...pp, listKey], listKey, (item, ip, j) => {
            const ref = str(item, idKey);
            if (!ref) return b.diag(ip, `${listKey}[${j}] has no ${idKey}; skipped`, 'warn');
            let peer: SgPeer;
            if (listKey === 'IpRanges' || listKey === 'Ipv6Ranges') peer = { kind: 'cidr', cidr: ref };
            else if (listKey === 'PrefixListIds') peer = { kind: 'prefix-list', prefixListId: ref };
            else {
              const userId = str(item, 'UserId');
              const vpcId = str(item, 'VpcId');
              const pcx = str(item, 'VpcPeeringConnectionId');
              peer = { kind: 'group', group: awsIds.group(ref) };
              if (userId) peer.userId = userId;
              if (vpcId) peer.vpcId = vpcId;
              if (pcx) peer.vpcPeeringConnectionId = pcx;
              checkGroupReference(b, known, { groupId: ref, userId, ruleOwner: ownerId, ruleGroup: groupId }, ip);
            }
            const rule: SgPermissionRule = {
              ...base,
              id: `sg:${groupId}:${direction}:${i}:${k}`,
              peer,
              source: b.at(ip),
            };
            const description = str(item, 'Description');
            if (description) rule.description = description;
            b.rule(rule, ip);
            k++;
          });
        }
        if (k === 0) b.diag(pp, `${groupId} ${direction} permission ${i} names no peer; it allows nothing`, 'info');
      });
    }
  });

// ---------------------------------------------------------------------------------------------
// describe-vpc-peering-connections, describe-transit-gateway-attachments, managed prefix lists

const peeringSide = (b: AwsBuilder, side: unknown, path: Path): string | undefined => {
  if (!isObj(side)) return undefined;
  const cidrs = [
    ...(Array.isArray(side.CidrBlockSet) ? side.CidrBlockSet : [])
      .map((c) => (isObj(c) ? str(c, 'CidrBlock') : undefined))
      .filter((c): c is string => c !== undefined),
    ...(Array.isArray(side.Ipv6CidrBlockSet) ? side.Ipv6CidrBlockSet : [])
      .map((c) => (isObj(c) ? str(c, 'Ipv6CidrBlock') : undefined))
      .filter((c): c is string => c !== undefined),
  ];
  const primary = str(side, 'CidrBlock');
  if (primary && !cidrs.includes(primary)) cidrs.unshift(primary);
  return b.vpc(str(side, 'VpcId'), { accountId: str(side, 'OwnerId'), region: str(side, 'Region'), cidrs }, path);
};

export const readPeerings = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'VpcPeeringConnections', (c, p) => {
    const id = str(c, 'VpcPeeringConnectionId');
    const requester = peeringSide(b, c.RequesterVpcInfo, [...p, 'RequesterVpcInfo']);
    const accepter = peeringSide(b, c.AccepterVpcInfo, [...p, 'AccepterVpcInfo']);
    if (!id || !requester || !accepter) {
      return b.diag(p, 'peering connection without VpcPeeringConnectionId or both VPC ids; skipped');
    }
    const status = isObj(c.Status) ? str(c.Status, 'Code') : undefined;
    b.rule(
      {
        id: `aws:${id}`,
        type: 'vpc-peering',
        level: 'network',
        requester,
        accepter,
        ...(status ? { status } : {}),
        source: b.at(p),
      },
      p,
    );
  });

export const readTgwAttachments = (b: AwsBuilder, value: unknown, path: Path): void => {
  const otherTypes = new Map<string, Path>();
  eachObject(b, value, path, 'TransitGatewayAttachments', (a, p) => {
    const id = str(a, 'TransitGatewayAttachmentId');
    const tgw = str(a, 'TransitGatewayId');
    const type = str(a, 'ResourceType') ?? 'vpc';
    if (!id || !tgw) return b.diag(p, 'transit gateway attachment without its ids; skipped');
    if (type !== 'vpc') {
      if (!otherTypes.has(type)) otherTypes.set(type, p);
      return;
    }
    b.account(str(a, 'TransitGatewayOwnerId'), p);
    const vpc = b.vpc(str(a, 'ResourceId'), { accountId: str(a, 'ResourceOwnerId') }, p);
    if (!vpc) return b.diag(p, `${id} names no ResourceId; skipped`);
    const state = str(a, 'State');
    b.rule(
      {
        id: `aws:${id}`,
        type: 'tgw-attachment',
        level: 'network',
        transitGateway: tgw,
        vpc,
        ...(state ? { state } : {}),
        source: b.at(p),
      },
      p,
    );
  });
  for (const [type, p] of otherTypes) {
    b.diag(p, `transit gateway attachments of type "${type}" are not modelled (only VPC attachments are)`, 'info');
  }
};

/** CIDRs of a `get-managed-prefix-list-entries` list. */
const entryCidrs = (b: AwsBuilder, value: unknown, path: Path): string[] => {
  const out: string[] = [];
  eachObject(b, value, path, 'Entries', (e, p) => {
    const cidr = str(e, 'Cidr');
    if (cidr) out.push(cidr);
    else b.diag(p, 'prefix list entry without Cidr; skipped', 'warn');
  });
  return out;
};

/**
 * describe-managed-prefix-lists names lists without their entries; get-managed-prefix-list-entries has
 * entries without the list id, which comes from a `PrefixListId` key next to `Entries` or the file name.
 */
export const readPrefixLists = (
  b: AwsBuilder,
  lists: { value: unknown; path: Path }[],
  entries: { value: unknown; path: Path; prefixListId?: string | undefined }[],
): void => {
  const described: string[] = [];
  const listPaths: Path[] = [];
  for (const l of lists) {
    eachObject(b, l.value, l.path, 'PrefixLists', (pl, p) => {
      const id = str(pl, 'PrefixListId');
      if (!id) return b.diag(p, 'prefix list without PrefixListId; skipped');
      described.push(id);
      listPaths.push(p);
    });
  }
  const byId = new Map<string, string[]>();
  for (const e of entries) {
    const id = e.prefixListId ?? (described.length === 1 ? described[0] : undefined);
    if (!id) {
      b.diag(
        e.path,
        'prefix list entries without a list id: name the file after the list (pl-….json) or add "PrefixListId" next to "Entries"',
      );
      continue;
    }
    byId.set(id, [...(byId.get(id) ?? []), ...entryCidrs(b, e.value, e.path)]);
  }
  let missingEntries: Path | undefined;
  for (const l of lists) {
    eachObject(b, l.value, l.path, 'PrefixLists', (pl, p) => {
      const id = str(pl, 'PrefixListId');
      if (!id) return;
      const inline = pl.Entries !== undefined ? entryCidrs(b, pl.Entries, [...p, 'Entries']) : undefined;
      const cidrs = inline ?? byId.get(id);
      if (cidrs === undefined && !missingEntries) missingEntries = p;
      byId.delete(id);
      const name = str(pl, 'PrefixListName');
      const maxEntries = num(pl, 'MaxEntries');
      b.rule(
        {
          id: `aws:${id}`,
          type: 'prefix-list',
          level: 'group',
          prefixListId: id,
          ...(name ? { name } : {}),
          cidrs: cidrs ?? [],
          ...(maxEntries !== undefined ? { maxEntries } : {}),
          source: b.at(p),
        },
        p,
      );
    });
  }
  if (missingEntries) {
    b.diag(
      missingEntries,
      'describe-managed-prefix-lists lists no entries: add get-managed-prefix-list-entries output per list to know their CIDRs',
      'info',
    );
  }
  // Entries of a list this file does not describe: their own rule, with an id that cannot collide with the list's.
  for (const e of entries) {
    const id = e.prefixListId ?? (described.length === 1 ? described[0] : undefined);
    const cidrs = id ? byId.get(id) : undefined;
    if (!id || !cidrs) continue;
    byId.delete(id);
    b.rule(
      { id: `aws:${id}:entries`, type: 'prefix-list', level: 'group', prefixListId: id, cidrs, source: b.at(e.path) },
      e.path,
    );
  }
};

// ---------------------------------------------------------------------------------------------
// Instances and network interfaces → services

export interface InterfaceInput {
  id: string;
  groups: { id: string; name?: string | undefined; path: Path }[];
  subnetId?: string | undefined;
  vpcId?: string | undefined;
  path: Path;
}

export interface WorkloadInput {
  /** Instance id (i-…) or, for a bare interface, its id (eni-…). */
  id: string;
  name: string;
  kind: ServiceKind;
  tags?: Record<string, string> | undefined;
  accountId?: string | undefined;
  region?: string | undefined;
  zone?: string | undefined;
  vpcId?: string | undefined;
  subnetId?: string | undefined;
  /** Instance profile ARN (CLI) or a role segment id already resolved (Terraform). */
  profileArn?: string | undefined;
  /** Where the profile is named, for diagnostics. */
  profilePath?: Path | undefined;
  roleSegment?: string | undefined;
  interfaces: InterfaceInput[];
  addresses: string[];
  exposed: boolean;
  /** An EC2 instance is a VM of its own; bare interfaces belong to managed services. */
  dedicatedVm: boolean;
  extra: Obj;
  path: Path;
}

const profileName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** The role membership: the profile's role when this file says which, else the profile itself. */
const roleMembership = (b: AwsBuilder, known: Known, w: WorkloadInput): string | undefined => {
  if (w.roleSegment) return w.roleSegment;
  if (!w.profileArn) return undefined;
  const role = b.profileRoles.get(w.profileArn);
  if (role) return role;
  const at = w.profilePath ?? w.path;
  if (known.iam) b.diag(at, `instance profile ${w.profileArn} is not described in this file`, 'warn');
  const accountId = arnPart(w.profileArn, 'account');
  const seg: Segment = {
    id: awsIds.role(w.profileArn),
    level: 'role',
    name: profileName(w.profileArn),
    attributes: { kind: 'instance-profile', arn: w.profileArn, ...(accountId ? { accountId } : {}) },
    source: [b.at(at)],
  };
  return b.segment(seg, true);
};

const subnetMembership = (
  b: AwsBuilder,
  known: Known,
  w: { subnetId?: string | undefined; vpcId?: string | undefined; accountId?: string | undefined },
  region: string | undefined,
  zone: string | undefined,
  path: Path,
  who: string,
): string | undefined => {
  if (!w.subnetId) return b.vpc(w.vpcId, { accountId: w.accountId, region }, path);
  if (!known.subnets.has(w.subnetId)) {
    if (known.subnets.size > 0) {
      b.diag(path, `${who} is in ${w.subnetId}, which this file does not describe`, 'warn');
    }
    if (b.getSegment(awsIds.network(w.subnetId))) {
      b.vpc(w.vpcId, { accountId: w.accountId, region }, path);
      return awsIds.network(w.subnetId);
    }
    addSubnet(b, { subnetId: w.subnetId, vpcId: w.vpcId, accountId: w.accountId, region, zone, cidrs: [] }, path, true);
  } else {
    // The described subnet may lack what the instance knows (its VPC's region).
    b.vpc(w.vpcId, { accountId: w.accountId, region }, path);
  }
  return awsIds.network(w.subnetId);
};

const groupMembership = (
  b: AwsBuilder,
  known: Known,
  g: { id: string; name?: string | undefined; path: Path },
  vpcId: string | undefined,
  accountId: string | undefined,
  region: string | undefined,
): string => {
  const id = awsIds.group(g.id);
  if (!known.groups.has(g.id)) {
    if (b.getSegment(id)) return id;
    addGroup(b, { groupId: g.id, name: g.name, vpcId, ownerId: accountId, region }, g.path, true);
  }
  return id;
};

export const addWorkload = (b: AwsBuilder, known: Known, w: WorkloadInput): Service => {
  const region = w.region ?? regionFromZone(w.zone);
  const memberships: Service['memberships'] = {};
  const account = b.account(w.accountId, w.path);
  if (account) memberships.account = [account];
  const role = roleMembership(b, known, w);
  if (role) memberships.role = [role];
  const interfaces: InterfaceFacts[] = [];
  const groups: string[] = [];
  for (const nic of w.interfaces) {
    const subnet = subnetMembership(
      b,
      known,
      { subnetId: nic.subnetId ?? w.subnetId, vpcId: nic.vpcId ?? w.vpcId, accountId: w.accountId },
      region,
      w.zone,
      nic.path,
      w.id,
    );
    const nicGroups = nic.groups.map((g) => groupMembership(b, known, g, nic.vpcId ?? w.vpcId, w.accountId, region));
    for (const g of nicGroups) if (!groups.includes(g)) groups.push(g);
    interfaces.push(subnet ? { id: nic.id, groups: nicGroups, subnet } : { id: nic.id, groups: nicGroups });
  }
  // The primary interface's subnet; the instance's own SubnetId when interfaces say nothing.
  const own = w.subnetId ? awsIds.network(w.subnetId) : undefined;
  const network =
    interfaces.find((i) => own !== undefined && i.subnet === own)?.subnet ??
    (w.subnetId || interfaces.length === 0
      ? subnetMembership(b, known, w, region, w.zone, w.path, w.id)
      : interfaces[0]?.subnet);
  if (network) memberships.network = [network];
  if (groups.length > 0) memberships.group = groups;
  const svc: Service = {
    id: awsIds.service(w.id),
    name: w.name,
    kind: w.kind,
    memberships,
    source: [b.at(w.path)],
    extra: { ...w.extra, interfaces },
  };
  if (w.tags) svc.labels = w.tags;
  if (w.addresses.length > 0) svc.addresses = [...new Set(w.addresses)];
  if (w.exposed) svc.exposed = true;
  if (w.dedicatedVm) svc.placement = { host: w.id, mode: 'dedicated-vm' };
  b.service(svc, w.path);
  return svc;
};

/** The plain name a person uses: an explicit `segscope:service` tag, else `Name`, else the id. */
export const workloadName = (tags: Record<string, string> | undefined, id: string): string =>
  tags?.['segscope:service'] || tags?.Name || id;

interface NicRead {
  input: InterfaceInput;
  addresses: string[];
  publicIp: boolean;
}

/** One CLI network interface (inside an instance or from describe-network-interfaces). */
const readNic = (nic: Obj, path: Path, groupsKey: 'Groups'): NicRead | undefined => {
  const id = str(nic, 'NetworkInterfaceId');
  if (!id) return undefined;
  const groups: InterfaceInput['groups'] = [];
  if (Array.isArray(nic[groupsKey])) {
    (nic[groupsKey] as unknown[]).forEach((g, i) => {
      const gid = isObj(g) ? str(g, 'GroupId') : undefined;
      if (gid && isObj(g)) groups.push({ id: gid, name: str(g, 'GroupName'), path: [...path, groupsKey, i] });
    });
  }
  const addresses: string[] = [];
  let publicIp = isObj(nic.Association) && str(nic.Association, 'PublicIp') !== undefined;
  const primary = str(nic, 'PrivateIpAddress');
  if (primary) addresses.push(primary);
  if (Array.isArray(nic.PrivateIpAddresses)) {
    for (const a of nic.PrivateIpAddresses) {
      if (!isObj(a)) continue;
      const ip = str(a, 'PrivateIpAddress');
      if (ip) addresses.push(ip);
      if (isObj(a.Association) && str(a.Association, 'PublicIp')) publicIp = true;
    }
  }
  if (Array.isArray(nic.Ipv6Addresses)) {
    for (const a of nic.Ipv6Addresses) {
      const ip = isObj(a) ? str(a, 'Ipv6Address') : undefined;
      if (ip) addresses.push(ip);
    }
  }
  return {
    input: { id, groups, subnetId: str(nic, 'SubnetId'), vpcId: str(nic, 'VpcId'), path },
    addresses,
    publicIp,
  };
};

export const readReservations = (b: AwsBuilder, known: Known, value: unknown, path: Path): void => {
  let terminated: Path | undefined;
  let terminatedCount = 0;
  eachObject(b, value, path, 'Reservations', (r, rp) => {
    const ownerId = str(r, 'OwnerId');
    if (r.Instances === undefined) return b.diag(rp, 'reservation without Instances; skipped', 'warn');
    eachObject(b, r.Instances, [...rp, 'Instances'], 'Instances', (inst, p) => {
      const id = str(inst, 'InstanceId');
      if (!id) return b.diag(p, 'instance without InstanceId; skipped');
      const state = isObj(inst.State) ? str(inst.State, 'Name') : undefined;
      if (state === 'terminated') {
        terminated ??= p;
        terminatedCount++;
        return;
      }
      const tags = tagMap(inst.Tags);
      const nics: NicRead[] = [];
      eachObject(b, inst.NetworkInterfaces, [...p, 'NetworkInterfaces'], 'NetworkInterfaces', (nic, np) => {
        const read = readNic(nic, np, 'Groups');
        if (read) nics.push(read);
        else b.diag(np, 'network interface without NetworkInterfaceId; skipped', 'warn');
      });
      // Without interface details (old exports, EC2-Classic) the instance's own fields stand in.
      if (nics.length === 0) {
        const groups: InterfaceInput['groups'] = [];
        if (Array.isArray(inst.SecurityGroups)) {
          inst.SecurityGroups.forEach((g, i) => {
            const gid = isObj(g) ? str(g, 'GroupId') : undefined;
            if (gid && isObj(g)) groups.push({ id: gid, name: str(g, 'GroupName'), path: [...p, 'SecurityGroups', i] });
          });
        }
        const ip = str(inst, 'PrivateIpAddress');
        if (groups.length > 0 || str(inst, 'SubnetId')) {
          nics.push({
            input: { id: id, groups, subnetId: str(inst, 'SubnetId'), vpcId: str(inst, 'VpcId'), path: p },
            addresses: ip ? [ip] : [],
            publicIp: false,
          });
        }
      }
      const zone = isObj(inst.Placement) ? str(inst.Placement, 'AvailabilityZone') : undefined;
      const extra: Obj = {};
      if (state) extra.state = state;
      const type = str(inst, 'InstanceType');
      if (type) extra.instanceType = type;
      if (zone) extra.availabilityZone = zone;
      addWorkload(b, known, {
        id,
        name: workloadName(tags, id),
        kind: kindFromTags(tags),
        tags,
        accountId: ownerId,
        zone,
        vpcId: str(inst, 'VpcId'),
        subnetId: str(inst, 'SubnetId'),
        profileArn: isObj(inst.IamInstanceProfile) ? str(inst.IamInstanceProfile, 'Arn') : undefined,
        profilePath: [...p, 'IamInstanceProfile'],
        interfaces: nics.map((n) => n.input),
        addresses: nics.flatMap((n) => n.addresses),
        exposed: str(inst, 'PublicIpAddress') !== undefined || nics.some((n) => n.publicIp),
        dedicatedVm: true,
        extra,
        path: p,
      });
    });
  });
  if (terminated) {
    b.diag(terminated, `${terminatedCount} terminated instance(s) skipped: they no longer run`, 'info');
  }
};

/** Kind of a managed interface from its type and the description AWS writes on it. */
const interfaceKind = (type: string | undefined, description: string): ServiceKind => {
  if (
    type === 'network_load_balancer' ||
    type === 'gateway_load_balancer' ||
    type === 'gateway_load_balancer_endpoint' ||
    type === 'nat_gateway' ||
    type === 'vpc_endpoint' ||
    type === 'transit_gateway' ||
    /^ELB /.test(description)
  ) {
    return 'gateway';
  }
  if (
    /^(RDS|ElastiCache|DAX|Redshift|Amazon (Redshift|MSK|OpenSearch|DocumentDB)|EFS mount target|DocumentDB)/i.test(
      description,
    )
  ) {
    return 'datastore';
  }
  return 'service';
};

export const readNetworkInterfaces = (b: AwsBuilder, known: Known, value: unknown, path: Path): void => {
  const toInstances: string[] = [];
  let firstToInstance: Path | undefined;
  const rows: { nic: Obj; p: Path; read: NicRead }[] = [];
  eachObject(b, value, path, 'NetworkInterfaces', (nic, p) => {
    const read = readNic(nic, p, 'Groups');
    if (!read) return b.diag(p, 'network interface without NetworkInterfaceId; skipped');
    rows.push({ nic, p, read });
  });
  const descriptions = new Map<string, number>();
  for (const { nic } of rows) {
    const d = str(nic, 'Description');
    if (d) descriptions.set(d, (descriptions.get(d) ?? 0) + 1);
  }
  for (const { nic, p, read } of rows) {
    const attachment = isObj(nic.Attachment) ? nic.Attachment : undefined;
    const instanceId = attachment ? str(attachment, 'InstanceId') : undefined;
    if (instanceId && nic.RequesterManaged !== true) {
      const svc = b.getService(awsIds.service(instanceId));
      if (svc) foldInterface(b, known, svc, read);
      else {
        toInstances.push(read.input.id);
        firstToInstance ??= p;
      }
      continue;
    }
    const tags = tagMap(nic.TagSet);
    const description = str(nic, 'Description') ?? '';
    const eni = read.input.id;
    // Several interfaces of one managed service (an ALB per zone, every RDS interface) share a description.
    const base = tags?.['segscope:service'] || tags?.Name || description || eni;
    const name = !tags?.Name && description && (descriptions.get(description) ?? 0) > 1 ? `${base} (${eni})` : base;
    const type = str(nic, 'InterfaceType');
    const extra: Obj = {};
    if (type) extra.interfaceType = type;
    if (description) extra.description = description;
    const requester = str(nic, 'RequesterId');
    if (requester) extra.requesterId = requester;
    if (nic.RequesterManaged === true) extra.requesterManaged = true;
    const zone = str(nic, 'AvailabilityZone');
    if (zone) extra.availabilityZone = zone;
    addWorkload(b, known, {
      id: eni,
      name,
      kind: tags && kindFromTags(tags) !== 'service' ? kindFromTags(tags) : interfaceKind(type, description),
      tags,
      accountId: str(nic, 'OwnerId'),
      zone,
      vpcId: read.input.vpcId,
      subnetId: read.input.subnetId,
      interfaces: [read.input],
      addresses: read.addresses,
      exposed: read.publicIp,
      dedicatedVm: false,
      extra,
      path: p,
    });
  }
  if (firstToInstance) {
    b.diag(
      firstToInstance,
      `${toInstances.length} interface(s) attached to EC2 instances not in this file (${toInstances.slice(0, 3).join(', ')}${toInstances.length > 3 ? ', …' : ''}) are left to describe-instances, which carries them with the instance`,
      'info',
    );
  }
};

/** An interface of an instance described in the same file: add it to the instance if new. */
const foldInterface = (b: AwsBuilder, known: Known, svc: Service, read: NicRead): void => {
  const interfaces = (svc.extra?.interfaces ?? []) as InterfaceFacts[];
  if (interfaces.some((i) => i.id === read.input.id)) return;
  const accountId = svc.memberships.account?.[0]?.slice('account:'.length);
  const subnet = subnetMembership(
    b,
    known,
    { ...read.input, accountId },
    undefined,
    undefined,
    read.input.path,
    svc.id,
  );
  const groups = read.input.groups.map((g) => groupMembership(b, known, g, read.input.vpcId, accountId, undefined));
  interfaces.push(subnet ? { id: read.input.id, groups, subnet } : { id: read.input.id, groups });
  svc.extra = { ...svc.extra, interfaces };
  svc.memberships.group = [...new Set([...(svc.memberships.group ?? []), ...groups])];
  svc.addresses = [...new Set([...(svc.addresses ?? []), ...read.addresses])];
  if (read.publicIp) svc.exposed = true;
};
