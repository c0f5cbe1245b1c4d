// aws ec2 describe-network-acls: each ACL one rule with its numbered entries and the subnets it is associated with.
import { isValidNet } from '../../model/cidr';
import type { NetworkAclEntry, NetworkAclRule } from '../../model/types';
import { type AwsBuilder, bool, eachObject, isObj, num, type Obj, type Path, str, tagMap } from './builder';
import { associatedSubnets } from './segments';

/** The last rule of each direction ("*"), which the CLI prints as 32767 and which denies what nothing else matched. */
export const DEFAULT_RULE_NUMBER = 32767;

const portsNeeded = (protocol: string): boolean => ['6', '17', 'tcp', 'udp'].includes(protocol.toLowerCase());

/** One entry's values, read from the CLI's or Terraform's keys; `keys` names them for diagnostics. */
export interface EntryFields {
  ruleNumber: number | undefined;
  action: string | undefined;
  egress: boolean | undefined;
  protocol: string | undefined;
  cidr: string | undefined;
  ipv6: string | undefined;
  from: number | undefined;
  to: number | undefined;
  keys: {
    ruleNumber: string;
    action: string;
    egress: string;
    protocol: string;
    cidr: string;
    ipv6: string;
    ports: string;
    portsText: string;
  };
}

const CLI_KEYS: EntryFields['keys'] = {
  ruleNumber: 'RuleNumber',
  action: 'RuleAction',
  egress: 'Egress',
  protocol: 'Protocol',
  cidr: 'CidrBlock',
  ipv6: 'Ipv6CidrBlock',
  ports: 'PortRange',
  portsText: 'PortRange From ≤ To',
};

/** A protocol given as a number or a string, as the CLI and Terraform both may. */
export const protocolOf = (o: Obj, key: string): string | undefined =>
  typeof o[key] === 'number' ? String(o[key]) : str(o, key);

const cliEntry = (e: Obj): EntryFields => {
  const range = isObj(e.PortRange) ? e.PortRange : undefined;
  return {
    ruleNumber: num(e, 'RuleNumber'),
    action: str(e, 'RuleAction'),
    egress: bool(e, 'Egress'),
    protocol: protocolOf(e, 'Protocol'),
    cidr: str(e, 'CidrBlock'),
    ipv6: str(e, 'Ipv6CidrBlock'),
    from: range ? num(range, 'From') : undefined,
    to: range ? num(range, 'To') : undefined,
    keys: CLI_KEYS,
  };
};

/**
 * One entry, or why it cannot be read. An entry that cannot be read is never dropped in a way that
 * widens: an allow is dropped (less is allowed), anything else is kept as a deny of everything at its
 * place (`damaged`), so traffic it might have denied stays denied.
 */
export const readEntry = (b: AwsBuilder, aclId: string, f: EntryFields, p: Path): NetworkAclEntry[] => {
  const { ruleNumber, egress, from, to } = f;
  const action = f.action?.toLowerCase();
  const protocol = f.protocol;
  const cidr = f.cidr ?? f.ipv6;
  const { keys } = f;
  const problems: [Path, string][] = [];
  if (ruleNumber === undefined || !Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > DEFAULT_RULE_NUMBER)
    problems.push([
      [...p, keys.ruleNumber],
      `${keys.ruleNumber} must be a whole number from 1 to 32766 (or 32767 for *)`,
    ]);
  if (action !== 'allow' && action !== 'deny')
    problems.push([[...p, keys.action], `${keys.action} must be allow or deny`]);
  if (egress === undefined) problems.push([[...p, keys.egress], `${keys.egress} must be true or false`]);
  if (!protocol) problems.push([[...p, keys.protocol], `${keys.protocol} is missing`]);
  if (!cidr || !isValidNet(cidr, false)) {
    const key = f.cidr === undefined && f.ipv6 !== undefined ? keys.ipv6 : keys.cidr;
    problems.push([[...p, key], `${cidr ? `"${cidr}" is not a CIDR` : `${keys.cidr} or ${keys.ipv6} is missing`}`]);
  }
  if (protocol && portsNeeded(protocol)) {
    const ok = (v: number | undefined) => v !== undefined && Number.isInteger(v) && v >= 0 && v <= 65535;
    if (!ok(from) || !ok(to) || (from as number) > (to as number))
      problems.push([[...p, keys.ports], `a TCP or UDP entry needs ${keys.portsText} within 0–65535`]);
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

/** What both readers know of one ACL; entries still to be read, each with the path it was written at. */
export interface AclFacts {
  aclId: string;
  vpcId: string | undefined;
  accountId: string | undefined;
  subnets: { subnetId: string; path: Path }[];
  entries: { fields: EntryFields; path: Path }[];
  name?: string | undefined;
  isDefault?: boolean;
}

/** One ACL as a rule: its subnets (stubs for undescribed ones) and entries, a rule number used twice kept once. */
export const addNetworkAcl = (b: AwsBuilder, facts: AclFacts, p: Path): void => {
  const { aclId, vpcId, accountId } = facts;
  const vpc = b.vpc(vpcId, { accountId }, p);
  const subnets = associatedSubnets(b, facts.subnets, vpcId, accountId);
  const entries: NetworkAclEntry[] = [];
  const seen = new Set<string>();
  for (const { fields, path: ep } of facts.entries) {
    for (const entry of readEntry(b, aclId, fields, ep)) {
      const key = `${entry.egress}:${entry.ruleNumber}`;
      if (!entry.damaged && seen.has(key)) {
        b.diag(
          [...ep, fields.keys.ruleNumber],
          `${aclId}: ${entry.egress ? 'outbound' : 'inbound'} rule ${entry.ruleNumber} appears twice (numbers are unique per direction); the first one is kept`,
          'warn',
        );
        continue;
      }
      seen.add(key);
      entries.push(entry);
    }
  }
  const rule: NetworkAclRule = {
    id: `aws:${aclId}`,
    type: 'network-acl',
    level: 'network',
    aclId,
    subnets,
    entries,
    source: b.at(p),
  };
  if (facts.name) rule.name = facts.name;
  if (vpc) rule.vpc = vpc;
  if (facts.isDefault) rule.isDefault = true;
  b.rule(rule, p);
};

export const readNetworkAcls = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'NetworkAcls', (acl, p) => {
    const aclId = str(acl, 'NetworkAclId');
    if (!aclId) return b.diag(p, 'network ACL without NetworkAclId; skipped');
    const subnets: AclFacts['subnets'] = [];
    eachObject(b, acl.Associations, [...p, 'Associations'], 'Associations', (a, ap) => {
      const subnetId = str(a, 'SubnetId');
      if (!subnetId) return b.diag(ap, `${aclId}: association without SubnetId; skipped`, 'warn');
      subnets.push({ subnetId, path: ap });
    });
    const entries: AclFacts['entries'] = [];
    eachObject(b, acl.Entries, [...p, 'Entries'], 'Entries', (e, ep) => {
      entries.push({ fields: cliEntry(e), path: ep });
    });
    addNetworkAcl(
      b,
      {
        aclId,
        vpcId: str(acl, 'VpcId'),
        accountId: str(acl, 'OwnerId'),
        subnets,
        entries,
        name: tagMap(acl.Tags)?.Name,
        isDefault: bool(acl, 'IsDefault') === true,
      },
      p,
    );
  });
