// The workspace model of DESIGN.md: plain, serialisable data shared by app, worker, CLI and tests.

/** The six mechanism levels, coarse to fine. Order matters: bands are drawn in this order. */
export const LEVELS = ['account', 'role', 'network', 'group', 'policy', 'overlay'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_TITLES: Record<Level, string> = {
  account: 'Accounts / datacenters',
  role: 'IAM / AD roles',
  network: 'VPC / VLAN networks',
  group: 'Security groups',
  policy: 'iptables / Calico / K8s policy',
  overlay: 'Docker links / overlay',
};

/** Where a thing came from: 1-based line and column in the named file. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** Shared by diagnostics and findings: one word per idea. */
export type Severity = 'error' | 'warn' | 'info';

/** A problem found while reading input; import never throws, it returns these. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
  /** JSON pointer or YAML path of the offending value, when known. */
  path?: string;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A port a service listens on. */
export interface ServicePort {
  port: number;
  protocol?: Protocol;
  /** Named port (K8s containerPort name), used to resolve named policy ports. */
  name?: string;
  /** Published on the host (Compose `ports`, K8s NodePort/LoadBalancer). */
  published?: boolean;
  /** Ingress/Route objects that route to this port (`Ingress ns/name`): their controller reaches it. */
  routed?: string[];
}

export type ServiceKind = 'service' | 'datastore' | 'external' | 'gateway';

/** How a service is placed on hosts; drives the exposed-colocated finding. */
export interface Placement {
  host?: string;
  mode?: 'bare-metal' | 'shared-vm' | 'dedicated-vm' | 'container';
}

/** Per level, the ids of the segments a service belongs to. Absent level = no data. */
export type Memberships = Partial<Record<Level, string[]>>;

export interface Service {
  id: string;
  name: string;
  kind: ServiceKind;
  /** Kubernetes namespace, Compose project, … : the scope the name is unique in. */
  namespace?: string;
  labels?: Record<string, string>;
  ports?: ServicePort[];
  /** Reachable from the internet. */
  exposed?: boolean;
  critical?: boolean;
  /** Runs in its host's network namespace (K8s `hostNetwork: true`): pod policy does not apply to it. */
  hostNetwork?: boolean;
  placement?: Placement;
  /** Private IP addresses (v4 or v6). */
  addresses?: string[];
  replicas?: number;
  /** Compose profiles gating the service; a gated service is imported but marked. */
  profiles?: string[];
  memberships: Memberships;
  source?: SourceLocation[];
  /** Everything the importer did not model, kept so export loses nothing. */
  extra?: Record<string, unknown>;
}

export interface Segment {
  id: string;
  level: Level;
  name: string;
  /** A coarser (or same-level) segment this one belongs to: subnet ⊂ VPC ⊂ account. */
  parent?: string;
  /** Address ranges (VPC/subnet CIDRs, ipBlocks, docker subnets). */
  cidrs?: string[];
  labels?: Record<string, string>;
  /** Level-specific facts: region, vlan id, driver, internal, icc, compose project, … */
  attributes?: Record<string, unknown>;
  source?: SourceLocation[];
  extra?: Record<string, unknown>;
}

/** Segment kinds of Kubernetes pod networks beyond the cluster's own (OVN-Kubernetes, Multus). */
export const UDN_KIND = 'user-defined-network';
export const SECONDARY_KIND = 'secondary-network';

export type CallOrigin = 'links' | 'depends_on' | 'env' | 'observed' | 'declared';

/** A required communication from one service to another. */
export interface Call {
  from: string;
  to: string;
  port?: number;
  protocol?: Protocol;
  origin: CallOrigin;
  source?: SourceLocation;
}

// ---------------------------------------------------------------------------------------------
// Rules: each level's allow/deny data in the level's own terms.

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** Kubernetes label selector. `{}` selects everything; absent selects nothing where optional. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface PolicyPort {
  protocol?: Protocol;
  /** Number or named port; absent = all ports of the protocol. */
  port?: number | string;
  endPort?: number;
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

/** One element of `ingress` / `egress`. Absent `peers` (from/to) = all peers; absent ports = all. */
export interface PolicyRuleEntry {
  peers?: PolicyPeer[];
  ports?: PolicyPort[];
}

interface RuleBase {
  id: string;
  source?: SourceLocation;
}

/** networking.k8s.io/v1 NetworkPolicy, kept in its own terms. */
export interface K8sNetworkPolicyRule extends RuleBase {
  type: 'k8s-network-policy';
  level: 'policy';
  name: string;
  namespace: string;
  podSelector: LabelSelector;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress?: PolicyRuleEntry[];
  egress?: PolicyRuleEntry[];
  /**
   * A MultiNetworkPolicy (k8s.cni.cncf.io): the secondary networks (segment ids) it applies on. It never
   * applies on the pod network, so the pair verdicts (judged on the primary network) do not use it.
   */
  networks?: string[];
}

export type CalicoAction = 'Allow' | 'Deny' | 'Pass' | 'Log';

export interface CalicoEntityRule {
  nets?: string[];
  notNets?: string[];
  selector?: string;
  notSelector?: string;
  namespaceSelector?: string;
  serviceAccounts?: { names?: string[]; selector?: string };
  ports?: (number | string)[];
  notPorts?: (number | string)[];
}

export interface CalicoRuleEntry {
  action: CalicoAction;
  protocol?: string;
  notProtocol?: string;
  source?: CalicoEntityRule;
  destination?: CalicoEntityRule;
}

/** projectcalico.org/v3 NetworkPolicy (namespace set) or GlobalNetworkPolicy (namespace absent). */
export interface CalicoPolicyRule extends RuleBase {
  type: 'calico-policy';
  level: 'policy';
  name: string;
  namespace?: string;
  tier: string;
  order?: number;
  selector: string;
  namespaceSelector?: string;
  serviceAccountSelector?: string;
  /** Host-endpoint settings (GlobalNetworkPolicy): preDNAT and doNotTrack policies never apply to pods. */
  preDNAT?: boolean;
  doNotTrack?: boolean;
  applyOnForward?: boolean;
  types: ('Ingress' | 'Egress')[];
  ingress?: CalicoRuleEntry[];
  egress?: CalicoRuleEntry[];
}

export interface CalicoTierRule extends RuleBase {
  type: 'calico-tier';
  level: 'policy';
  name: string;
  order?: number;
  /** What happens to an endpoint the tier selects but no rule matched: Deny (default) or Pass to the next tier. */
  defaultAction?: 'Deny' | 'Pass';
}

/** Calico (Global)NetworkSet: labelled address ranges that selectors can match. */
export interface CalicoNetworkSetRule extends RuleBase {
  type: 'calico-network-set';
  level: 'policy';
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  nets: string[];
}

/** What an AdminNetworkPolicy rule does: Allow and Deny end evaluation, Pass hands the traffic to NetworkPolicy. */
export type AdminPolicyAction = 'Allow' | 'Deny' | 'Pass';

/** `pods`: pods matching podSelector in namespaces matching namespaceSelector (both required by the API). */
export interface AdminPodsSelector {
  namespaceSelector: LabelSelector;
  podSelector: LabelSelector;
}

/** Who an admin policy applies to: exactly one of the two is set. */
export interface AdminPolicySubject {
  namespaces?: LabelSelector;
  pods?: AdminPodsSelector;
}

/** One peer of an admin rule: exactly one field is set (`networks` and `nodes` on egress only). */
export interface AdminPolicyPeer {
  namespaces?: LabelSelector;
  pods?: AdminPodsSelector;
  /** CIDRs outside (or inside) the cluster. */
  networks?: string[];
  /** Nodes by their labels: matched by the addresses of the Node objects loaded. */
  nodes?: LabelSelector;
}

/** `portNumber`, `portRange` (start..end inclusive) or `namedPort` (protocol from the target's container port). */
export interface AdminPolicyPort {
  protocol?: Protocol;
  port?: number;
  endPort?: number;
  namedPort?: string;
}

export interface AdminPolicyRuleEntry {
  /** The rule's `name` in the policy, when given. */
  name?: string;
  action: AdminPolicyAction;
  peers: AdminPolicyPeer[];
  /** Absent = all ports. */
  ports?: AdminPolicyPort[];
  source?: SourceLocation;
}

/**
 * policy.networking.k8s.io AdminNetworkPolicy (tier admin), BaselineAdminNetworkPolicy (tier baseline) and
 * ClusterNetworkPolicy (v1alpha2, tier from `spec.tier`), cluster-scoped, in one shape: evaluated before
 * (admin) or after (baseline) NetworkPolicy.
 */
export interface AdminNetworkPolicyRule extends RuleBase {
  type: 'admin-network-policy';
  level: 'policy';
  /** The API kind it was read from, for texts. */
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
  tier: 'admin' | 'baseline';
  name: string;
  /** Lower first; a BaselineAdminNetworkPolicy has none (0). */
  priority: number;
  subject: AdminPolicySubject;
  ingress: AdminPolicyRuleEntry[];
  egress: AdminPolicyRuleEntry[];
}

/** Cilium's reserved identities a rule may name in fromEntities/toEntities (docs.cilium.io, Layer 3 policies, Entities based). */
export const CILIUM_ENTITIES = [
  'all',
  'world',
  'world-ipv4',
  'world-ipv6',
  'cluster',
  'host',
  'remote-node',
  'kube-apiserver',
  'ingress',
  'health',
  'init',
  'unmanaged',
  'none',
] as const;
export type CiliumEntity = (typeof CILIUM_ENTITIES)[number];

/**
 * One L3 peer of a Cilium rule: exactly one field. Selectors are in Cilium's label terms with the source
 * prefix (`k8s:`, `any:`) removed; a namespaced policy's endpoint selectors already name its namespace
 * (`io.kubernetes.pod.namespace`) where they did not, as Cilium adds it.
 */
export interface CiliumPeer {
  endpoints?: LabelSelector;
  entity?: CiliumEntity;
  cidr?: { cidr: string; except?: string[] };
  /** toFQDNs: matched against the names of services outside the cluster (segscope resolves no DNS). */
  fqdn?: { matchName?: string; matchPattern?: string };
  nodes?: LabelSelector;
}

/** `toPorts[].ports[]`: protocol ANY is TCP, UDP and SCTP; no port (or 0) is every port. */
export interface CiliumPort {
  protocol: Protocol | 'ANY';
  port?: number;
  endPort?: number;
  namedPort?: string;
}

export interface CiliumPolicyEntry {
  /** The L3 peers, any of which matches; absent = every peer (an L4-only rule). */
  peers?: CiliumPeer[];
  /** Absent = every port; empty = none of the TCP/UDP/SCTP ports (an ICMP-only rule). */
  ports?: CiliumPort[];
  /** L7 rules on the ports (`http`, `kafka`, `dns`, `l7proto`) and TLS/SNI fields: read, not modelled. */
  l7?: string[];
  /** The section it was written in (`ingress`, `ingressDeny`, …) and its index there, for texts. */
  section: 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';
  index: number;
  source?: SourceLocation;
}

/** cilium.io/v2 CiliumNetworkPolicy (namespaced) or CiliumClusterwideNetworkPolicy: one rule of `spec` or `specs`. */
export interface CiliumPolicyRule extends RuleBase {
  type: 'cilium-network-policy';
  level: 'policy';
  kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  name: string;
  namespace?: string;
  /** Index in `specs` when the object lists several rules. */
  part?: number;
  /** Pods selected (Cilium label terms); absent when the rule selects nodes (`nodeSelector`: host policy). */
  endpointSelector?: LabelSelector;
  nodeSelector?: LabelSelector;
  ingress: CiliumPolicyEntry[];
  egress: CiliumPolicyEntry[];
  ingressDeny: CiliumPolicyEntry[];
  egressDeny: CiliumPolicyEntry[];
  /** Whether the rule puts what it selects in default deny per direction (enableDefaultDeny; default: the direction has rules). */
  defaultDeny: { ingress: boolean; egress: boolean };
}

export type SgPeer =
  | { kind: 'group'; group: string; userId?: string; vpcId?: string; vpcPeeringConnectionId?: string }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'prefix-list'; prefixListId: string };

/** One AWS security-group permission, already expanded to a single peer. */
export interface SgPermissionRule extends RuleBase {
  type: 'sg-permission';
  level: 'group';
  /** Segment id of the group the rule belongs to. */
  group: string;
  direction: 'ingress' | 'egress';
  /** 'tcp' | 'udp' | 'icmp' | 'icmpv6' | '-1' (all) | protocol number as text. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  peer: SgPeer;
  description?: string;
}

export interface PrefixListRule extends RuleBase {
  type: 'prefix-list';
  level: 'group';
  prefixListId: string;
  name?: string;
  cidrs: string[];
  /** AWS counts a referenced prefix list as MaxEntries rules against the group quota. */
  maxEntries?: number;
}

export interface VpcPeeringRule extends RuleBase {
  type: 'vpc-peering';
  level: 'network';
  /** Segment ids of the two VPCs. */
  requester: string;
  accepter: string;
  status?: string;
}

export interface TgwAttachmentRule extends RuleBase {
  type: 'tgw-attachment';
  level: 'network';
  transitGateway: string;
  /** Segment id of the attached VPC. */
  vpc: string;
  state?: string;
  /** The transit gateway route table the attachment is associated with (tgw-rtb-…): its traffic is routed by it. */
  routeTable?: string;
}

/** One entry of an AWS network ACL (describe-network-acls `Entries[]`): a numbered, stateless rule of one direction. */
export interface NetworkAclEntry {
  ruleNumber: number;
  /** Outbound (traffic leaving the subnet); else inbound. */
  egress: boolean;
  action: 'allow' | 'deny';
  /** '-1' (all) or an IANA protocol number as text ('6' tcp, '17' udp, '1' icmp, …). */
  protocol: string;
  /** The peer's range (CidrBlock or Ipv6CidrBlock). */
  cidr: string;
  /** TCP/UDP destination ports. */
  fromPort?: number;
  toPort?: number;
  /** The entry could not be read: kept as a deny of everything at its place, so nothing is widened. */
  damaged?: boolean;
  source?: SourceLocation;
}

/** An AWS network ACL: the entries of both directions and the subnets associated with it. */
export interface NetworkAclRule extends RuleBase {
  type: 'network-acl';
  level: 'network';
  aclId: string;
  name?: string;
  /** Segment id of its VPC. */
  vpc?: string;
  /** The VPC's default ACL: it applies to each subnet no other loaded ACL is associated with. */
  isDefault?: boolean;
  /** Segment ids of the associated subnets. */
  subnets: string[];
  entries: NetworkAclEntry[];
}

/** One route of an AWS route table (describe-route-tables `Routes[]`). */
export interface RouteEntry {
  /** DestinationCidrBlock or DestinationIpv6CidrBlock. */
  destination: string;
  /** `local`, or the target's id: igw-…, nat-…, tgw-…, pcx-…, eni-…, vgw-…, i-… */
  target: string;
  /** A blackhole route's target is gone: it carries nothing. */
  state?: 'blackhole';
  /** The route could not be read: the table's paths are not trusted (never widened). */
  damaged?: boolean;
  source?: SourceLocation;
}

/** An AWS route table: its routes and the subnets associated with it (the VPC's main table takes the rest). */
export interface RouteTableRule extends RuleBase {
  type: 'route-table';
  level: 'network';
  routeTableId: string;
  name?: string;
  /** Segment id of its VPC. */
  vpc?: string;
  /** The VPC's main table: every subnet with no explicit association uses it. */
  main?: boolean;
  /** Segment ids of the explicitly associated subnets. */
  subnets: string[];
  routes: RouteEntry[];
}

/** One route of a transit gateway route table (search-transit-gateway-routes `Routes[]`). */
export interface TgwRouteEntry {
  /** DestinationCidrBlock. */
  destination: string;
  /** Ids of the attachments the route sends to (tgw-attach-…); none for a blackhole. */
  attachments: string[];
  state?: 'blackhole';
  /** The route could not be read: the table's paths are not trusted (never widened). */
  damaged?: boolean;
  source?: SourceLocation;
}

/**
 * A transit gateway route table: from describe-transit-gateway-route-tables (`routes` absent: not listed)
 * or from search-transit-gateway-routes (`routes`, rule id `aws:<tgw-rtb-id>:routes`). The attachments
 * associated with it are named on their `tgw-attachment` rules (`routeTable`).
 */
export interface TgwRouteTableRule extends RuleBase {
  type: 'tgw-route-table';
  level: 'network';
  routeTableId: string;
  transitGateway?: string;
  name?: string;
  routes?: TgwRouteEntry[];
}

/** Identity authorisation: callers running as `principal` (role segment id) may / may not call `target`. */
export interface RoleGrantRule extends RuleBase {
  type: 'role-grant';
  level: 'role';
  principal: string;
  /** Service id or role segment id that is called. */
  target: string;
  /**
   * An IAM resource pattern with wildcards (`arn:aws:iam::111122223333:role/*`): the grant names every
   * role whose ARN it matches, described in any loaded file (then `target` is the pattern's id).
   */
  targetPattern?: string;
  effect: 'Allow' | 'Deny';
}

/** A role (segment id) trusts a principal (role or account segment id) to assume/call it. */
export interface RoleTrustRule extends RuleBase {
  type: 'role-trust';
  level: 'role';
  role: string;
  principal: string;
}

/** Compose v1 link, or any explicit overlay pairing. */
export interface OverlayLinkRule extends RuleBase {
  type: 'overlay-link';
  level: 'overlay';
  from: string;
  to: string;
  alias?: string;
}

/** Account-level connectivity: PrivateLink endpoint or other explicit cross-account path. */
export interface AccountPathRule extends RuleBase {
  type: 'account-path';
  level: 'account';
  from: string;
  to: string;
  via: 'peering' | 'transit-gateway' | 'privatelink' | 'other';
}

export type Rule =
  | K8sNetworkPolicyRule
  | AdminNetworkPolicyRule
  | CiliumPolicyRule
  | CalicoPolicyRule
  | CalicoTierRule
  | CalicoNetworkSetRule
  | SgPermissionRule
  | PrefixListRule
  | VpcPeeringRule
  | TgwAttachmentRule
  | NetworkAclRule
  | RouteTableRule
  | TgwRouteTableRule
  | RoleGrantRule
  | RoleTrustRule
  | OverlayLinkRule
  | AccountPathRule;

export type RuleType = Rule['type'];

/** A source file that contributed to the workspace. */
export interface SourceFile {
  name: string;
  format: string;
}

/** The whole workspace: the native format's content. */
export interface Workspace {
  segscope: 1;
  name?: string;
  sources?: SourceFile[];
  services: Service[];
  segments: Segment[];
  calls: Call[];
  rules: Rule[];
  /** Quota overrides by quota id (see model/quotas.ts); absent = defaults. */
  quotas?: Record<string, number>;
  /** Assumptions the analysis makes that a person may change; absent = defaults. */
  settings?: WorkspaceSettings;
  extra?: Record<string, unknown>;
}

export interface WorkspaceSettings {
  /**
   * The ports a client's responses come back to through AWS network ACLs (stateless): the whole range
   * must be allowed. Default 1024–65535, the range AWS advises opening (VPC User Guide, "Ephemeral ports").
   */
  ephemeralPorts?: { from: number; to: number };
}

export const emptyWorkspace = (): Workspace => ({
  segscope: 1,
  services: [],
  segments: [],
  calls: [],
  rules: [],
});
