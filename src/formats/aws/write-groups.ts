// describe-security-groups and managed prefix lists as the AWS writer writes them.
import { type ExportedFile, jsonText, type Obj } from '../../export/format';
import type { PrefixListRule, SgPermissionRule } from '../../model/types';
import { type AwsWriter, attr, defined, isStub, isV6, tagList } from './write-context';

/** Permissions of one group and direction: kept as imported (`sg:` ids name them), new rules grouped by port range. */
export const permissions = (
  w: AwsWriter,
  groupId: string,
  direction: 'ingress' | 'egress',
  rules: SgPermissionRule[],
): Obj[] => {
  const idPattern = new RegExp(`^sg:${groupId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${direction}:(\\d+):(\\d+)$`);
  const perms = new Map<string, { proto: string; from?: number; to?: number; peers: [number, SgPermissionRule][] }>();
  const shape = (r: SgPermissionRule) => `${r.protocol}/${r.fromPort ?? ''}/${r.toPort ?? ''}`;
  const fresh: SgPermissionRule[] = [];
  for (const r of rules) {
    const m = idPattern.exec(r.id);
    const key = m ? `i${m[1]}` : undefined;
    const p = key ? perms.get(key) : undefined;
    if (!m || !key || (p && shape(r) !== `${p.proto}/${p.from ?? ''}/${p.to ?? ''}`)) {
      fresh.push(r);
      continue;
    }
    if (p) p.peers.push([Number(m[2]), r]);
    else perms.set(key, { proto: r.protocol, from: r.fromPort, to: r.toPort, peers: [[Number(m[2]), r]] });
  }
  const ordered = [...perms.entries()].sort((a, b) => Number(a[0].slice(1)) - Number(b[0].slice(1))).map(([, p]) => p);
  for (const r of fresh) {
    // AWS prints one permission per protocol and port range: a new peer joins the one it matches.
    const p = ordered.find((x) => `${x.proto}/${x.from ?? ''}/${x.to ?? ''}` === shape(r));
    if (p) p.peers.push([Math.max(-1, ...p.peers.map(([k]) => k)) + 1, r]);
    else ordered.push({ proto: r.protocol, from: r.fromPort, to: r.toPort, peers: [[0, r]] });
  }
  return ordered.map((p) => {
    const peers = [...p.peers].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    const desc = (r: SgPermissionRule) => (r.description !== undefined ? { Description: r.description } : {});
    const v4: Obj[] = [];
    const v6: Obj[] = [];
    const lists: Obj[] = [];
    const pairs: Obj[] = [];
    for (const r of peers) {
      const peer = r.peer;
      if (peer.kind === 'cidr')
        (isV6(peer.cidr) ? v6 : v4).push(
          isV6(peer.cidr) ? { CidrIpv6: peer.cidr, ...desc(r) } : { CidrIp: peer.cidr, ...desc(r) },
        );
      else if (peer.kind === 'prefix-list') lists.push({ PrefixListId: peer.prefixListId, ...desc(r) });
      else {
        pairs.push(
          defined([
            ['Description', r.description],
            ['GroupId', w.groupId(peer.group)],
            ['UserId', peer.userId],
            ['VpcId', peer.vpcId],
            ['VpcPeeringConnectionId', peer.vpcPeeringConnectionId],
          ]),
        );
      }
    }
    return defined([
      ['IpProtocol', p.proto],
      ['FromPort', p.from],
      ['ToPort', p.to],
      ['IpRanges', v4],
      ['Ipv6Ranges', v6],
      ['PrefixListIds', lists],
      ['UserIdGroupPairs', pairs],
    ]);
  });
};

/** Every described group, and every group that owns rules. */
export const securityGroups = (w: AwsWriter): Obj[] => {
  const rulesBy = new Map<string, SgPermissionRule[]>();
  for (const r of w.ws.rules) {
    if (r.type !== 'sg-permission') continue;
    rulesBy.set(r.group, [...(rulesBy.get(r.group) ?? []), r]);
  }
  const ids = [
    ...w.ws.segments
      .filter((s) => s.level === 'group' && (!isStub(s) || rulesBy.has(s.id)) && s.attributes?.kind !== 'prefix-list')
      .map((s) => s.id),
    ...[...rulesBy.keys()].filter((id) => !w.seg.has(id)),
  ];
  return ids.map((segId) => {
    const s = w.seg.get(segId);
    const groupId = w.groupId(segId);
    const rules = rulesBy.get(segId) ?? [];
    const owner = attr(s, 'ownerId') ?? w.accountOf(s);
    const vpc = w.vpcOf(attr(s, 'vpc') ?? s?.parent);
    const region = attr(s, 'region') ?? attr(vpc ? w.seg.get(vpc) : undefined, 'region');
    // Every group has a name in AWS; one known only by id is named by it.
    const name = s && s.name !== groupId ? s.name : (attr(s, 'name') ?? groupId);
    return defined([
      ['Description', typeof s?.attributes?.description === 'string' ? s.attributes.description : undefined],
      ['GroupName', name],
      [
        'IpPermissions',
        permissions(
          w,
          groupId,
          'ingress',
          rules.filter((r) => r.direction === 'ingress'),
        ),
      ],
      ['OwnerId', owner],
      ['GroupId', groupId],
      [
        'IpPermissionsEgress',
        permissions(
          w,
          groupId,
          'egress',
          rules.filter((r) => r.direction === 'egress'),
        ),
      ],
      ['Tags', tagList(s?.labels)],
      ['VpcId', vpc ? w.networkId(vpc, 'vpcId') : undefined],
      ['SecurityGroupArn', region && owner ? `arn:aws:ec2:${region}:${owner}:security-group/${groupId}` : undefined],
    ]);
  });
};

/**
 * Described prefix lists (`aws:pl-…`) go to one describe-managed-prefix-lists file as pages, with
 * their entries next to them; entries alone (`aws:pl-…:entries`) to get-managed-prefix-list-entries files.
 */
export const prefixLists = (w: AwsWriter): ExportedFile[] => {
  const lists = w.ws.rules.filter((r): r is PrefixListRule => r.type === 'prefix-list');
  const described = lists.filter((r) => !r.id.endsWith(':entries'));
  const files: ExportedFile[] = [];
  if (described.length > 0) {
    const pages: Obj[] = [
      {
        PrefixLists: described.map((r) =>
          defined([
            ['PrefixListId', r.prefixListId],
            ['PrefixListName', r.name],
            ['MaxEntries', r.maxEntries],
          ]),
        ),
      },
      ...described.map((r) => ({ PrefixListId: r.prefixListId, Entries: r.cidrs.map((Cidr) => ({ Cidr })) })),
    ];
    files.push({ name: 'describe-managed-prefix-lists.json', text: jsonText(pages) });
  }
  for (const r of lists) {
    if (!r.id.endsWith(':entries')) continue;
    if (described.some((d) => d.prefixListId === r.prefixListId)) {
      w.notes.item('prefix-list entries written with their described list', r.id);
      continue;
    }
    files.push({
      name: `get-managed-prefix-list-entries-${r.prefixListId}.json`,
      text: jsonText({ Entries: r.cidrs.map((Cidr) => ({ Cidr })) }),
    });
  }
  return files;
};
