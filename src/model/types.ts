// The workspace model of DESIGN.md: plain, serialisable data shared by app, worker, CLI and tests.
import type {
  NetworkAclRule,
  PrefixListRule,
  RouteTableRule,
  SgPermissionRule,
  TgwAttachmentRule,
  TgwRouteTableRule,
  VpcPeeringRule,
} from './rules-aws';
import type { IstioAuthorizationRule, IstioPeerAuthRule } from './rules-istio';
import type {
  AdminNetworkPolicyRule,
  CalicoNetworkSetRule,
  CalicoPolicyRule,
  CalicoTierRule,
  CiliumPolicyRule,
  K8sNetworkPolicyRule,
} from './rules-policy';

/** The six mechanism levels, coarse to fine. Order matters: bands are drawn in this order. */
export const LEVELS = ['account', 'role', 'network', 'group', 'policy', 'overlay'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_TITLES: Record<Level, string> = {
  account: 'Accounts / datacenters',
  role: 'IAM / AD / mesh roles',
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
  /**
   * Runs with an Istio sidecar proxy (K8s: the pod's `sidecar.istio.io/inject` label or annotation, or an
   * `istio-proxy` container). Absent: decided by the namespace's injection label.
   */
  sidecar?: boolean;
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

/** `extra.k8sKind` of a Kubernetes workload grouped under an owner reference that names no kind. */
export const UNKNOWN_OWNER_KIND = 'Owner';

/** `extra.networkAddresses` of a Kubernetes workload: its addresses on each secondary network (network id → addresses). */
export const NETWORK_ADDRESSES = 'networkAddresses';

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
// Rules: each level's allow/deny data in the level's own terms (policy-level and AWS rules in their own modules).

export * from './rules-aws';
export * from './rules-istio';
export * from './rules-policy';

/** What every rule carries: its id and where it was read. */
export interface RuleBase {
  id: string;
  source?: SourceLocation;
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
  | IstioAuthorizationRule
  | IstioPeerAuthRule
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
  /** The Cilium agent's policy enforcement mode (docs.cilium.io, "Policy Enforcement Modes"); absent = `default`. */
  ciliumPolicyEnforcement?: 'default' | 'always' | 'never';
  /**
   * How policies treat `hostNetwork` pods, which Kubernetes leaves to the network plugin (network-policies,
   * "NetworkPolicy and hostNetwork pods"): `node` (absent; the most common) — neither selected nor matched,
   * their traffic is the node's; `pod` — selected and matched like any pod.
   */
  hostNetworkPods?: 'node' | 'pod';
}

export const emptyWorkspace = (): Workspace => ({
  segscope: 1,
  services: [],
  segments: [],
  calls: [],
  rules: [],
});
