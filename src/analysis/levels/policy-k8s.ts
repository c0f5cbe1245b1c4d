// Kubernetes NetworkPolicy in pipeline terms: selection, peers (AND within, OR across), ports incl. named and endPort.

import { labelSelectorText, matchLabelSelector } from '../../model/selector';
import type {
  K8sNetworkPolicyRule,
  LabelSelector,
  PolicyPeer,
  PolicyPort,
  PolicyRuleEntry,
  Protocol,
} from '../../model/types';
import { ALL, type ConnSet, conn, connSet, EMPTY, union } from '../connset';
import { cidrContains } from '../net';
import type { Endpoint, PolicyRuleView, PolicyView } from './policy-endpoint';

/** Calico places Kubernetes policies in the default tier at order 1000; we do the same so both mix exactly. */
export const K8S_POLICY_ORDER = 1000;

const selectorKeys = (sel: LabelSelector | undefined): string[] => [
  ...Object.keys(sel?.matchLabels ?? {}),
  ...(sel?.matchExpressions ?? []).map((e) => e.key),
];

/** K8s ports of one entry towards `target`: named ports resolve against the target's container ports. */
export const k8sPortsConns = (ports: readonly PolicyPort[] | undefined, target: Endpoint): ConnSet => {
  if (!ports || ports.length === 0) return ALL;
  let set: ConnSet = EMPTY;
  for (const p of ports) {
    const proto: Protocol = p.protocol ?? 'TCP';
    if (p.port === undefined) set = union(set, connSet(proto));
    else if (typeof p.port === 'number' || /^\d+$/.test(p.port)) {
      const n = Number(p.port);
      set = union(set, connSet(proto, n, p.endPort !== undefined && p.endPort >= n ? p.endPort : n));
    } else {
      for (const tp of target.ports) {
        if (tp.name === p.port && (tp.protocol ?? 'TCP') === proto) set = union(set, conn(proto, tp.port));
      }
    }
  }
  return set;
};

export const k8sPortsText = (ports: readonly PolicyPort[] | undefined): string => {
  if (!ports || ports.length === 0) return 'all ports';
  return ports
    .map((p) => {
      const proto = p.protocol ?? 'TCP';
      if (p.port === undefined) return `${proto} all ports`;
      return p.endPort !== undefined ? `${proto} ${p.port}-${p.endPort}` : `${proto} ${p.port}`;
    })
    .join(', ');
};

export const k8sPeerText = (peer: PolicyPeer): string => {
  if (peer.ipBlock) {
    const ex = peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(', ')}` : '';
    return `ipBlock ${peer.ipBlock.cidr}${ex}`;
  }
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaces {${labelSelectorText(peer.namespaceSelector)}}`);
  if (peer.podSelector) parts.push(`pods {${labelSelectorText(peer.podSelector)}}`);
  return parts.length > 0 ? parts.join(' and ') : 'pods of the policy namespace';
};

/** One peer element: namespaceSelector AND podSelector; a podSelector alone means the policy's namespace. */
export const k8sPeerMatches = (peer: PolicyPeer, policyNamespace: string, ep: Endpoint): boolean => {
  if (peer.ipBlock) {
    const { cidr, except = [] } = peer.ipBlock;
    return ep.addresses.some((a) => cidrContains(cidr, a) && !except.some((e) => cidrContains(e, a)));
  }
  if (!ep.pod || ep.hostNetwork) return false;
  const nsOk = peer.namespaceSelector
    ? matchLabelSelector(peer.namespaceSelector, ep.nsLabels)
    : ep.namespace === policyNamespace;
  return nsOk && (peer.podSelector ? matchLabelSelector(peer.podSelector, ep.labels) : true);
};

const entryView = (
  rule: K8sNetworkPolicyRule,
  entry: PolicyRuleEntry,
  index: number,
  dir: 'ingress' | 'egress',
): PolicyRuleView => {
  const peers = entry.peers;
  // Without named ports the set does not depend on the target: compute it once.
  const named = (entry.ports ?? []).some((p) => typeof p.port === 'string' && !/^\d+$/.test(p.port));
  const fixed = named ? undefined : k8sPortsConns(entry.ports, { ports: [] } as unknown as Endpoint);
  return {
    index,
    action: 'Allow',
    // An entry without from/to admits every peer; an empty list admits none.
    matches: (_self, peer) => !peers || peers.some((p) => k8sPeerMatches(p, rule.namespace, peer)),
    conns: (target) => fixed ?? k8sPortsConns(entry.ports, target),
    describe: () =>
      `${dir === 'ingress' ? 'from' : 'to'} ${peers ? peers.map(k8sPeerText).join(' or ') || 'no peer' : 'anywhere'} on ${k8sPortsText(entry.ports)}`,
  };
};

/** policyTypes as the API server defaults them when the field is empty. */
export const k8sPolicyTypes = (rule: K8sNetworkPolicyRule): { ingress: boolean; egress: boolean } => {
  if (rule.policyTypes.length === 0) return { ingress: true, egress: rule.egress !== undefined };
  return { ingress: rule.policyTypes.includes('Ingress'), egress: rule.policyTypes.includes('Egress') };
};

export const k8sPolicyView = (rule: K8sNetworkPolicyRule, defaultTierOrder: number): PolicyView => {
  const types = k8sPolicyTypes(rule);
  const entries = [...(rule.ingress ?? []), ...(rule.egress ?? [])];
  const peers = entries.flatMap((e) => e.peers ?? []);
  return {
    rule,
    kind: 'k8s',
    tier: 'default',
    tierOrder: defaultTierOrder,
    order: K8S_POLICY_ORDER,
    sortName: `knp.default.${rule.namespace}.${rule.name}`,
    display: `NetworkPolicy ${rule.namespace}/${rule.name}`,
    ingress: types.ingress,
    egress: types.egress,
    selects: (ep) => ep.pod && ep.namespace === rule.namespace && matchLabelSelector(rule.podSelector, ep.labels),
    // A direction the policy is not typed for contributes no rules (its entries are ignored by the API).
    ingressRules: types.ingress ? (rule.ingress ?? []).map((e, i) => entryView(rule, e, i, 'ingress')) : [],
    egressRules: types.egress ? (rule.egress ?? []).map((e, i) => entryView(rule, e, i, 'egress')) : [],
    // Pod labels are read only through these selectors (namespaces are in the class already).
    labelKeys: [],
    labelSelectors: [rule.podSelector, ...peers.flatMap((p) => (p.podSelector && !p.ipBlock ? [p.podSelector] : []))],
    cidrs: peers.flatMap((p) => (p.ipBlock ? [p.ipBlock.cidr, ...(p.ipBlock.except ?? [])] : [])),
    usesNamedPorts: entries.some((e) =>
      (e.ports ?? []).some((p) => typeof p.port === 'string' && !/^\d+$/.test(p.port)),
    ),
    usesServiceAccounts: false,
    specificity: selectorKeys(rule.podSelector).length,
  };
};
