// describe-instances and describe-network-interfaces as the AWS writer writes them: services with their interfaces.
import { examples, formatExtra, formatId, hexDigest, isObj, type Obj, sameSet } from '../../export/format';
import { type AwsWriter, attr, defined, isV6, strip, tagList, type Workload } from './write-context';

export const workloads = (writer: AwsWriter): Workload[] => {
  const out: Workload[] = [];
  const made: string[] = [];
  const unplaced: string[] = [];
  for (const svc of writer.ws.services) {
    const id = formatId(svc, 'aws:');
    const groups = (svc.memberships.group ?? []).filter((g) => writer.seg.get(g)?.attributes?.kind !== 'prefix-list');
    const net = svc.memberships.network?.[0];
    const netKind = net ? writer.seg.get(net)?.attributes?.kind : undefined;
    const aws = id !== undefined || groups.length > 0 || netKind === 'subnet' || netKind === 'vpc';
    if (!aws) {
      unplaced.push(svc.id);
      continue;
    }
    const extra = id !== undefined ? formatExtra(svc, 'aws:') : {};
    const awsId = id !== undefined ? strip(id, 'aws:') : `i-${hexDigest(svc.id, 17)}`;
    if (id === undefined) made.push(svc.id);
    const eni = awsId.startsWith('eni-');
    const kept = Array.isArray(extra.interfaces)
      ? (extra.interfaces as unknown[]).filter(isObj).map((i) => ({
          id: String(i.id),
          groups: Array.isArray(i.groups)
            ? (i.groups as unknown[]).filter((g): g is string => typeof g === 'string')
            : [],
          ...(typeof i.subnet === 'string' ? { subnet: i.subnet } : {}),
        }))
      : [];
    const interfaces =
      kept.length > 0 ? kept : [{ id: eni ? awsId : `eni-${hexDigest(`${svc.id}/eni`, 17)}`, groups: [] }];
    // The memberships decide; the interfaces only say which interface has which group.
    const have = [...new Set(interfaces.flatMap((i) => i.groups))];
    if (interfaces.length === 1 && (interfaces[0] as Workload['interfaces'][number]).groups.join() !== groups.join()) {
      (interfaces[0] as Workload['interfaces'][number]).groups = [...groups];
    } else if (!sameSet(have, groups)) {
      for (const i of interfaces) i.groups = i.groups.filter((g) => groups.includes(g));
      const first = interfaces[0] as Workload['interfaces'][number];
      for (const g of groups) if (!interfaces.some((i) => i.groups.includes(g))) first.groups.push(g);
    }
    const subnet = netKind === 'subnet' ? net : undefined;
    const first = interfaces[0] as Workload['interfaces'][number];
    if (subnet && !interfaces.some((i) => i.subnet === subnet)) first.subnet = subnet;
    if (!subnet) for (const i of interfaces) delete i.subnet;
    out.push({ svc, awsId, eni, tags: { ...(svc.labels ?? {}) }, interfaces, extra });
  }
  if (made.length > 0)
    writer.notes.add(`services without an EC2 id get a made-up instance id (i-…): ${examples(made)}`);
  if (unplaced.length > 0) {
    writer.notes.add(`services with no AWS id, subnet, VPC or security group are not written: ${examples(unplaced)}`);
  }
  return out;
};

/** Addresses spread over the interfaces in the order the reader collects them back. */
export const spread = (_writer: AwsWriter, w: Workload): { v4: string[]; v6: string[] }[] => {
  const slots = w.interfaces.map(() => ({ v4: [] as string[], v6: [] as string[] }));
  let at = 0;
  for (const a of w.svc.addresses ?? []) {
    let slot = slots[at] as { v4: string[]; v6: string[] };
    if (!isV6(a) && slot.v6.length > 0 && at + 1 < slots.length) slot = slots[++at] as typeof slot;
    (isV6(a) ? slot.v6 : slot.v4).push(a);
  }
  return slots;
};

export const nicObject = (
  writer: AwsWriter,
  w: Workload,
  i: number,
  addresses: { v4: string[]; v6: string[] },
  publicIp: boolean,
): Obj => {
  const nic = w.interfaces[i] as Workload['interfaces'][number];
  const vpc = writer.vpcOf(nic.subnet ?? w.svc.memberships.network?.[0]);
  return defined([
    ['Association', publicIp ? { PublicIp: '0.0.0.0' } : undefined],
    ['NetworkInterfaceId', nic.id],
    ['SubnetId', nic.subnet ? writer.networkId(nic.subnet, 'subnetId') : undefined],
    ['VpcId', vpc ? writer.networkId(vpc, 'vpcId') : undefined],
    [
      'Groups',
      nic.groups.map((g) => {
        const s = writer.seg.get(g);
        const id = writer.groupId(g);
        return { GroupName: s && s.name !== id ? s.name : (attr(s, 'name') ?? id), GroupId: id };
      }),
    ],
    ['PrivateIpAddress', addresses.v4[0]],
    ['PrivateIpAddresses', addresses.v4.map((a, k) => ({ Primary: k === 0, PrivateIpAddress: a }))],
    ['Ipv6Addresses', addresses.v6.map((Ipv6Address) => ({ Ipv6Address }))],
  ]);
};

/** The instance profile ARN of a role membership: the profile itself, or a profile of the role. */
export const profileArn = (writer: AwsWriter, w: Workload): string | undefined => {
  const roleId = w.svc.memberships.role?.find((id) => id.startsWith('role:aws:'));
  const s = roleId ? writer.seg.get(roleId) : undefined;
  if (!roleId) return undefined;
  if (s?.attributes?.kind === 'iam-role') {
    writer.profiles ??= new Map(
      writer.ws.segments.flatMap((p) =>
        p.attributes?.kind === 'instance-profile' && (p.parent ?? attr(p, 'role'))
          ? [[(p.parent ?? attr(p, 'role')) as string, p]]
          : [],
      ),
    );
    const profile = writer.profiles.get(roleId);
    writer.notes.add(
      `instances that run as an IAM role are written with its instance profile, which reads back as their role membership (the profile's parent is the role)`,
    );
    if (profile) return attr(profile, 'arn') ?? strip(profile.id, 'role:aws:');
    // EC2 runs a role through an instance profile: one named after the role, as the console makes it.
    const arn = (attr(s, 'arn') ?? strip(roleId, 'role:aws:')).replace(':role/', ':instance-profile/');
    writer.madeProfiles.set(roleId, arn);
    writer.notes.item('roles without an instance profile get one named after the role', roleId);
    return arn;
  }
  return attr(s, 'arn') ?? strip(roleId, 'role:aws:');
};

export const instances = (writer: AwsWriter, list: Workload[]): Obj[] => {
  const byOwner = new Map<string, Obj[]>();
  for (const w of list) {
    if (w.eni) continue;
    const accountSeg = w.svc.memberships.account?.[0];
    const owner = accountSeg ? (attr(writer.seg.get(accountSeg), 'accountId') ?? strip(accountSeg, 'account:')) : '';
    const slots = spread(writer, w);
    const net = w.svc.memberships.network?.[0];
    const netKind = net ? writer.seg.get(net)?.attributes?.kind : undefined;
    const vpc = writer.vpcOf(net);
    const zone = typeof w.extra.availabilityZone === 'string' ? w.extra.availabilityZone : undefined;
    const profile = profileArn(writer, w);
    const instance = defined([
      ['InstanceId', w.awsId],
      ['InstanceType', typeof w.extra.instanceType === 'string' ? w.extra.instanceType : undefined],
      ['Placement', zone ? { AvailabilityZone: zone } : undefined],
      ['PrivateIpAddress', slots[0]?.v4[0]],
      ['PublicIpAddress', w.svc.exposed ? '0.0.0.0' : undefined],
      ['State', { Name: typeof w.extra.state === 'string' ? w.extra.state : 'running' }],
      ['SubnetId', net && netKind === 'subnet' ? writer.networkId(net, 'subnetId') : undefined],
      ['VpcId', vpc ? writer.networkId(vpc, 'vpcId') : undefined],
      ['IamInstanceProfile', profile ? { Arn: profile } : undefined],
      [
        'NetworkInterfaces',
        w.interfaces.map((_, i) => nicObject(writer, w, i, slots[i] as { v4: string[]; v6: string[] }, false)),
      ],
      ['Tags', tagList(w.tags)],
    ]);
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), instance]);
  }
  return [...byOwner].map(([owner, instances]) =>
    defined([
      ['OwnerId', owner || undefined],
      ['Instances', instances],
    ]),
  );
};

export const interfaces = (writer: AwsWriter, list: Workload[]): Obj[] => {
  return list
    .filter((w) => w.eni)
    .map((w) => {
      const accountSeg = w.svc.memberships.account?.[0];
      const nic = nicObject(writer, w, 0, spread(writer, w)[0] ?? { v4: [], v6: [] }, w.svc.exposed === true);
      const str = (k: string) => (typeof w.extra[k] === 'string' ? (w.extra[k] as string) : undefined);
      return defined([
        ['Association', nic.Association],
        ['AvailabilityZone', str('availabilityZone')],
        ['Description', str('description')],
        ['Groups', nic.Groups],
        ['InterfaceType', str('interfaceType')],
        ['Ipv6Addresses', nic.Ipv6Addresses],
        ['NetworkInterfaceId', w.awsId],
        [
          'OwnerId',
          accountSeg ? (attr(writer.seg.get(accountSeg), 'accountId') ?? strip(accountSeg, 'account:')) : undefined,
        ],
        ['PrivateIpAddress', nic.PrivateIpAddress],
        ['PrivateIpAddresses', nic.PrivateIpAddresses],
        ['RequesterId', str('requesterId')],
        ['RequesterManaged', w.extra.requesterManaged === true ? true : undefined],
        ['SubnetId', nic.SubnetId],
        ['TagSet', tagList(w.tags)],
        ['VpcId', nic.VpcId],
      ]);
    });
};
