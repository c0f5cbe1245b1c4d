// aws_security_group (inline rules), aws_security_group_rule and aws_vpc_security_group_*_rule → group segments and rules.
import type { SgPeer, SgPermissionRule } from '../../model/types';
import { type AwsBuilder, isObj, type Path, str } from '../aws/builder';
import { awsIds } from '../aws/conventions';
import { checkPermission, isCidrOf } from '../aws/permission';
import { addGroup, checkGroupReference, type GroupKeys, groupFacts, type Known } from '../aws/segments';
import { createdId, list, ownerAndRegion, type Resource } from './resources';

const TERRAFORM_GROUP_KEYS: GroupKeys = { name: 'name', description: 'description', vpc: 'vpc_id', tags: 'tags' };

/** `sg-123` or, across accounts, `123456789012/sg-123`. */
export const groupRef = (ref: string): { groupId: string; userId?: string } => {
  const m = /^(\d{12})\/(sg-[0-9a-z]+)$/.exec(ref);
  return m ? { groupId: m[2] as string, userId: m[1] as string } : { groupId: ref };
};

/**
 * The rule's protocol and ports as the provider stores them (`-1` or `all` for every protocol, with ports
 * 0–0 that AWS ignores); a value the EC2 API would refuse is reported where it is written and the rule
 * is dropped (undefined), never read as wider.
 */
export const ruleBase = (
  b: AwsBuilder,
  at: { group: string; direction: 'ingress' | 'egress'; what: string; path: Path },
  o: Record<string, unknown>,
  protocolKey: 'protocol' | 'ip_protocol',
): Omit<SgPermissionRule, 'id' | 'peer'> | undefined => {
  const checked = checkPermission(o, { protocol: protocolKey, from: 'from_port', to: 'to_port' }, true);
  if (!checked.ok) {
    const path = o[checked.key] === undefined ? at.path : [...at.path, checked.key];
    b.diag(path, `${at.what}: ${checked.message}; the rule is dropped`);
    return undefined;
  }
  const base: Omit<SgPermissionRule, 'id' | 'peer'> = {
    type: 'sg-permission',
    level: 'group',
    group: awsIds.group(at.group),
    direction: at.direction,
    protocol: checked.protocol,
  };
  if (base.protocol !== '-1') {
    if (checked.fromPort !== undefined) base.fromPort = checked.fromPort;
    if (checked.toPort !== undefined) base.toPort = checked.toPort;
  }
  return base;
};

/** CIDR peers of a list key, each checked for its family; a bad one is reported and left out. */
const cidrPeers = (b: AwsBuilder, value: unknown, path: Path, v6: boolean, what: string): [SgPeer, Path][] =>
  list(value).flatMap((c, k): [SgPeer, Path][] => {
    if (isCidrOf(c, v6)) return [[{ kind: 'cidr', cidr: c }, [...path, k]]];
    b.diag([...path, k], `${what}: "${c}" is not an ${v6 ? 'IPv6' : 'IPv4'} CIDR; this peer is dropped`);
    return [];
  });

export const readGroup = (b: AwsBuilder, known: Known, r: Resource): void => {
  const v = r.values;
  const groupId = createdId(b, r);
  if (!groupId) return;
  const { accountId: ownerId, region } = ownerAndRegion(v);
  addGroup(b, { groupId, ...groupFacts(v, TERRAFORM_GROUP_KEYS), ownerId, region }, r.path);
  for (const direction of ['ingress', 'egress'] as const) {
    const blocks = v[direction];
    if (!Array.isArray(blocks)) continue;
    blocks.forEach((block, j) => {
      const bp = [...r.path, direction, j];
      if (!isObj(block)) {
        b.diag(bp, `${r.address} ${direction}[${j}]: expected an object; skipped`);
        return;
      }
      const what = `${r.address} ${direction}[${j}]`;
      const base = ruleBase(b, { group: groupId, direction, what, path: bp }, block, 'protocol');
      if (!base) return;
      const peers: [SgPeer, Path][] = [
        ...cidrPeers(b, block.cidr_blocks, [...bp, 'cidr_blocks'], false, what),
        ...cidrPeers(b, block.ipv6_cidr_blocks, [...bp, 'ipv6_cidr_blocks'], true, what),
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
export const ownerGroup = (b: AwsBuilder, known: Known, r: Resource): string | undefined => {
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

export const readGroupRule = (b: AwsBuilder, known: Known, r: Resource): void => {
  const v = r.values;
  const groupId = ownerGroup(b, known, r);
  if (!groupId) return;
  const direction = v.type === 'egress' ? 'egress' : v.type === 'ingress' ? 'ingress' : undefined;
  if (!direction) {
    b.diag([...r.path, 'type'], `${r.address}: type must be ingress or egress; skipped`);
    return;
  }
  const base = ruleBase(b, { group: groupId, direction, what: r.address, path: r.path }, v, 'protocol');
  if (!base) return;
  const peers: [SgPeer, Path][] = [
    ...cidrPeers(b, v.cidr_blocks, [...r.path, 'cidr_blocks'], false, r.address),
    ...cidrPeers(b, v.ipv6_cidr_blocks, [...r.path, 'ipv6_cidr_blocks'], true, r.address),
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

export const readVpcGroupRule = (b: AwsBuilder, known: Known, r: Resource): void => {
  const v = r.values;
  const groupId = ownerGroup(b, known, r);
  if (!groupId) return;
  const direction = r.type.endsWith('egress_rule') ? 'egress' : 'ingress';
  const base = ruleBase(b, { group: groupId, direction, what: r.address, path: r.path }, v, 'ip_protocol');
  if (!base) return;
  let peer: SgPeer | undefined;
  let pp: Path = r.path;
  const cidr4 = str(v, 'cidr_ipv4');
  const cidr6 = str(v, 'cidr_ipv6');
  const prefix = str(v, 'prefix_list_id');
  const ref = str(v, 'referenced_security_group_id');
  for (const [cidr, key, v6] of [
    [cidr4, 'cidr_ipv4', false],
    [cidr6, 'cidr_ipv6', true],
  ] as const) {
    if (cidr !== undefined && !isCidrOf(cidr, v6)) {
      b.diag([...r.path, key], `${r.address}: "${cidr}" is not an ${v6 ? 'IPv6' : 'IPv4'} CIDR; the rule is dropped`);
      return;
    }
  }
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
