// Policy-level rules in their own terms: Kubernetes NetworkPolicy, Calico policies, tiers and sets, admin policies, Cilium policies.
import type { Protocol, RuleBase, SourceLocation } from './types';

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
   * applies on the pod network; it judges the traffic between pods attached to those networks.
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
