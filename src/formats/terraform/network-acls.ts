// aws_network_acl, aws_default_network_acl, aws_network_acl_rule and aws_network_acl_association → network ACL rules.
import { type AwsBuilder, bool, num, type Obj, type Path, str, tagMap } from '../aws/builder';
import { type AclFacts, addNetworkAcl, type EntryFields, protocolOf } from '../aws/network-acls';
import { createdId, list, type Resource } from './resources';

/** The keys of an inline `ingress`/`egress` block (Terraform registry, aws_network_acl). */
const INLINE_KEYS: EntryFields['keys'] = {
  ruleNumber: 'rule_no',
  action: 'action',
  egress: 'egress',
  protocol: 'protocol',
  cidr: 'cidr_block',
  ipv6: 'ipv6_cidr_block',
  ports: 'from_port',
  portsText: 'from_port ≤ to_port',
};

/** The keys of aws_network_acl_rule (Terraform registry, aws_network_acl_rule). */
const RULE_KEYS: EntryFields['keys'] = { ...INLINE_KEYS, ruleNumber: 'rule_number', action: 'rule_action' };

/** The provider records `-1` for every protocol; its configuration also accepts `all`. */
const protocol = (o: Obj): string | undefined => {
  const p = protocolOf(o, 'protocol');
  return p?.toLowerCase() === 'all' ? '-1' : p;
};

const fields = (o: Obj, keys: EntryFields['keys'], egress: boolean | undefined): EntryFields => ({
  ruleNumber: num(o, keys.ruleNumber),
  action: str(o, keys.action),
  egress,
  protocol: protocol(o),
  cidr: str(o, 'cidr_block'),
  ipv6: str(o, 'ipv6_cidr_block'),
  from: num(o, 'from_port'),
  to: num(o, 'to_port'),
  keys,
});

const ACL_TYPES = ['aws_network_acl', 'aws_default_network_acl'];

/**
 * The ACLs of a state. Subnets come from `subnet_ids` and from aws_network_acl_association; entries from
 * the inline blocks and from aws_network_acl_rule (which replaces the inline copy of itself that a
 * refreshed state holds). The provider leaves the final `*` rules out of the
 * state; the network level denies what no numbered entry matches, as they would. Rules or associations
 * of an ACL the state does not describe are not applied (its subnets do not restrict): reporting them
 * keeps a partial ACL from deciding.
 */
export const readTerraformNetworkAcls = (b: AwsBuilder, of: (type: string) => Resource[]): void => {
  const acls = new Map<string, { facts: AclFacts; path: Path }>();
  for (const r of ACL_TYPES.flatMap(of)) {
    const v = r.values;
    const aclId = createdId(b, r, 'default_network_acl_id');
    if (!aclId) continue;
    const entries: AclFacts['entries'] = [];
    for (const direction of ['ingress', 'egress'] as const) {
      const blocks = Array.isArray(v[direction]) ? (v[direction] as unknown[]) : [];
      blocks.forEach((block, j) => {
        if (block && typeof block === 'object' && !Array.isArray(block))
          entries.push({
            fields: fields(block as Obj, INLINE_KEYS, direction === 'egress'),
            path: [...r.path, direction, j],
          });
      });
    }
    const subnets = list(v.subnet_ids).map((subnetId, k) => ({ subnetId, path: [...r.path, 'subnet_ids', k] }));
    const facts: AclFacts = {
      aclId,
      vpcId: str(v, 'vpc_id'),
      accountId: str(v, 'owner_id'),
      subnets,
      entries,
      name: tagMap(v.tags)?.Name,
      isDefault: r.type === 'aws_default_network_acl',
    };
    acls.set(aclId, { facts, path: r.path });
  }
  const undescribed = new Map<string, { path: Path; count: number }>();
  const owner = (r: Resource) => {
    const id = str(r.values, 'network_acl_id');
    const acl = id ? acls.get(id) : undefined;
    if (!acl) {
      const key = id ?? '(none)';
      const at = undescribed.get(key) ?? { path: r.path, count: 0 };
      undescribed.set(key, { ...at, count: at.count + 1 });
    }
    return acl;
  };
  for (const r of of('aws_network_acl_rule')) {
    const acl = owner(r);
    if (!acl) continue;
    const entry = { fields: fields(r.values, RULE_KEYS, bool(r.values, 'egress')), path: r.path };
    // An ACL's ingress/egress are also computed: refreshed, they copy the entries its rule resources made.
    // The rule resource is the one written by hand, so it replaces the copy.
    const copy = acl.facts.entries.findIndex(
      (e) =>
        e.fields.keys === INLINE_KEYS &&
        e.fields.egress === entry.fields.egress &&
        e.fields.ruleNumber === entry.fields.ruleNumber,
    );
    if (copy >= 0) acl.facts.entries.splice(copy, 1, entry);
    else acl.facts.entries.push(entry);
  }
  for (const r of of('aws_network_acl_association')) {
    const subnetId = str(r.values, 'subnet_id');
    const acl = owner(r);
    if (acl && subnetId) acl.facts.subnets.push({ subnetId, path: [...r.path, 'subnet_id'] });
  }
  for (const [id, at] of undescribed) {
    b.diag(
      at.path,
      `network ACL ${id} is not described in this state (no aws_network_acl or aws_default_network_acl): its ${at.count} rule(s) and association(s) are not applied, and the subnets it governs do not restrict`,
      'warn',
    );
  }
  for (const { facts, path } of acls.values()) addNetworkAcl(b, facts, path);
};
