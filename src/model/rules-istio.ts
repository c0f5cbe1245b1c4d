// Role-level rules of an Istio mesh in their own terms: AuthorizationPolicy and PeerAuthentication (security.istio.io).
import type { LabelSelector } from './rules-policy';
import type { RuleBase, SourceLocation } from './types';

/** `AuthorizationPolicy.action`; AUDIT never changes whether a request is allowed. */
export type IstioAction = 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT';

/**
 * One `rules[].from[].source`: its fields are ANDed, the values of one field ORed. Principals and
 * namespaces come from the peer certificate, so they need mutual TLS. `requestOnly` lists the request
 * attributes it also tests (requestPrincipals, remoteIpBlocks…): they are read, not modelled.
 */
export interface IstioSource {
  principals?: string[];
  notPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  ipBlocks?: string[];
  notIpBlocks?: string[];
  requestOnly?: string[];
}

/** One `rules[].to[].operation`: ports are connection facts; hosts, methods and paths (`requestOnly`) are HTTP requests'. */
export interface IstioOperation {
  ports?: number[];
  notPorts?: number[];
  requestOnly?: string[];
}

/** Condition keys that are facts of the connection (istio.io/latest/docs/reference/config/security/conditions). */
export const ISTIO_CONDITION_KEYS = ['source.ip', 'source.namespace', 'source.principal', 'destination.port'] as const;

/** One `when` condition on a connection fact: some of `values` (when given) and none of `notValues`. */
export interface IstioCondition {
  key: (typeof ISTIO_CONDITION_KEYS)[number];
  values?: string[];
  notValues?: string[];
}

/** One element of `rules`: from, to and when all match; an absent part matches every request. */
export interface IstioAuthzEntry {
  index: number;
  from?: IstioSource[];
  to?: IstioOperation[];
  /** `when` conditions on connection facts segscope knows: ANDed with the rest of the rule. */
  conditions?: IstioCondition[];
  /** The other `when` conditions, as text (`request.headers[x-token] in [a]`): read, not modelled. */
  when?: string[];
  source?: SourceLocation;
}

/** security.istio.io AuthorizationPolicy: enforced by the sidecar of the workloads it applies to (their ingress). */
export interface IstioAuthorizationRule extends RuleBase {
  type: 'istio-authorization';
  level: 'role';
  name: string;
  namespace: string;
  action: IstioAction;
  /** `selector.matchLabels`; absent (with no targetRefs) = every workload of the namespace, or of the mesh from the root namespace. */
  selector?: LabelSelector;
  /** `targetRefs` to Services, as the selectors of those Services; an empty list selects no workload. */
  targets?: LabelSelector[];
  /** Absent `rules`: the policy never matches (an ALLOW policy then denies every request). */
  rules?: IstioAuthzEntry[];
  /** CUSTOM: the external authorizer named; its decisions are not known to segscope. */
  provider?: string;
  /** Annotated `istio.io/dry-run: "true"`: logged by the proxy, not enforced (verdicts leave it out). */
  dryRun?: boolean;
}

export type IstioMtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** security.istio.io PeerAuthentication: whether a workload accepts plaintext (mode absent or UNSET: inherit). */
export interface IstioPeerAuthRule extends RuleBase {
  type: 'istio-peer-authentication';
  level: 'role';
  name: string;
  namespace: string;
  selector?: LabelSelector;
  mode?: IstioMtlsMode;
  /** `portLevelMtls`, by workload port. */
  ports?: { port: number; mode: IstioMtlsMode }[];
}

/** Istio's default root namespace (MeshConfig `rootNamespace`): its policies apply to the whole mesh. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';
