// Instances and network interfaces → services, with their account, role, subnet and group memberships.
import type { Segment, Service, ServiceKind } from '../../model/types';
import { type AwsBuilder, arnPart, type InterfaceFacts, type Obj, type Path, regionFromZone } from './builder';
import { awsIds } from './conventions';
import { addGroup, addSubnet, type Known } from './segments';

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

export const subnetMembership = (
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

export const groupMembership = (
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
    return id;
  }
  // A group described in this file learns its region from a member's zone, as it would from a separate file.
  const seg = b.getSegment(id);
  if (seg && region && seg.attributes?.region === undefined) {
    b.segment({ ...seg, attributes: { ...seg.attributes, region } }, seg.attributes?.stub === true);
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
