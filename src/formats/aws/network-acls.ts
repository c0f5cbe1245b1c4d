// aws ec2 describe-network-acls: each ACL one rule with its numbered entries and the subnets it is associated with.
import { isValidNet } from '../../model/cidr';
import type { NetworkAclEntry, NetworkAclRule } from '../../model/types';
import { type AwsBuilder, bool, eachObject, isObj, num, type Obj, type Path, str, tagMap } from './builder';
import { awsIds } from './conventions';
import { addSubnet } from './segments';

/** The last rule of each direction ("*"), which the CLI prints as 32767 and which denies what nothing else matched. */
export const DEFAULT_RULE_NUMBER = 32767;

const portsNeeded = (protocol: string): boolean => ['6', '17', 'tcp', 'udp'].includes(protocol.toLowerCase());

/**
 * One entry, or why it cannot be read. An entry that cannot be read is never dropped in a way that
 * widens: an allow is dropped (less is allowed), anything else is kept as a deny of everything at its
 * place (`damaged`), so traffic it might have denied stays denied.
 */
const readEntry = (b: AwsBuilder, aclId: string, e: Obj, p: Path): NetworkAclEntry[] => {
  const ruleNumber = num(e, 'RuleNumber');
  const action = str(e, 'RuleAction')?.toLowerCase();
  const egress = bool(e, 'Egress');
  const rawProtocol = e.Protocol;
  const protocol = typeof rawProtocol === 'number' ? String(rawProtocol) : str(e, 'Protocol');
  const cidr = str(e, 'CidrBlock') ?? str(e, 'Ipv6CidrBlock');
  const range = isObj(e.PortRange) ? e.PortRange : undefined;
  const from = range ? num(range, 'From') : undefined;
  const to = range ? num(range, 'To') : undefined;
  const problems: [Path, string][] = [];
  if (ruleNumber === undefined || !Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > DEFAULT_RULE_NUMBER)
    problems.push([[...p, 'RuleNumber'], 'RuleNumber must be a whole number from 1 to 32766 (or 32767 for *)']);
  if (action !== 'allow' && action !== 'deny')
    problems.push([[...p, 'RuleAction'], 'RuleAction must be allow or deny']);
  if (egress === undefined) problems.push([[...p, 'Egress'], 'Egress must be true or false']);
  if (!protocol) problems.push([[...p, 'Protocol'], 'Protocol is missing']);
  if (!cidr || !isValidNet(cidr, false)) {
    const key = str(e, 'Ipv6CidrBlock') ? 'Ipv6CidrBlock' : 'CidrBlock';
    problems.push([[...p, key], `${cidr ? `"${cidr}" is not a CIDR` : 'CidrBlock or Ipv6CidrBlock is missing'}`]);
  }
  if (protocol && portsNeeded(protocol)) {
    const ok = (v: number | undefined) => v !== undefined && Number.isInteger(v) && v >= 0 && v <= 65535;
    if (!ok(from) || !ok(to) || (from as number) > (to as number))
      problems.push([[...p, 'PortRange'], 'a TCP or UDP entry needs PortRange From ≤ To within 0–65535']);
  }
  const where = `${aclId} ${egress ? 'outbound' : egress === false ? 'inbound' : ''} rule ${ruleNumber ?? '?'}`;
  if (problems.length > 0) {
    const [first, ...rest] = problems;
    const [path, message] = first as [Path, string];
    const kept = action !== 'allow';
    b.diag(
      path,
      `${where}: ${message}${rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : ''}; ${kept ? 'kept as a deny of everything, so nothing is widened' : 'dropped (less is allowed, nothing is widened)'}`,
    );
    if (!kept) return [];
    // Unknown direction: both directions keep the deny.
    return (egress === undefined ? [false, true] : [egress]).map((eg) => ({
      ruleNumber: ruleNumber !== undefined && Number.isInteger(ruleNumber) ? ruleNumber : 0,
      egress: eg,
      action: 'deny',
      protocol: '-1',
      cidr: cidr ?? '0.0.0.0/0',
      damaged: true,
      source: b.at(p),
    }));
  }
  const entry: NetworkAclEntry = {
    ruleNumber: ruleNumber as number,
    egress: egress as boolean,
    action: action as 'allow' | 'deny',
    protocol: protocol as string,
    cidr: cidr as string,
    source: b.at(p),
  };
  if (protocol && portsNeeded(protocol)) {
    entry.fromPort = from as number;
    entry.toPort = to as number;
  }
  return [entry];
};

export const readNetworkAcls = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'NetworkAcls', (acl, p) => {
    const aclId = str(acl, 'NetworkAclId');
    if (!aclId) return b.diag(p, 'network ACL without NetworkAclId; skipped');
    const vpcId = str(acl, 'VpcId');
    const accountId = str(acl, 'OwnerId');
    const vpc = b.vpc(vpcId, { accountId }, p);
    const subnets: string[] = [];
    eachObject(b, acl.Associations, [...p, 'Associations'], 'Associations', (a, ap) => {
      const subnetId = str(a, 'SubnetId');
      if (!subnetId) return b.diag(ap, `${aclId}: association without SubnetId; skipped`, 'warn');
      if (!b.getSegment(awsIds.network(subnetId))) addSubnet(b, { subnetId, vpcId, accountId, cidrs: [] }, ap, true);
      subnets.push(awsIds.network(subnetId));
    });
    const entries: NetworkAclEntry[] = [];
    const seen = new Map<string, Path>();
    eachObject(b, acl.Entries, [...p, 'Entries'], 'Entries', (e, ep) => {
      for (const entry of readEntry(b, aclId, e, ep)) {
        const key = `${entry.egress}:${entry.ruleNumber}`;
        if (!entry.damaged && seen.has(key)) {
          b.diag(
            [...ep, 'RuleNumber'],
            `${aclId}: ${entry.egress ? 'outbound' : 'inbound'} rule ${entry.ruleNumber} appears twice (numbers are unique per direction); the first one is kept`,
            'warn',
          );
          continue;
        }
        seen.set(key, ep);
        entries.push(entry);
      }
    });
    const tags = tagMap(acl.Tags);
    const rule: NetworkAclRule = {
      id: `aws:${aclId}`,
      type: 'network-acl',
      level: 'network',
      aclId,
      subnets,
      entries,
      source: b.at(p),
    };
    if (tags?.Name) rule.name = tags.Name;
    if (vpc) rule.vpc = vpc;
    if (bool(acl, 'IsDefault') === true) rule.isDefault = true;
    b.rule(rule, p);
  });
