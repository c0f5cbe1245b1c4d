// Writer for Terraform HCL: aws_security_group plus one aws_vpc_security_group_ingress_rule / egress_rule per permission peer.

import { type ExportResult, Notes } from '../../export/format';
import type { Segment, SgPermissionRule, Workspace } from '../../model/types';

/** An HCL string literal: quotes, backslashes, control characters and template sequences escaped. */
export const hclString = (s: string): string =>
  `"${s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{')}"`;

/** A resource name as Terraform code usually has them: letters, digits and `_`, not starting with a digit. */
const resourceName = (s: string): string => {
  const n = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^[^A-Za-z_]+/, '');
  return n === '' ? 'group' : n;
};

/** A map key: bare when it is an identifier, quoted otherwise (`"aws:autoscaling:groupName"`). */
const hclKey = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k));

type Attr = [string, string | Record<string, string>];

/** One block, with `=` aligned over consecutive one-line attributes as `terraform fmt` does. */
const block = (header: string, attrs: Attr[]): string => {
  const lines: string[] = [`${header} {`];
  let run: [string, string][] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) lines.push(`  ${k.padEnd(width)} = ${v}`);
    run = [];
  };
  for (const [k, v] of attrs) {
    if (typeof v === 'string') {
      run.push([k, v]);
      continue;
    }
    flush();
    const keys = Object.keys(v).map(hclKey);
    const width = Math.max(0, ...keys.map((x) => x.length));
    lines.push('', `  ${k} = {`);
    Object.values(v).forEach((val, i) => {
      lines.push(`    ${(keys[i] as string).padEnd(width)} = ${hclString(val)}`);
    });
    lines.push('  }');
  }
  flush();
  lines.push('}');
  return lines.join('\n');
};

const attr = (seg: Segment | undefined, key: string): string | undefined => {
  const v = seg?.attributes?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** The groups written: every security group described or owning rules, by resource name; and how ids read. */
interface Groups {
  seg: Map<string, Segment>;
  rulesBy: Map<string, SgPermissionRule[]>;
  /** Segment ids in writing order. */
  ids: string[];
  /** Segment id → resource name, for described groups. */
  names: Map<string, string>;
  groupId(id: string): string;
}

const groupsOf = (ws: Workspace): Groups => {
  const seg = new Map(ws.segments.map((s) => [s.id, s]));
  const rulesBy = new Map<string, SgPermissionRule[]>();
  for (const r of ws.rules) if (r.type === 'sg-permission') rulesBy.set(r.group, [...(rulesBy.get(r.group) ?? []), r]);
  const ids = [
    ...ws.segments
      .filter((s) => s.level === 'group' && s.attributes?.kind === 'security-group')
      .filter((s) => s.attributes?.stub !== true || rulesBy.has(s.id))
      .map((s) => s.id),
    ...[...rulesBy.keys()].filter((id) => !seg.has(id)),
  ];
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    const s = seg.get(id);
    if (!s) continue;
    const base = resourceName(s.name);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    names.set(id, name);
  }
  return { seg, rulesBy, ids, names, groupId: (id) => attr(seg.get(id), 'groupId') ?? id.replace(/^group:/, '') };
};

/** An aws_security_group block. */
const groupBlock = (g: Groups, s: Segment, name: string): string => {
  const attrs: Attr[] = [['name', hclString(attr(s, 'name') ?? s.name)]];
  const description = s.attributes?.description;
  if (typeof description === 'string') attrs.push(['description', hclString(description)]);
  const vpc = attr(s, 'vpc') ?? s.parent;
  const v = vpc ? g.seg.get(vpc) : undefined;
  const vpcId = attr(v, 'vpcId') ?? (vpc?.startsWith('network:vpc-') ? vpc.slice('network:'.length) : undefined);
  if (vpcId) attrs.push(['vpc_id', hclString(vpcId)]);
  if (s.labels && Object.keys(s.labels).length > 0) attrs.push(['tags', { ...s.labels }]);
  return block(`resource "aws_security_group" ${hclString(name)}`, attrs);
};

/** The attributes of one ingress/egress rule resource: its group, protocol and ports, and its one peer. */
const ruleAttrs = (g: Groups, id: string, r: SgPermissionRule, owner: string | undefined, notes: Notes): Attr[] => {
  const name = g.names.get(id);
  const attrs: Attr[] = [['security_group_id', name ? `aws_security_group.${name}.id` : hclString(g.groupId(id))]];
  if (r.description !== undefined) attrs.push(['description', hclString(r.description)]);
  attrs.push(['ip_protocol', hclString(r.protocol)]);
  // With every protocol (-1) AWS takes all ports, and the provider wants none written.
  if (r.protocol !== '-1') {
    if (r.fromPort !== undefined) attrs.push(['from_port', String(r.fromPort)]);
    if (r.toPort !== undefined) attrs.push(['to_port', String(r.toPort)]);
  }
  const p = r.peer;
  if (p.kind === 'cidr') attrs.push([p.cidr.includes(':') ? 'cidr_ipv6' : 'cidr_ipv4', hclString(p.cidr)]);
  else if (p.kind === 'prefix-list') attrs.push(['prefix_list_id', hclString(p.prefixListId)]);
  else {
    const local = g.names.get(p.group);
    const ref = g.groupId(p.group);
    const crossAccount = p.userId !== undefined && p.userId !== owner;
    attrs.push([
      'referenced_security_group_id',
      local && !crossAccount ? `aws_security_group.${local}.id` : hclString(crossAccount ? `${p.userId}/${ref}` : ref),
    ]);
    if (p.vpcPeeringConnectionId) notes.item('peering connections of group references are implied, not written', r.id);
  }
  return attrs;
};

export const exportTerraform = (ws: Workspace): ExportResult => {
  const notes = new Notes();
  const g = groupsOf(ws);
  const blocks: string[] = [];
  const ruleNames = new Set<string>();
  for (const id of g.ids) {
    const s = g.seg.get(id);
    const name = g.names.get(id);
    if (s && name) blocks.push(groupBlock(g, s, name));
    const owner = attr(s, 'ownerId');
    const counters = { ingress: 0, egress: 0 };
    for (const r of g.rulesBy.get(id) ?? []) {
      const base = `${name ?? resourceName(g.groupId(id))}_${r.direction}_${counters[r.direction]++}`;
      let ruleName = base;
      for (let n = 2; ruleNames.has(ruleName); n++) ruleName = `${base}_${n}`;
      ruleNames.add(ruleName);
      const kind =
        r.direction === 'ingress' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
      blocks.push(block(`resource "${kind}" ${hclString(ruleName)}`, ruleAttrs(g, id, r, owner, notes)));
    }
  }
  if (ws.services.some((s) => (s.memberships.group ?? []).length > 0)) {
    notes.add(
      'which instances are in which group is not written (aws_instance is not exported); the aws-sg export carries it',
    );
  }
  if (ws.rules.some((r) => r.type === 'prefix-list' || (r.type === 'sg-permission' && r.peer.kind === 'prefix-list'))) {
    notes.add('prefix lists are referenced by id; their entries are not written (aws_ec2_managed_prefix_list)');
  }
  if (blocks.length === 0) {
    notes.add('the workspace has no security group');
    return { files: [], notes: notes.list };
  }
  const header = '# Security groups and their rules, written by segscope from the workspace.\n';
  return { files: [{ name: 'security-groups.tf', text: `${header}\n${blocks.join('\n\n')}\n` }], notes: notes.list };
};
