// The quota profile of DESIGN.md: the limits in force, as editable data keyed by quota id.

export type QuotaScope =
  | 'organization'
  | 'account'
  | 'role'
  | 'region'
  | 'vpc'
  | 'subnet'
  | 'group'
  | 'interface'
  | 'cluster'
  | 'node'
  | 'host'
  | 'network'
  | 'endpoint'
  | 'identity';

export interface QuotaDefinition {
  id: string;
  label: string;
  /** What is counted, as a person says it after "4 of 5": "inbound rules". */
  noun: string;
  /** What one unit of utilisation is counted against. */
  scope: QuotaScope;
  value: number;
  /** The hard maximum the provider allows when raised, if any. */
  max?: number;
  unit: string;
}

const q = (
  id: string,
  label: string,
  noun: string,
  scope: QuotaScope,
  value: number,
  unit: string,
  max?: number,
): QuotaDefinition =>
  max === undefined ? { id, label, noun, scope, value, unit } : { id, label, noun, scope, value, unit, max };

/** Defaults from DESIGN.md; users override values per workspace (`workspace.quotas`). */
// biome-ignore format: a table, one quota a line (id, label, noun, scope, value, unit, max)
export const DEFAULT_QUOTAS: readonly QuotaDefinition[] = [
  q('aws.accounts-per-organization', 'Accounts per organization', 'accounts', 'organization', 10, 'accounts'),
  q('aws.ou-depth', 'OU depth', 'levels of OUs', 'organization', 5, 'levels'),
  q('aws.scps-per-target', 'SCPs per target', 'SCPs', 'account', 5, 'policies'),
  q('aws.scp-size', 'SCP size', 'characters of SCP', 'account', 5120, 'chars'),
  q('aws.roles-per-account', 'IAM roles per account', 'IAM roles', 'account', 1000, 'roles', 5000),
  q('aws.managed-policies-per-role', 'Managed policies per role', 'managed policies', 'role', 10, 'policies', 20),
  q('aws.trust-policy-size', 'Role trust policy size', 'characters of trust policy', 'role', 2048, 'chars'),
  q('aws.vpcs-per-region', 'VPCs per region', 'VPCs', 'region', 5, 'VPCs'),
  q('aws.subnets-per-vpc', 'Subnets per VPC', 'subnets', 'vpc', 200, 'subnets'),
  q('aws.cidr-blocks-per-vpc', 'CIDR blocks per VPC', 'CIDR blocks', 'vpc', 5, 'blocks'),
  q('aws.reserved-addresses-per-subnet', 'Reserved addresses per subnet', 'usable addresses in use', 'subnet', 5, 'addresses'),
  q('aws.peerings-per-vpc', 'Active peerings per VPC', 'active peerings', 'vpc', 50, 'peerings'),
  q('aws.routes-per-table', 'Routes per route table', 'routes', 'vpc', 50, 'routes'),
  q('aws.security-groups-per-region', 'Security groups per region', 'security groups', 'region', 2500, 'groups'),
  q('aws.inbound-rules-per-group', 'Inbound rules per security group', 'inbound rules', 'group', 60, 'rules'),
  q('aws.outbound-rules-per-group', 'Outbound rules per security group', 'outbound rules', 'group', 60, 'rules'),
  q('aws.groups-per-interface', 'Security groups per network interface', 'security groups on one interface', 'interface', 5, 'groups', 16),
  q('aws.rules-times-groups-per-interface', 'Rules × groups per interface', 'rules in the groups of one interface', 'interface', 1000, 'rules'),
  q('aws.nacl-rules', 'NACL rules per direction', 'rules one way in a network ACL', 'subnet', 20, 'rules'),
  q('k8s.nodes', 'Nodes per cluster', 'nodes', 'cluster', 5000, 'nodes'),
  q('k8s.pods', 'Pods per cluster', 'pods', 'cluster', 150000, 'pods'),
  q('k8s.pods-per-node', 'Pods per node', 'pods', 'node', 110, 'pods'),
  q('k8s.services', 'Services per cluster', 'services', 'cluster', 10000, 'services'),
  q('iptables.services', 'Services before kube-proxy iptables slows', 'services kube-proxy iptables handles well', 'cluster', 1000, 'services'),
  q('ipset.maxelem', 'ipset maxelem', 'ipset entries', 'host', 65536, 'entries'),
  q('calico.ipset', 'Calico ipset size', 'Calico ipset entries', 'host', 1048576, 'entries'),
  q('cilium.identities', 'Cilium identities', 'Cilium identities', 'cluster', 65535, 'identities'),
  q('cilium.policy-map', 'Cilium policy map entries per endpoint', 'Cilium policy map entries', 'endpoint', 16384, 'entries'),
  q('docker.networks-per-host', 'User-defined networks per host (default pools)', 'user-defined networks (default address pools)', 'host', 31, 'networks'),
  q('docker.bridge-ports', 'Linux bridge ports', 'bridge ports', 'network', 1023, 'ports'),
  q('docker.overlay-tasks', 'Swarm overlay /24 tasks', 'tasks on a /24 overlay', 'network', 250, 'tasks'),
  q('weave.connections', 'Weave connections', 'Weave connections', 'network', 200, 'connections'),
  q('vlan.ids', 'VLAN ids', 'VLAN ids', 'organization', 4094, 'VLANs'),
  q('ad.kerberos-groups', 'AD Kerberos token groups', 'groups in a Kerberos token', 'identity', 120, 'groups'),
  q('entra.jwt-groups', 'Entra JWT groups claim', 'groups in the JWT claim', 'identity', 200, 'groups'),
];

/** The profile in force: defaults with the workspace's overrides applied. */
export const quotaProfile = (overrides: Record<string, number> = {}): QuotaDefinition[] =>
  DEFAULT_QUOTAS.map((d) => (d.id in overrides ? { ...d, value: overrides[d.id] as number } : d));

/** Utilisation state: warn at ≥ 80 %, error above 100 %. */
export const quotaState = (used: number, limit: number): 'ok' | 'warn' | 'error' =>
  used > limit ? 'error' : used >= 0.8 * limit ? 'warn' : 'ok';
