// aws ec2 describe-security-groups: each group a segment, each permission peer one rule.
import type { SgPeer, SgPermissionRule } from '../../model/types';
import { type AwsBuilder, arnPart, eachObject, type Path, str } from './builder';
import { awsIds } from './conventions';
import { checkPermission, isCidrOf } from './permission';
import { addGroup, checkGroupReference, type GroupKeys, groupFacts, type Known } from './segments';

const PEER_LISTS = [
  ['IpRanges', 'CidrIp'],
  ['Ipv6Ranges', 'CidrIpv6'],
  ['PrefixListIds', 'PrefixListId'],
  ['UserIdGroupPairs', 'GroupId'],
] as const;

const GROUP_KEYS: GroupKeys = { name: 'GroupName', description: 'Description', vpc: 'VpcId', tags: 'Tags' };

export const readSecurityGroups = (b: AwsBuilder, known: Known, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'SecurityGroups', (g, p) => {
    const groupId = str(g, 'GroupId');
    if (!groupId) return b.diag(p, 'security group without GroupId; skipped');
    const ownerId = str(g, 'OwnerId');
    const region = arnPart(str(g, 'SecurityGroupArn'), 'region');
    const group = addGroup(b, { groupId, ...groupFacts(g, GROUP_KEYS), ownerId, region }, p);
    for (const [direction, key] of [
      ['ingress', 'IpPermissions'],
      ['egress', 'IpPermissionsEgress'],
    ] as const) {
      eachObject(b, g[key], [...p, key], key, (perm, pp, i) => {
        const checked = checkPermission(perm, { protocol: 'IpProtocol', from: 'FromPort', to: 'ToPort' });
        if (!checked.ok) {
          // Never read wider (all ports, all protocols): the permission is dropped, where it is written.
          const at = perm[checked.key] === undefined ? pp : [...pp, checked.key];
          return b.diag(at, `${groupId} ${direction} permission ${i}: ${checked.message}; the permission is dropped`);
        }
        const base: Omit<SgPermissionRule, 'id' | 'peer'> = {
          type: 'sg-permission',
          level: 'group',
          group,
          direction,
          protocol: checked.protocol,
        };
        if (checked.fromPort !== undefined) base.fromPort = checked.fromPort;
        if (checked.toPort !== undefined) base.toPort = checked.toPort;
        let k = 0;
        for (const [listKey, idKey] of PEER_LISTS) {
          eachObject(b, perm[listKey], [...pp, listKey], listKey, (item, ip, j) => {
            const ref = str(item, idKey);
            if (!ref) return b.diag(ip, `${listKey}[${j}] has no ${idKey}; skipped`, 'warn');
            let peer: SgPeer;
            if (listKey === 'IpRanges' || listKey === 'Ipv6Ranges') {
              if (!isCidrOf(ref, listKey === 'Ipv6Ranges'))
                return b.diag(
                  [...ip, idKey],
                  `${idKey} "${ref}" is not an ${listKey === 'IpRanges' ? 'IPv4' : 'IPv6'} CIDR; this peer is dropped`,
                );
              peer = { kind: 'cidr', cidr: ref };
            } else if (listKey === 'PrefixListIds') peer = { kind: 'prefix-list', prefixListId: ref };
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
