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
  /** What one unit of utilisation is counted against. */
  scope: QuotaScope;
  value: number;
  /** The hard maximum the provider allows when raised, if any. */
  max?: number;
  unit: string;
}

const q = (id: string, label: string, scope: QuotaScope, value: number, unit: string, max?: number): QuotaDefinition =>
  max === undefined ? { id, label, scope, value, unit } : { id, label, scope, value, unit, max };

/** Defaults from DESIGN.md; users override values per workspace (`workspace.quotas`). */
export const DEFAULT_QUOTAS: readonly QuotaDefinition[] = [
  q('aws.accounts-per-organization', 'Accounts per organization', 'organization', 10, 'accounts'),
  q('aws.ou-depth', 'OU depth', 'organization', 5, 'levels'),
  q('aws.scps-per-target', 'SCPs per target', 'account', 5, 'policies'),
  q('aws.scp-size', 'SCP size', 'account', 5120, 'chars'),
  q('aws.roles-per-account', 'IAM roles per account', 'account', 1000, 'roles', 5000),
  q('aws.managed-policies-per-role', 'Managed policies per role', 'role', 10, 'policies', 20),
  q('aws.trust-policy-size', 'Role trust policy size', 'role', 2048, 'chars'),
  q('aws.vpcs-per-region', 'VPCs per region', 'region', 5, 'VPCs'),
  q('aws.subnets-per-vpc', 'Subnets per VPC', 'vpc', 200, 'subnets'),
  q('aws.cidr-blocks-per-vpc', 'CIDR blocks per VPC', 'vpc', 5, 'blocks'),
  q('aws.reserved-addresses-per-subnet', 'Reserved addresses per subnet', 'subnet', 5, 'addresses'),
  q('aws.peerings-per-vpc', 'Active peerings per VPC', 'vpc', 50, 'peerings'),
  q('aws.routes-per-table', 'Routes per route table', 'vpc', 50, 'routes'),
  q('aws.security-groups-per-region', 'Security groups per region', 'region', 2500, 'groups'),
  q('aws.inbound-rules-per-group', 'Inbound rules per security group', 'group', 60, 'rules'),
  q('aws.outbound-rules-per-group', 'Outbound rules per security group', 'group', 60, 'rules'),
  q('aws.groups-per-interface', 'Security groups per network interface', 'interface', 5, 'groups', 16),
  q('aws.rules-times-groups-per-interface', 'Rules × groups per interface', 'interface', 1000, 'rules'),
  q('aws.nacl-rules', 'NACL rules', 'vpc', 20, 'rules'),
  q('k8s.nodes', 'Nodes per cluster', 'cluster', 5000, 'nodes'),
  q('k8s.pods', 'Pods per cluster', 'cluster', 150000, 'pods'),
  q('k8s.pods-per-node', 'Pods per node', 'node', 110, 'pods'),
  q('k8s.services', 'Services per cluster', 'cluster', 10000, 'services'),
  q('iptables.services', 'Services before kube-proxy iptables slows', 'cluster', 1000, 'services'),
  q('ipset.maxelem', 'ipset maxelem', 'host', 65536, 'entries'),
  q('calico.ipset', 'Calico ipset size', 'host', 1048576, 'entries'),
  q('cilium.identities', 'Cilium identities', 'cluster', 65535, 'identities'),
  q('cilium.policy-map', 'Cilium policy map entries per endpoint', 'endpoint', 16384, 'entries'),
  q('docker.networks-per-host', 'User-defined networks per host (default pools)', 'host', 31, 'networks'),
  q('docker.bridge-ports', 'Linux bridge ports', 'network', 1023, 'ports'),
  q('docker.overlay-tasks', 'Swarm overlay /24 tasks', 'network', 250, 'tasks'),
  q('weave.connections', 'Weave connections', 'network', 200, 'connections'),
  q('vlan.ids', 'VLAN ids', 'organization', 4094, 'VLANs'),
  q('ad.kerberos-groups', 'AD Kerberos token groups', 'identity', 120, 'groups'),
  q('entra.jwt-groups', 'Entra JWT groups claim', 'identity', 200, 'groups'),
];

/** The profile in force: defaults with the workspace's overrides applied. */
export const quotaProfile = (overrides: Record<string, number> = {}): QuotaDefinition[] =>
  DEFAULT_QUOTAS.map((d) => (d.id in overrides ? { ...d, value: overrides[d.id] as number } : d));

/** Utilisation state: warn at ≥ 80 %, error above 100 %. */
export const quotaState = (used: number, limit: number): 'ok' | 'warn' | 'error' =>
  used > limit ? 'error' : used >= 0.8 * limit ? 'warn' : 'ok';
