// Reader for `terraform show -json` (and raw v4 .tfstate) with AWS resources: VPCs, subnets, groups, rules, instances, roles.

import { type ParsedFile, parseFile } from '../../import/parse';
import type { FileInput, FormatReader, ReadResult } from '../../import/types';
import type { SgPeer, SgPermissionRule } from '../../model/types';
import {
  AwsBuilder,
  arnPart,
  awsIds,
  isObj,
  kindFromTags,
  num,
  type Obj,
  type Path,
  parseInput,
  str,
  tagMap,
} from '../aws/builder';
import {
  addGroup,
  addSubnet,
  addVpc,
  addWorkload,
  checkGroupReference,
  emptyKnown,
  type Known,
  workloadName,
} from '../aws/ec2';
import { addInstanceProfile, addRole, type PolicyInput } from '../aws/iam';

interface Resource {
  address: string;
  type: string;
  mode: string;
  values: Obj;
  /** Path of the `values` (or v4 `attributes`) object. */
  path: Path;
}

const detect = (file: FileInput, parsed: unknown): boolean => {
  if (parsed === undefined)
    return (
      /^\s*\{\s*"(format_version|version)"\s*:/.test(file.text.slice(0, 200)) &&
      file.text.includes('"terraform_version"')
    );
  if (!isObj(parsed)) return false;
  if (typeof parsed.format_version === 'string') return true;
  return (
    typeof parsed.version === 'number' &&
    typeof parsed.terraform_version === 'string' &&
    Array.isArray(parsed.resources)
  );
};

/** Resources of `values.root_module` and its child modules, recursively. */
const moduleResources = (b: AwsBuilder, mod: unknown, path: Path, out: Resource[]): void => {
  if (!isObj(mod)) return;
  if (mod.resources !== undefined && !Array.isArray(mod.resources))
    b.diag([...path, 'resources'], 'resources: expected a list');
  (Array.isArray(mod.resources) ? mod.resources : []).forEach((r, i) => {
    const rp = [...path, 'resources', i];
    if (!isObj(r) || typeof r.type !== 'string') {
      b.diag(rp, 'resource without a type; skipped');
      return;
    }
    if (!isObj(r.values)) {
      b.diag(rp, `${String(r.address ?? r.type)}: resource without values; skipped`, 'warn');
      return;
    }
    out.push({
      address: str(r, 'address') ?? `${r.type}.${String(r.name)}`,
      type: r.type,
      mode: str(r, 'mode') ?? 'managed',
      values: r.values,
      path: [...rp, 'values'],
    });
  });
  if (Array.isArray(mod.child_modules)) {
    mod.child_modules.forEach((c, i) => {
      moduleResources(b, c, [...path, 'child_modules', i], out);
    });
  }
};

/** Raw state files (version 4) hold the same attributes under resources[].instances[]. */
const stateResources = (b: AwsBuilder, state: Obj, out: Resource[]): void => {
  (state.resources as unknown[]).forEach((r, i) => {
    const rp: Path = ['resources', i];
    if (!isObj(r) || typeof r.type !== 'string' || !Array.isArray(r.instances)) {
      b.diag(rp, 'resource without type or instances; skipped');
      return;
    }
    const mode = str(r, 'mode') ?? 'managed';
    const base = `${str(r, 'module') ? `${str(r, 'module')}.` : ''}${mode === 'data' ? 'data.' : ''}${r.type}.${String(r.name)}`;
    r.instances.forEach((inst, k) => {
      if (!isObj(inst) || !isObj(inst.attributes)) {
        b.diag([...rp, 'instances', k], 'instance without attributes; skipped');
        return;
      }
      const key = inst.index_key;
      out.push({
        address: key === undefined ? base : `${base}[${JSON.stringify(key)}]`,
        type: r.type as string,
        mode,
        values: inst.attributes,
        path: [...rp, 'instances', k, 'attributes'],
      });
    });
  });
};

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];

/** `sg-123` or, across accounts, `123456789012/sg-123`. */
const groupRef = (ref: string): { groupId: string; userId?: string } => {
  const m = /^(\d{12})\/(sg-[0-9a-z]+)$/.exec(ref);
  return m ? { groupId: m[2] as string, userId: m[1] as string } : { groupId: ref };
};

/** Terraform writes "-1" or "all" for every protocol, with ports 0–0 that AWS ignores. */
const ruleBase = (
  group: string,
  direction: 'ingress' | 'egress',
  protocol: unknown,
  from: number | undefined,
  to: number | undefined,
): Omit<SgPermissionRule, 'id' | 'peer'> => {
  const p = String(protocol ?? '-1');
  const base: Omit<SgPermissionRule, 'id' | 'peer'> = {
    type: 'sg-permission',
    level: 'group',
    group: awsIds.group(group),
    direction,
    protocol: p === 'all' ? '-1' : p,
  };
  if (base.protocol !== '-1') {
    if (from !== undefined) base.fromPort = from;
    if (to !== undefined) base.toPort = to;
  }
  return base;
};

const TYPES = [
  'aws_vpc',
  'aws_vpc_ipv4_cidr_block_association',
  'aws_subnet',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_instance_profile',
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc_peering_connection',
  'aws_vpc_peering_connection_accepter',
  'aws_instance',
];

const read = (file: FileInput, source: ParsedFile = parseFile(file)): ReadResult => {
  const parsed = parseInput(file, source);
  const b = new AwsBuilder(file.name, parsed.locate);
  b.diagnostics.push(...parsed.diagnostics);
  const top = parsed.value;
  if (!isObj(top)) {
    if (top !== undefined) b.diag([], 'expected the JSON object `terraform show -json` prints');
    return b.finish();
  }
  const resources: Resource[] = [];
  if (typeof top.format_version === 'string') {
    const key = isObj(top.values) ? 'values' : isObj(top.planned_values) ? 'planned_values' : undefined;
    if (key === 'planned_values') b.diag([key], 'a plan: reading its planned values', 'info');
    if (key) moduleResources(b, (top[key] as Obj).root_module, [key, 'root_module'], resources);
    else b.diag([], 'no values: the state is empty', 'info');
  } else stateResources(b, top, resources);

  const data = resources.filter((r) => r.mode === 'data');
  if (data[0])
    b.diag(data[0].path, `${data.length} data source(s) not read: only managed resources describe the estate`, 'info');
  const managed = resources.filter((r) => r.mode !== 'data');
  const unknown = new Map<string, Resource[]>();
  for (const r of managed) if (!TYPES.includes(r.type)) unknown.set(r.type, [...(unknown.get(r.type) ?? []), r]);
  for (const [type, rs] of unknown) {
    b.diag(rs[0]?.path ?? [], `${rs.length} resource(s) of type ${type} not read: segscope does not model it`, 'info');
  }
  const of = (type: string) => managed.filter((r) => r.type === type);

  const known: Known = emptyKnown();
  for (const r of of('aws_security_group')) {
    const id = str(r.values, 'id');
    if (id) known.groups.set(id, str(r.values, 'owner_id') ?? arnPart(str(r.values, 'arn'), 'account'));
  }
  const subnetVpc = new Map<string, string | undefined>();
  for (const r of of('aws_subnet')) {
    const id = str(r.values, 'id');
    if (id) {
      known.subnets.add(id);
      subnetVpc.set(id, str(r.values, 'vpc_id'));
    }
  }
  known.iam = of('aws_iam_role').length > 0;

  readNetworks(b, of);
  const roleByName = readRoles(b, of);
  for (const r of of('aws_security_group')) readGroup(b, known, r);
  for (const r of of('aws_security_group_rule')) readGroupRule(b, known, r);
  for (const r of [...of('aws_vpc_security_group_ingress_rule'), ...of('aws_vpc_security_group_egress_rule')]) {
    readVpcGroupRule(b, known, r);
  }
  for (const r of [...of('aws_vpc_peering_connection'), ...of('aws_vpc_peering_connection_accepter')]) {
    readPeering(b, r);
  }
  for (const r of of('aws_instance')) readInstance(b, known, r, subnetVpc, roleByName);
  return b.finish();
};

const readNetworks = (b: AwsBuilder, of: (type: string) => Resource[]): void => {
  const extraCidrs = new Map<string, string[]>();
  for (const r of of('aws_vpc_ipv4_cidr_block_association')) {
    const vpc = str(r.values, 'vpc_id');
    const cidr = str(r.values, 'cidr_block');
    if (vpc && cidr) extraCidrs.set(vpc, [...(extraCidrs.get(vpc) ?? []), cidr]);
  }
  for (const r of of('aws_vpc')) {
    const v = r.values;
    const vpcId = str(v, 'id');
    if (!vpcId) {
      b.diag(r.path, `${r.address}: no id (not yet created?); skipped`, 'warn');
      continue;
    }
    const arn = str(v, 'arn');
    const cidrs = [str(v, 'cidr_block'), ...(extraCidrs.get(vpcId) ?? []), str(v, 'ipv6_cidr_block')].filter(
      (c): c is string => c !== undefined,
    );
    extraCidrs.delete(vpcId);
    addVpc(
      b,
      {
        vpcId,
        accountId: str(v, 'owner_id') ?? arnPart(arn, 'account'),
        region: arnPart(arn, 'region'),
        cidrs,
        tags: tagMap(v.tags),
        attributes: { terraformAddress: r.address },
      },
      r.path,
    );
  }
  for (const [vpc, cidrs] of extraCidrs) {
    const r = of('aws_vpc_ipv4_cidr_block_association').find((x) => x.values.vpc_id === vpc) as Resource;
    b.vpc(vpc, { cidrs }, r.path);
  }
  for (const r of of('aws_subnet')) {
    const v = r.values;
    const subnetId = str(v, 'id');
    if (!subnetId) {
      b.diag(r.path, `${r.address}: no id (not yet created?); skipped`, 'warn');
      continue;
    }
    const arn = str(v, 'arn');
    const attributes: Obj = { terraformAddress: r.address };
    if (typeof v.map_public_ip_on_launch === 'boolean') attributes.mapPublicIpOnLaunch = v.map_public_ip_on_launch;
    addSubnet(
      b,
      {
        subnetId,
        vpcId: str(v, 'vpc_id'),
        accountId: str(v, 'owner_id') ?? arnPart(arn, 'account'),
        region: arnPart(arn, 'region'),
        zone: str(v, 'availability_zone'),
        cidrs: [str(v, 'cidr_block'), str(v, 'ipv6_cidr_block')].filter((c): c is string => c !== undefined),
        tags: tagMap(v.tags),
        attributes,
      },
      r.path,
    );
  }
};

/** Roles with their inline and attached policies; returns role name → role segment id for profiles. */
const readRoles = (b: AwsBuilder, of: (type: string) => Resource[]): Map<string, string> => {
  const byName = new Map<string, string>();
  const inlineByRole = new Map<string, PolicyInput[]>();
  for (const r of of('aws_iam_role_policy')) {
    const role = str(r.values, 'role');
    if (!role) continue;
    const policy: PolicyInput = {
      name: str(r.values, 'name') ?? r.address,
      document: r.values.policy,
      path: [...r.path, 'policy'],
    };
    inlineByRole.set(role, [...(inlineByRole.get(role) ?? []), policy]);
  }
  const attachedByRole = new Map<string, string[]>();
  for (const r of of('aws_iam_role_policy_attachment')) {
    const role = str(r.values, 'role');
    const arn = str(r.values, 'policy_arn');
    if (role && arn) attachedByRole.set(role, [...(attachedByRole.get(role) ?? []), arn]);
  }
  for (const r of of('aws_iam_role')) {
    const v = r.values;
    const arn = str(v, 'arn');
    const name = str(v, 'name');
    if (!arn || !name) {
      b.diag(r.path, `${r.address}: role without arn or name; skipped`, 'warn');
      continue;
    }
    const inline: PolicyInput[] = [];
    if (Array.isArray(v.inline_policy)) {
      v.inline_policy.forEach((p, i) => {
        // The provider keeps an empty placeholder block when a role has no inline policy.
        if (isObj(p) && str(p, 'name') && str(p, 'policy')) {
          inline.push({
            name: str(p, 'name') as string,
            document: p.policy,
            path: [...r.path, 'inline_policy', i, 'policy'],
          });
        }
      });
    }
    inline.push(...(inlineByRole.get(name) ?? []));
    const managedArns = [...new Set([...list(v.managed_policy_arns), ...(attachedByRole.get(name) ?? [])])];
    byName.set(
      name,
      addRole(b, {
        arn,
        name,
        iamPath: str(v, 'path'),
        trust: v.assume_role_policy,
        trustPath: [...r.path, 'assume_role_policy'],
        inline,
        managed: managedArns.map((m) => ({ arn: m })),
        tags: tagMap(v.tags),
        path: r.path,
      }),
    );
  }
  for (const r of of('aws_iam_instance_profile')) {
    const arn = str(r.values, 'arn');
    const name = str(r.values, 'name');
    if (!arn || !name) continue;
    const roleName = str(r.values, 'role');
    const role = roleName ? byName.get(roleName) : undefined;
    addInstanceProfile(b, { arn, name, role }, r.path);
    byName.set(`profile:${name}`, role ?? awsIds.role(arn));
  }
  return byName;
};

const readGroup = (b: AwsBuilder, known: Known, r: Resource): void => {
  const v = r.values;
  const groupId = str(v, 'id');
  if (!groupId) {
    b.diag(r.path, `${r.address}: no id (not yet created?); skipped`, 'warn');
    return;
  }
  const ownerId = str(v, 'owner_id') ?? arnPart(str(v, 'arn'), 'account');
  addGroup(
    b,
    {
      groupId,
      name: str(v, 'name'),
      description: typeof v.description === 'string' ? v.description : undefined,
      vpcId: str(v, 'vpc_id'),
      ownerId,
      region: arnPart(str(v, 'arn'), 'region'),
      tags: tagMap(v.tags),
    },
    r.path,
  );
  for (const direction of ['ingress', 'egress'] as const) {
    const blocks = v[direction];
    if (!Array.isArray(blocks)) continue;
    blocks.forEach((block, j) => {
      const bp = [...r.path, direction, j];
      if (!isObj(block)) {
        b.diag(bp, `${r.address} ${direction}[${j}]: expected an object; skipped`);
        return;
      }
      const base = ruleBase(groupId, direction, block.protocol, num(block, 'from_port'), num(block, 'to_port'));
      const peers: [SgPeer, Path][] = [
        ...list(block.cidr_blocks).map((c, k): [SgPeer, Path] => [
          { kind: 'cidr', cidr: c },
          [...bp, 'cidr_blocks', k],
        ]),
        ...list(block.ipv6_cidr_blocks).map((c, k): [SgPeer, Path] => [
          { kind: 'cidr', cidr: c },
          [...bp, 'ipv6_cidr_blocks', k],
        ]),
        ...list(block.prefix_list_ids).map((c, k): [SgPeer, Path] => [
          { kind: 'prefix-list', prefixListId: c },
          [...bp, 'prefix_list_ids', k],
        ]),
        ...list(block.security_groups).map((c, k): [SgPeer, Path] => {
          const ref = groupRef(c);
          const pp = [...bp, 'security_groups', k];
          checkGroupReference(b, known, { ...ref, ruleOwner: ownerId, ruleGroup: groupId }, pp);
          return [
            { kind: 'group', group: awsIds.group(ref.groupId), ...(ref.userId ? { userId: ref.userId } : {}) },
            pp,
          ];
        }),
        ...(block.self === true
          ? [[{ kind: 'group', group: awsIds.group(groupId) }, [...bp, 'self']] as [SgPeer, Path]]
          : []),
      ];
      if (peers.length === 0) b.diag(bp, `${r.address} ${direction}[${j}] names no peer; it allows nothing`, 'info');
      peers.forEach(([peer, pp], k) => {
        const rule: SgPermissionRule = {
          ...base,
          id: `tf:${r.address}:${direction}:${j}:${k}`,
          peer,
          source: b.at(pp),
        };
        const description = str(block, 'description');
        if (description) rule.description = description;
        b.rule(rule, pp);
      });
    });
  }
};

/** The group a separate rule resource belongs to, with a warning when the state does not describe it. */
const ownerGroup = (b: AwsBuilder, known: Known, r: Resource): string | undefined => {
  const groupId = str(r.values, 'security_group_id');
  if (!groupId) {
    b.diag(r.path, `${r.address}: no security_group_id; skipped`);
    return undefined;
  }
  if (!known.groups.has(groupId)) {
    b.diag(
      [...r.path, 'security_group_id'],
      `${r.address} belongs to ${groupId}, which this state does not describe; the rule is kept, the group has no segment here`,
      'warn',
    );
  }
  return groupId;
};

const readGroupRule = (b: AwsBuilder, known: Known, r: Resource): void => {
  const v = r.values;
  const groupId = ownerGroup(b, known, r);
  if (!groupId) return;
  const direction = v.type === 'egress' ? 'egress' : v.type === 'ingress' ? 'ingress' : undefined;
  if (!direction) {
    b.diag([...r.path, 'type'], `${r.address}: type must be ingress or egress; skipped`);
    return;
  }
  const base = ruleBase(groupId, direction, v.protocol, num(v, 'from_port'), num(v, 'to_port'));
  const peers: [SgPeer, Path][] = [
    ...list(v.cidr_blocks).map((c, k): [SgPeer, Path] => [{ kind: 'cidr', cidr: c }, [...r.path, 'cidr_blocks', k]]),
    ...list(v.ipv6_cidr_blocks).map((c, k): [SgPeer, Path] => [
      { kind: 'cidr', cidr: c },
      [...r.path, 'ipv6_cidr_blocks', k],
    ]),
    ...list(v.prefix_list_ids).map((c, k): [SgPeer, Path] => [
      { kind: 'prefix-list', prefixListId: c },
      [...r.path, 'prefix_list_ids', k],
    ]),
  ];
  const source = str(v, 'source_security_group_id');
  if (source) {
    const ref = groupRef(source);
    const pp = [...r.path, 'source_security_group_id'];
    checkGroupReference(b, known, { ...ref, ruleOwner: known.groups.get(groupId), ruleGroup: groupId }, pp);
    peers.push([
      { kind: 'group', group: awsIds.group(ref.groupId), ...(ref.userId ? { userId: ref.userId } : {}) },
      pp,
    ]);
  }
  if (v.self === true) peers.push([{ kind: 'group', group: awsIds.group(groupId) }, [...r.path, 'self']]);
  if (peers.length === 0) b.diag(r.path, `${r.address} names no peer; it allows nothing`, 'info');
  peers.forEach(([peer, pp], k) => {
    const rule: SgPermissionRule = { ...base, id: `tf:${r.address}:${k}`, peer, source: b.at(pp) };
    const description = str(v, 'description');
    if (description) rule.description = description;
    b.rule(rule, pp);
  });
};

const readVpcGroupRule = (b: AwsBuilder, known: Known, r: Resource): void => {
  const v = r.values;
  const groupId = ownerGroup(b, known, r);
  if (!groupId) return;
  const direction = r.type.endsWith('egress_rule') ? 'egress' : 'ingress';
  const base = ruleBase(groupId, direction, v.ip_protocol, num(v, 'from_port'), num(v, 'to_port'));
  let peer: SgPeer | undefined;
  let pp: Path = r.path;
  const cidr4 = str(v, 'cidr_ipv4');
  const cidr6 = str(v, 'cidr_ipv6');
  const prefix = str(v, 'prefix_list_id');
  const ref = str(v, 'referenced_security_group_id');
  if (cidr4) [peer, pp] = [{ kind: 'cidr', cidr: cidr4 }, [...r.path, 'cidr_ipv4']];
  else if (cidr6) [peer, pp] = [{ kind: 'cidr', cidr: cidr6 }, [...r.path, 'cidr_ipv6']];
  else if (prefix) [peer, pp] = [{ kind: 'prefix-list', prefixListId: prefix }, [...r.path, 'prefix_list_id']];
  else if (ref) {
    const g = groupRef(ref);
    pp = [...r.path, 'referenced_security_group_id'];
    if (g.groupId !== groupId) {
      checkGroupReference(b, known, { ...g, ruleOwner: known.groups.get(groupId), ruleGroup: groupId }, pp);
    }
    peer = { kind: 'group', group: awsIds.group(g.groupId), ...(g.userId ? { userId: g.userId } : {}) };
  }
  if (!peer) {
    b.diag(
      r.path,
      `${r.address} names no peer (cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id); skipped`,
    );
    return;
  }
  const rule: SgPermissionRule = { ...base, id: `tf:${r.address}`, peer, source: b.at(pp) };
  const description = str(v, 'description');
  if (description) rule.description = description;
  b.rule(rule, pp);
};

const readPeering = (b: AwsBuilder, r: Resource): void => {
  const v = r.values;
  const accepterSide = r.type === 'aws_vpc_peering_connection_accepter';
  // The requester resource names its own VPC first; the accepter resource names its own VPC first.
  const own = b.vpc(str(v, 'vpc_id'), {}, r.path);
  const peer = b.vpc(
    str(v, 'peer_vpc_id'),
    { accountId: str(v, 'peer_owner_id'), region: str(v, 'peer_region') },
    r.path,
  );
  if (!own || !peer) {
    b.diag(r.path, `${r.address}: vpc_id and peer_vpc_id are needed; skipped`, 'warn');
    return;
  }
  const status = str(v, 'accept_status');
  b.rule(
    {
      id: `tf:${r.address}`,
      type: 'vpc-peering',
      level: 'network',
      requester: accepterSide ? peer : own,
      accepter: accepterSide ? own : peer,
      ...(status ? { status } : {}),
      source: b.at(r.path),
    },
    r.path,
  );
};

const readInstance = (
  b: AwsBuilder,
  known: Known,
  r: Resource,
  subnetVpc: Map<string, string | undefined>,
  roles: Map<string, string>,
): void => {
  const v = r.values;
  const id = str(v, 'id');
  if (!id) {
    b.diag(r.path, `${r.address}: no id (not yet created?); skipped`, 'warn');
    return;
  }
  const arn = str(v, 'arn');
  const accountId = arnPart(arn, 'account');
  const subnetId = str(v, 'subnet_id');
  const vpcId = subnetId ? subnetVpc.get(subnetId) : undefined;
  const tags = tagMap(v.tags);
  const profile = str(v, 'iam_instance_profile');
  const roleSegment = profile ? roles.get(`profile:${profile}`) : undefined;
  const profileArn =
    profile && !roleSegment && accountId ? `arn:aws:iam::${accountId}:instance-profile/${profile}` : undefined;
  const groups = list(v.vpc_security_group_ids).map((g, k) => ({
    id: g,
    path: [...r.path, 'vpc_security_group_ids', k],
  }));
  const addresses = [str(v, 'private_ip'), ...list(v.secondary_private_ips), ...list(v.ipv6_addresses)].filter(
    (a): a is string => a !== undefined,
  );
  const extra: Obj = { terraformAddress: r.address };
  const type = str(v, 'instance_type');
  if (type) extra.instanceType = type;
  const state = str(v, 'instance_state');
  if (state) extra.state = state;
  addWorkload(b, known, {
    id,
    name: workloadName(tags, id),
    kind: kindFromTags(tags),
    tags,
    accountId,
    region: arnPart(arn, 'region'),
    zone: str(v, 'availability_zone'),
    vpcId,
    subnetId,
    profileArn,
    profilePath: [...r.path, 'iam_instance_profile'],
    roleSegment,
    interfaces: [{ id: str(v, 'primary_network_interface_id') ?? id, groups, subnetId, vpcId, path: r.path }],
    addresses,
    exposed: str(v, 'public_ip') !== undefined,
    dedicatedVm: true,
    extra,
    path: r.path,
  });
};

export const terraformReader: FormatReader = {
  id: 'terraform',
  label: 'Terraform state (terraform show -json)',
  detect,
  read,
};
