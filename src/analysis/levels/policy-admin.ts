// AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy in pipeline terms: the admin tier before NetworkPolicy, the baseline tier after it.
import { labelSelectorText, matchLabelSelector } from '../../model/selector';
import type {
  AdminNetworkPolicyRule,
  AdminPodsSelector,
  AdminPolicyPeer,
  AdminPolicyPort,
  AdminPolicyRuleEntry,
  AdminPolicySubject,
  LabelSelector,
  Protocol,
} from '../../model/types';
import { ALL, type ConnSet, conn, connSet, EMPTY, union } from '../connset';
import { cidrMeets } from '../net';
import type { Endpoint, PolicyRuleView, PolicyView } from './policy-endpoint';

/**
 * Bands order the tiers of the pipeline: every AdminNetworkPolicy rule comes before NetworkPolicy and
 * Calico tiers, every BaselineAdminNetworkPolicy rule after them (network-policy-api.sigs.k8s.io, API
 * reference: "All AdminNetworkPolicy rules have higher precedence than NetworkPolicy or
 * BaselineAdminNetworkPolicy rules").
 */
export const ADMIN_BAND = 0;
export const POLICY_BAND = 1;
export const BASELINE_BAND = 2;

/** Tier names of the two admin tiers in the pipeline. */
export const ADMIN_TIERS = { admin: 'k8s:admin', baseline: 'k8s:baseline' } as const;

/** A Node the cluster has, as a `nodes` peer sees it: its labels and its addresses. */
export interface NodeInfo {
  name: string;
  labels: Readonly<Record<string, string>>;
  cidrs: readonly string[];
}

const keysOf = (sel: LabelSelector | undefined): string[] => [
  ...Object.keys(sel?.matchLabels ?? {}),
  ...(sel?.matchExpressions ?? []).map((e) => e.key),
];

/** Host-networked pods are neither subjects nor pod peers (API reference, `subject` and `pods`). */
const podIn = (ep: Endpoint, pods: AdminPodsSelector): boolean =>
  ep.pod &&
  !ep.hostNetwork &&
  matchLabelSelector(pods.namespaceSelector, ep.nsLabels) &&
  matchLabelSelector(pods.podSelector, ep.labels);

const nsIn = (ep: Endpoint, namespaces: LabelSelector): boolean =>
  ep.pod && !ep.hostNetwork && matchLabelSelector(namespaces, ep.nsLabels);

export const adminSubjectSelects = (subject: AdminPolicySubject, ep: Endpoint): boolean =>
  subject.namespaces ? nsIn(ep, subject.namespaces) : subject.pods ? podIn(ep, subject.pods) : false;

/**
 * One peer. `networks` match any address inside the CIDRs, pods included ("cluster-internal traffic will
 * be checked against the rule as well", API reference `networks`), and 0.0.0.0/0 or ::/0 a pod whose
 * address is unknown. `nodes` match the addresses of the loaded Node objects whose labels match.
 */
export const adminPeerMatches = (peer: AdminPolicyPeer, ep: Endpoint, nodes: readonly NodeInfo[]): boolean => {
  if (peer.namespaces) return nsIn(ep, peer.namespaces);
  if (peer.pods) return podIn(ep, peer.pods);
  if (peer.networks) return peer.networks.some((c) => cidrMeets(c, ep.addresses));
  if (peer.nodes) {
    const sel = peer.nodes;
    return nodes.some((n) => matchLabelSelector(sel, n.labels) && n.cidrs.some((c) => cidrMeets(c, ep.addresses)));
  }
  return false;
};

/** Ports of a rule towards `target`; a named port takes its number and protocol from the target's container ports. */
export const adminPortsConns = (ports: readonly AdminPolicyPort[] | undefined, target: Endpoint): ConnSet => {
  if (!ports) return ALL;
  let set: ConnSet = EMPTY;
  for (const p of ports) {
    if (p.namedPort !== undefined) {
      for (const tp of target.ports)
        if (tp.name === p.namedPort) set = union(set, conn((tp.protocol ?? 'TCP') as Protocol, tp.port));
      continue;
    }
    const proto: Protocol = p.protocol ?? 'TCP';
    if (p.port === undefined) set = union(set, connSet(proto));
    else set = union(set, connSet(proto, p.port, p.endPort ?? p.port));
  }
  return set;
};

const portsText = (ports: readonly AdminPolicyPort[] | undefined): string =>
  !ports
    ? 'all ports'
    : ports
        .map((p) =>
          p.namedPort !== undefined
            ? `port ${p.namedPort}`
            : `${p.protocol ?? 'TCP'} ${p.port === undefined ? 'all ports' : p.endPort !== undefined ? `${p.port}-${p.endPort}` : p.port}`,
        )
        .join(', ');

const podsText = (p: AdminPodsSelector) =>
  `pods {${labelSelectorText(p.podSelector)}} in namespaces {${labelSelectorText(p.namespaceSelector)}}`;

export const adminPeerText = (p: AdminPolicyPeer): string =>
  p.namespaces
    ? `namespaces {${labelSelectorText(p.namespaces)}}`
    : p.pods
      ? podsText(p.pods)
      : p.networks
        ? `networks ${p.networks.join(', ')}`
        : p.nodes
          ? `nodes {${labelSelectorText(p.nodes)}}`
          : 'no peer';

const entryView = (
  entry: AdminPolicyRuleEntry,
  index: number,
  dir: 'ingress' | 'egress',
  nodes: readonly NodeInfo[],
): PolicyRuleView => {
  const named = (entry.ports ?? []).some((p) => p.namedPort !== undefined);
  const fixed = named ? undefined : adminPortsConns(entry.ports, { ports: [] } as unknown as Endpoint);
  const view: PolicyRuleView = {
    index,
    action: entry.action,
    matches: (_self, peer) => entry.peers.some((p) => adminPeerMatches(p, peer, nodes)),
    conns: (target) => fixed ?? adminPortsConns(entry.ports, target),
    describe: () =>
      `${entry.name ? `"${entry.name}" ` : ''}${entry.action} ${dir === 'ingress' ? 'from' : 'to'} ${entry.peers.map(adminPeerText).join(' or ')} on ${portsText(entry.ports)}`,
  };
  if (entry.source) view.source = entry.source;
  return view;
};

/** The CIDRs an admin policy's rules look at (networks, and the addresses of matching nodes). */
const ruleCidrs = (rule: AdminNetworkPolicyRule, nodes: readonly NodeInfo[]): string[] =>
  [...rule.ingress, ...rule.egress].flatMap((e) =>
    e.peers.flatMap((p) => [
      ...(p.networks ?? []),
      ...(p.nodes
        ? nodes.filter((n) => matchLabelSelector(p.nodes as LabelSelector, n.labels)).flatMap((n) => n.cidrs)
        : []),
    ]),
  );

/**
 * An admin policy as a pipeline policy. The admin tier passes what no rule matched on to NetworkPolicy;
 * the baseline tier lets it through (default allow). Inside a tier, policies go by priority (lower first),
 * then by name: the API leaves equal priorities undefined ("the implementation can apply any of the
 * matching policies"), so segscope picks a fixed order and the import warns. Inside a policy, rules go in
 * the order written.
 */
export const adminPolicyView = (rule: AdminNetworkPolicyRule, nodes: readonly NodeInfo[]): PolicyView => {
  const peers = [...rule.ingress, ...rule.egress].flatMap((e) => e.peers);
  const subjectKeys = rule.subject.pods ? keysOf(rule.subject.pods.podSelector) : [];
  const baseline = rule.tier === 'baseline';
  const display = `${rule.kind} ${rule.name}${baseline ? '' : ` (priority ${rule.priority})`}`;
  return {
    rule,
    kind: 'admin',
    band: baseline ? BASELINE_BAND : ADMIN_BAND,
    // Not a valid Calico tier name, so a Calico tier can never merge with these.
    tier: baseline ? ADMIN_TIERS.baseline : ADMIN_TIERS.admin,
    tierOrder: 0,
    tierPasses: true,
    order: rule.priority,
    sortName: rule.name,
    display,
    ingress: rule.ingress.length > 0,
    egress: rule.egress.length > 0,
    selects: (ep) => adminSubjectSelects(rule.subject, ep),
    ingressRules: rule.ingress.map((e, i) => entryView(e, i, 'ingress', nodes)),
    egressRules: rule.egress.map((e, i) => entryView(e, i, 'egress', nodes)),
    labelKeys: [...subjectKeys, ...peers.flatMap((p) => (p.pods ? keysOf(p.pods.podSelector) : []))],
    cidrs: ruleCidrs(rule, nodes),
    usesNamedPorts: [...rule.ingress, ...rule.egress].some((e) =>
      (e.ports ?? []).some((p) => p.namedPort !== undefined),
    ),
    usesServiceAccounts: false,
    specificity: subjectKeys.length,
  };
};
