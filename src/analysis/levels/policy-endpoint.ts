// The policy level's view of a service: a Kubernetes/Calico workload endpoint (namespace, labels, account) or not.

import { hostNetworkPods } from '../../model/settings';
import type {
  AdminNetworkPolicyRule,
  CalicoAction,
  CalicoPolicyRule,
  CiliumPolicyRule,
  K8sNetworkPolicyRule,
  LabelSelector,
  Segment,
  ServicePort,
  SourceLocation,
} from '../../model/types';
import type { ConnSet } from '../connset';
import { type IndexCore, kindOf, membershipOf } from '../core';

export interface Endpoint {
  name: string;
  /** A Kubernetes pod (workload endpoint); other services are only ever peers matched by address. */
  pod: boolean;
  /**
   * A pod in its node's network namespace. Most implementations cannot tell its traffic from the node's,
   * so no policy selects it and no pod or namespace selector matches it; only its (node) address does.
   */
  hostNetwork: boolean;
  /** Outside the cluster (an ExternalName Service, an address range): Cilium's `world`. */
  external: boolean;
  /** The DNS name it is reached by, when known (an ExternalName Service's externalName): what toFQDNs matches. */
  hostname?: string;
  namespace?: string;
  labels: Readonly<Record<string, string>>;
  /** Labels as Calico selectors see them: pod labels plus projectcalico.org/* and pcns.* labels. */
  calicoLabels: Readonly<Record<string, string>>;
  nsLabels: Readonly<Record<string, string>>;
  /** Namespace labels as a Calico namespaceSelector sees them (plus projectcalico.org/name). */
  nsCalicoLabels: Readonly<Record<string, string>>;
  serviceAccount?: string;
  saLabels: Readonly<Record<string, string>>;
  addresses: readonly string[];
  ports: readonly ServicePort[];
}

/** One rule of a policy, in pipeline terms. `self` is the endpoint the policy applies to. */
export interface PolicyRuleView {
  index: number;
  action: CalicoAction;
  matches(self: Endpoint, peer: Endpoint): boolean;
  /** Connections the rule covers towards `target` (the destination endpoint: named ports resolve there). */
  conns(target: Endpoint): ConnSet;
  describe(): string;
  /** Where the rule itself is written, when known (else the policy's location is named). */
  source?: SourceLocation;
}

/** A K8s NetworkPolicy, a Calico (Global)NetworkPolicy or an admin policy placed in its tier. */
export interface PolicyView {
  rule: K8sNetworkPolicyRule | CalicoPolicyRule | AdminNetworkPolicyRule | CiliumPolicyRule;
  kind: 'k8s' | 'calico' | 'admin' | 'cilium';
  /** Admin tier (0), NetworkPolicy and Calico tiers (1, the default), baseline tier (2): compared before tiers. */
  band?: number;
  tier: string;
  tierOrder: number;
  /** The tier's defaultAction is Pass: what it does not match goes on to the next tier. */
  tierPasses?: boolean;
  order: number;
  sortName: string;
  /** "NetworkPolicy shop/db", "GlobalNetworkPolicy deny-all (tier security)". */
  display: string;
  ingress: boolean;
  egress: boolean;
  selects(ep: Endpoint): boolean;
  ingressRules: readonly PolicyRuleView[];
  egressRules: readonly PolicyRuleView[];
  /** Label keys whose values the policy's verdicts read (Calico expressions), kept in equivalence classes. */
  labelKeys: readonly string[];
  /**
   * Label selectors through which alone the policy reads pod labels (K8s): classes keep whether each
   * matches instead of the label values, so a selector on `app` does not make every pod a class.
   */
  labelSelectors?: readonly LabelSelector[];
  cidrs: readonly string[];
  usesNamedPorts: boolean;
  usesServiceAccounts: boolean;
  /** Its verdicts read a peer's name (Cilium toFQDNs matched against the names of services outside the cluster). */
  usesNames?: boolean;
  /** How narrowly the policy selects (number of selector terms): the likelier home for a missing rule. */
  specificity: number;
}

export const NS_PREFIX = 'policy:k8s:ns:';

/** The namespace a policy-level segment stands for (a namespace segment, or a label set's namespace parent). */
export const namespaceOfSegment = (core: IndexCore, id: string): string | undefined => {
  for (const s of core.ancestors(id)) {
    if (kindOf(s) !== 'namespace') continue;
    const attr = s.attributes?.namespace;
    if (typeof attr === 'string') return attr;
    return s.id.startsWith(NS_PREFIX) ? s.id.slice(NS_PREFIX.length) : s.name;
  }
  return undefined;
};

export interface NamespaceIndex {
  labels(ns: string): Readonly<Record<string, string>>;
}

export const namespaceIndex = (core: IndexCore): NamespaceIndex => {
  const byName = new Map<string, Segment>();
  for (const s of core.segments.values()) {
    if (s.level !== 'policy' || kindOf(s) !== 'namespace') continue;
    const ns = namespaceOfSegment(core, s.id);
    if (ns !== undefined && !byName.has(ns)) byName.set(ns, s);
  }
  const cache = new Map<string, Record<string, string>>();
  return {
    labels: (ns) => {
      const hit = cache.get(ns);
      if (hit) return hit;
      const labels = { ...(byName.get(ns)?.labels ?? {}), 'kubernetes.io/metadata.name': ns };
      cache.set(ns, labels);
      return labels;
    },
  };
};

/**
 * The account's own name, as Calico's serviceAccounts names and the projectcalico.org/serviceaccount
 * label carry it: segments are named `<namespace>/<account>` to be unique across namespaces.
 */
export const serviceAccountName = (seg: Segment): string => {
  const n = seg.attributes?.name;
  if (typeof n === 'string') return n;
  const ns = seg.attributes?.namespace;
  return typeof ns === 'string' && seg.name.startsWith(`${ns}/`) ? seg.name.slice(ns.length + 1) : seg.name;
};

/**
 * The pod's namespace comes from its policy-level membership (so a move between namespace segments
 * changes it); Kubernetes services without one fall back to their namespace or `default`.
 */
export const endpointOf = (core: IndexCore, nsIndex: NamespaceIndex, i: number): Endpoint =>
  core.memoFn('policy.endpoint', (i): Endpoint => {
    const s = core.services[i] as (typeof core.services)[number];
    const policy = membershipOf(s, 'policy');
    let namespace: string | undefined;
    for (const id of policy) {
      namespace = namespaceOfSegment(core, id);
      if (namespace !== undefined) break;
    }
    const pod = namespace !== undefined || s.id.startsWith('k8s:') || policy.length > 0;
    // The id convention `k8s:<namespace>/<workload>` carries the namespace when the field is absent.
    if (pod && namespace === undefined) namespace = s.namespace ?? /^k8s:([^/]+)\//.exec(s.id)?.[1] ?? 'default';
    let serviceAccount: string | undefined;
    let saLabels: Record<string, string> = {};
    for (const id of membershipOf(s, 'role')) {
      const seg = core.segments.get(id);
      if (kindOf(seg) !== 'service-account' || !seg) continue;
      serviceAccount = serviceAccountName(seg);
      saLabels = { ...(seg.labels ?? {}) };
      break;
    }
    const labels = s.labels ?? {};
    const nsLabels = namespace === undefined ? {} : nsIndex.labels(namespace);
    const calicoLabels: Record<string, string> = { ...labels };
    if (pod && namespace !== undefined) {
      for (const [k, v] of Object.entries(nsLabels)) calicoLabels[`pcns.${k}`] = v;
      calicoLabels['projectcalico.org/namespace'] = namespace;
      calicoLabels['projectcalico.org/orchestrator'] = 'k8s';
      if (serviceAccount !== undefined) calicoLabels['projectcalico.org/serviceaccount'] = serviceAccount;
    }
    const nsCalicoLabels: Record<string, string> =
      namespace === undefined ? {} : { ...nsLabels, 'projectcalico.org/name': namespace };
    const ep: Endpoint = {
      name: s.name,
      pod,
      // Under the `pod` reading a hostNetwork pod is a pod like any other to every policy.
      hostNetwork: pod && s.hostNetwork === true && hostNetworkPods(core.ws) === 'node',
      external: s.kind === 'external',
      labels,
      calicoLabels,
      nsLabels,
      nsCalicoLabels,
      saLabels,
      addresses: s.addresses ?? [],
      ports: s.ports ?? [],
    };
    if (namespace !== undefined) ep.namespace = namespace;
    if (serviceAccount !== undefined) ep.serviceAccount = serviceAccount;
    const hostname = s.extra?.externalName;
    if (typeof hostname === 'string') ep.hostname = hostname;
    return ep;
  })(i);
