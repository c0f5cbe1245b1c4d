// aws ec2 describe-instances and describe-network-interfaces → services (instances, and interfaces of managed services).
import type { Service } from '../../model/types';
import { type AwsBuilder, eachObject, type InterfaceFacts, isObj, type Obj, type Path, str, tagMap } from './builder';
import { awsIds, interfaceKind, interfaceName, kindFromTags, workloadName } from './conventions';
import type { Known } from './segments';
import { addWorkload, groupMembership, type InterfaceInput, subnetMembership } from './workloads';

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

/** Terminated instances skipped in one file: reported once, at the first. */
interface Skipped {
  first?: Path;
  count: number;
}

/** One instance (CLI `Reservations[].Instances[]`, or an SDK `Instance` in a collector's bundle). */
const readInstance = (
  b: AwsBuilder,
  known: Known,
  inst: Obj,
  p: Path,
  ownerId: string | undefined,
  skipped: Skipped,
): void => {
  const id = str(inst, 'InstanceId');
  if (!id) {
    b.diag(p, 'instance without InstanceId; skipped');
    return;
  }
  const state = isObj(inst.State) ? str(inst.State, 'Name') : undefined;
  if (state === 'terminated') {
    skipped.first ??= p;
    skipped.count++;
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
};

const reportSkipped = (b: AwsBuilder, skipped: Skipped): void => {
  if (skipped.first) {
    b.diag(skipped.first, `${skipped.count} terminated instance(s) skipped: they no longer run`, 'info');
  }
};

export const readReservations = (b: AwsBuilder, known: Known, value: unknown, path: Path): void => {
  const skipped: Skipped = { count: 0 };
  eachObject(b, value, path, 'Reservations', (r, rp) => {
    const ownerId = str(r, 'OwnerId');
    if (r.Instances === undefined) return b.diag(rp, 'reservation without Instances; skipped', 'warn');
    eachObject(b, r.Instances, [...rp, 'Instances'], 'Instances', (inst, p) =>
      readInstance(b, known, inst, p, ownerId, skipped),
    );
  });
  reportSkipped(b, skipped);
};

/**
 * Instances without their reservations, as a collector's bundle lists them: the owner, which the CLI
 * prints on the reservation, is the owner of the instance's interfaces.
 */
export const readInstances = (b: AwsBuilder, known: Known, value: unknown, path: Path): void => {
  const skipped: Skipped = { count: 0 };
  eachObject(b, value, path, 'Instances', (inst, p) => {
    const nics = Array.isArray(inst.NetworkInterfaces) ? inst.NetworkInterfaces : [];
    const ownerId = nics.map((n) => (isObj(n) ? str(n, 'OwnerId') : undefined)).find((o) => o !== undefined);
    readInstance(b, known, inst, p, ownerId, skipped);
  });
  reportSkipped(b, skipped);
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
    const name = interfaceName(tags, description, eni, descriptions.get(description) ?? 0);
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
      kind: interfaceKind(tags, type, description),
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
