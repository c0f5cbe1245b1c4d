// CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy in pipeline terms: deny rules first, allow rules with NetworkPolicy's.
//
// docs.cilium.io, security/policy/deny: "Deny policies take precedence over allow policies, regardless of
// whether they are a Cilium Network Policy, a Clusterwide Cilium Network Policy or even a Kubernetes Network
// Policy". security/policy/intro: an endpoint selected by a rule with a section for a direction is in default
// deny for it, and then allows the union of what every policy allows (NetworkPolicy included). So a Cilium
// rule becomes up to three pipeline policies: its deny rules in a tier of their own before everything else
// (it passes what they do not match), its allow rules in the default tier with NetworkPolicy (whose end
// denies what nothing allowed), or — with enableDefaultDeny false — in a tier that only adds.
import { labelSelectorText, matchLabelSelector } from '../../model/selector';
import type {
  CiliumPeer,
  CiliumPolicyEntry,
  CiliumPolicyRule,
  CiliumPort,
  LabelSelector,
  Protocol,
} from '../../model/types';
import { ALL, type ConnSet, conn, connSet, EMPTY, union } from '../connset';
import { cidrMeets } from '../net';
import type { NodeInfo } from './policy-admin';
import type { Endpoint, PolicyRuleView, PolicyView } from './policy-endpoint';

/** Tiers of the policy band that Cilium adds before the default tier (tier orders below any Calico tier's). */
export const CILIUM_TIERS = {
  deny: { name: 'cilium:deny', order: -2 },
  additive: { name: 'cilium:no-default-deny', order: -1 },
} as const;

const NS_LABEL = 'io.kubernetes.pod.namespace';
const NS_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SA_LABEL = 'io.cilium.k8s.policy.serviceaccount';
/** Keys Cilium derives from the pod's namespace and account rather than from its own labels. */
const derived = (k: string) =>
  k === NS_LABEL || k.startsWith(NS_LABELS_PREFIX) || k.startsWith('io.cilium.k8s.policy.');

const ciliumLabelCache = new WeakMap<Endpoint, Record<string, string>>();
/** A pod's labels as Cilium's identity holds them: its own, its namespace, the namespace's labels, its account. */
export const ciliumLabels = (ep: Endpoint): Record<string, string> => {
  let out = ciliumLabelCache.get(ep);
  if (!out) {
    out = { ...ep.labels };
    if (ep.namespace !== undefined) out[NS_LABEL] = ep.namespace;
    for (const [k, v] of Object.entries(ep.nsLabels)) out[`${NS_LABELS_PREFIX}${k}`] = v;
    out[SA_LABEL] = ep.serviceAccount ?? 'default';
    out['io.cilium.k8s.policy.cluster'] = 'default';
    ciliumLabelCache.set(ep, out);
  }
  return out;
};

/** A pod Cilium manages with its own identity (a hostNetwork pod has the node's). */
const managedPod = (ep: Endpoint) => ep.pod && !ep.hostNetwork && !ep.external;
const onNode = (ep: Endpoint, nodes: readonly NodeInfo[]) =>
  ep.addresses.length > 0 && nodes.some((n) => n.cidrs.some((c) => cidrMeets(c, ep.addresses)));
const family = (ep: Endpoint, v6: boolean) =>
  ep.addresses.length === 0 || ep.addresses.some((a) => a.includes(':') === v6);

/** Whether a peer names `ep`. CIDR and FQDN peers never match what is in the cluster (docs.cilium.io, Layer 3: CIDR based). */
export const ciliumPeerMatches = (p: CiliumPeer, ep: Endpoint, nodes: readonly NodeInfo[]): boolean => {
  if (p.endpoints) return managedPod(ep) && matchLabelSelector(p.endpoints, ciliumLabels(ep));
  const inCluster = (ep.pod && !ep.external) || onNode(ep, nodes);
  if (p.cidr) {
    const { cidr, except } = p.cidr;
    return (
      !inCluster &&
      cidrMeets(cidr, ep.addresses) &&
      !(except ?? []).some((x) => cidrMeets(x, ep.addresses) && ep.addresses.length > 0)
    );
  }
  if (p.fqdn) return !inCluster && fqdnMatches(p.fqdn, ep.hostname ?? ep.name);
  if (p.nodes) {
    const sel = p.nodes;
    return nodes.some(
      (n) =>
        matchLabelSelector(sel, n.labels) && n.cidrs.some((c) => cidrMeets(c, ep.addresses)) && ep.addresses.length > 0,
    );
  }
  switch (p.entity) {
    case 'all':
      return true;
    case 'cluster':
      return inCluster;
    case 'world':
      return !inCluster;
    case 'world-ipv4':
      return !inCluster && family(ep, false);
    case 'world-ipv6':
      return !inCluster && family(ep, true);
    // segscope cannot tell the local node from the others: both match what runs on the node's identity.
    case 'host':
    case 'remote-node':
      return (ep.pod && ep.hostNetwork) || onNode(ep, nodes);
    case 'kube-apiserver':
      return (
        ep.namespace === 'kube-system' && (ep.labels.component === 'kube-apiserver' || ep.name === 'kube-apiserver')
      );
    default:
      return false;
  }
};

const fqdnMatches = (f: NonNullable<CiliumPeer['fqdn']>, name: string): boolean => {
  const host = name.toLowerCase().replace(/\.$/, '');
  if (f.matchName !== undefined) return host === f.matchName.toLowerCase().replace(/\.$/, '');
  // matchPattern: `*` stands for any run of DNS-name characters ("*" alone, any name).
  const pattern = (f.matchPattern ?? '').toLowerCase().replace(/\.$/, '');
  if (pattern === '*') return true;
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[-a-z0-9_.]*')}$`);
  return re.test(host);
};

const PROTOS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** The ports an element covers towards `target` (named ports resolve on it). */
export const ciliumPortsConns = (ports: readonly CiliumPort[] | undefined, target: Endpoint): ConnSet => {
  if (!ports) return ALL;
  let set: ConnSet = EMPTY;
  for (const p of ports) {
    const protos = p.protocol === 'ANY' ? PROTOS : [p.protocol];
    if (p.namedPort !== undefined) {
      for (const tp of target.ports)
        if (tp.name === p.namedPort && protos.includes((tp.protocol ?? 'TCP') as Protocol))
          set = union(set, conn((tp.protocol ?? 'TCP') as Protocol, tp.port));
      continue;
    }
    for (const proto of protos)
      set = union(set, p.port === undefined ? connSet(proto) : connSet(proto, p.port, p.endPort ?? p.port));
  }
  return set;
};

const portsText = (ports: readonly CiliumPort[] | undefined): string =>
  !ports
    ? 'all ports'
    : ports.length === 0
      ? 'no TCP/UDP/SCTP port'
      : ports
          .map(
            (p) =>
              `${p.protocol} ${p.namedPort ?? (p.port === undefined ? 'all ports' : p.endPort !== undefined ? `${p.port}-${p.endPort}` : p.port)}`,
          )
          .join(', ');

export const ciliumPeerText = (p: CiliumPeer): string =>
  p.endpoints
    ? `endpoints {${labelSelectorText(p.endpoints)}}`
    : p.entity
      ? `entity ${p.entity}`
      : p.cidr
        ? `CIDR ${p.cidr.cidr}${p.cidr.except ? ` except ${p.cidr.except.join(', ')}` : ''}`
        : p.fqdn
          ? `FQDN ${p.fqdn.matchName ?? p.fqdn.matchPattern}`
          : p.nodes
            ? `nodes {${labelSelectorText(p.nodes)}}`
            : 'no peer';

const entryView = (e: CiliumPolicyEntry, nodes: readonly NodeInfo[]): PolicyRuleView => {
  const deny = e.section.endsWith('Deny');
  const named = (e.ports ?? []).some((p) => p.namedPort !== undefined);
  const fixed = named ? undefined : ciliumPortsConns(e.ports, { ports: [] } as unknown as Endpoint);
  const way = e.section.startsWith('ingress') ? 'from' : 'to';
  const peers = e.peers;
  const view: PolicyRuleView = {
    index: e.index,
    action: deny ? 'Deny' : 'Allow',
    matches: (_self, peer) => !peers || peers.some((p) => ciliumPeerMatches(p, peer, nodes)),
    conns: (target) => fixed ?? ciliumPortsConns(e.ports, target),
    describe: () =>
      `${e.section}[${e.index}]: ${deny ? 'Deny' : 'Allow'} ${way} ${peers ? peers.map(ciliumPeerText).join(' or ') || 'no peer' : 'any peer'} on ${portsText(e.ports)}${e.l7 ? ` (L7 ${e.l7.join(', ')} not modelled: assumed to allow every request)` : ''}`,
  };
  if (e.source) view.source = e.source;
  return view;
};

const keysOf = (sel: LabelSelector | undefined): string[] =>
  [...Object.keys(sel?.matchLabels ?? {}), ...(sel?.matchExpressions ?? []).map((x) => x.key)].filter(
    (k) => !derived(k),
  );

const selectorsOf = (r: CiliumPolicyRule): LabelSelector[] => [
  ...(r.endpointSelector ? [r.endpointSelector] : []),
  ...[...r.ingress, ...r.egress, ...r.ingressDeny, ...r.egressDeny].flatMap((e) =>
    (e.peers ?? []).flatMap((p) => (p.endpoints ? [p.endpoints] : [])),
  ),
];

/**
 * Up to three pipeline policies for one Cilium rule: its deny rules (tier cilium:deny, passing on what they
 * do not match), its allow rules for the directions it puts in default deny (the default tier, beside
 * NetworkPolicy), and its allow rules for the directions it does not (tier cilium:no-default-deny, which
 * passes on what it does not allow). A host policy (nodeSelector) selects no pod.
 */
export const ciliumPolicyViews = (
  rule: CiliumPolicyRule,
  nodes: readonly NodeInfo[],
  defaultTierOrder: number,
): PolicyView[] => {
  const sel = rule.endpointSelector;
  const selects = (ep: Endpoint) => !!sel && managedPod(ep) && matchLabelSelector(sel, ciliumLabels(ep));
  const all = [...rule.ingress, ...rule.egress, ...rule.ingressDeny, ...rule.egressDeny];
  const cidrs = all.flatMap((e) =>
    (e.peers ?? []).flatMap((p) => [
      ...(p.cidr ? [p.cidr.cidr, ...(p.cidr.except ?? [])] : []),
      ...(p.nodes ||
      p.entity === 'host' ||
      p.entity === 'remote-node' ||
      p.entity === 'cluster' ||
      p.entity?.startsWith('world')
        ? nodes.flatMap((n) => n.cidrs)
        : []),
    ]),
  );
  const display = `${rule.kind} ${rule.namespace ? `${rule.namespace}/` : ''}${rule.name}${rule.part !== undefined ? ` specs[${rule.part}]` : ''}`;
  const base = {
    rule,
    kind: 'cilium' as const,
    order: 0,
    sortName: `${rule.namespace ?? ''}/${rule.name}#${rule.part ?? ''}`,
    display,
    selects,
    labelKeys: [...new Set([...selectorsOf(rule).flatMap(keysOf), 'component'])],
    cidrs,
    usesNamedPorts: all.some((e) => (e.ports ?? []).some((p) => p.namedPort !== undefined)),
    usesServiceAccounts: selectorsOf(rule).some((s) =>
      [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((x) => x.key)].includes(SA_LABEL),
    ),
    usesNames: all.some((e) => (e.peers ?? []).some((p) => p.fqdn)),
    specificity: keysOf(sel).length,
  };
  const views: PolicyView[] = [];
  const view = (
    v: Partial<PolicyView> & Pick<PolicyView, 'tier' | 'tierOrder'>,
    ingress: CiliumPolicyEntry[],
    egress: CiliumPolicyEntry[],
    inFlag: boolean,
    egFlag: boolean,
  ) => {
    if (!inFlag && !egFlag) return;
    views.push({
      ...base,
      ...v,
      ingress: inFlag,
      egress: egFlag,
      ingressRules: inFlag ? ingress.map((e) => entryView(e, nodes)) : [],
      egressRules: egFlag ? egress.map((e) => entryView(e, nodes)) : [],
    });
  };
  view(
    { tier: CILIUM_TIERS.deny.name, tierOrder: CILIUM_TIERS.deny.order, tierPasses: true },
    rule.ingressDeny,
    rule.egressDeny,
    rule.ingressDeny.length > 0,
    rule.egressDeny.length > 0,
  );
  const dd = rule.defaultDeny;
  view({ tier: 'default', tierOrder: defaultTierOrder }, rule.ingress, rule.egress, dd.ingress, dd.egress);
  view(
    { tier: CILIUM_TIERS.additive.name, tierOrder: CILIUM_TIERS.additive.order, tierPasses: true },
    rule.ingress,
    rule.egress,
    !dd.ingress && rule.ingress.length > 0,
    !dd.egress && rule.egress.length > 0,
  );
  return views;
};

/** The rule id verdicts name when `always` puts a pod in default deny (no rule of the workspace does). */
export const CILIUM_ALWAYS_ID = 'cilium:policy-enforcement-always';

/**
 * policyEnforcementMode `always` ("policy enforcement is enabled on all endpoints even if no rules select
 * specific endpoints", docs.cilium.io, Policy Enforcement Modes): one view in the default tier that puts
 * every pod Cilium manages in default deny both ways and allows nothing itself. Its specificity is below
 * any real policy's, so a denial names the policy the person would add the missing rule to, when there is one.
 */
const alwaysView = (defaultTierOrder: number): PolicyView => {
  const rule: CiliumPolicyRule = {
    id: CILIUM_ALWAYS_ID,
    type: 'cilium-network-policy',
    level: 'policy',
    kind: 'CiliumClusterwideNetworkPolicy',
    name: 'policy enforcement mode always',
    endpointSelector: {},
    ingress: [],
    egress: [],
    ingressDeny: [],
    egressDeny: [],
    defaultDeny: { ingress: true, egress: true },
  };
  const [view] = ciliumPolicyViews(rule, [], defaultTierOrder) as [PolicyView];
  return { ...view, display: "Cilium's policy enforcement mode always", specificity: -1 };
};

/**
 * The policies the Cilium agent enforces under its mode: `default` as they are; `always` adds a default deny
 * for every pod; `never` enforces neither Cilium rules nor NetworkPolicy (Cilium, the CNI, is what enforces
 * them), which are returned apart so verdicts can say they are not enforced.
 */
export const ciliumEnforcementViews = (
  views: PolicyView[],
  mode: 'default' | 'always' | 'never',
  defaultTierOrder: number,
): { enforced: PolicyView[]; unenforced: PolicyView[] } => {
  if (mode === 'always') return { enforced: [...views, alwaysView(defaultTierOrder)], unenforced: [] };
  if (mode === 'default') return { enforced: views, unenforced: [] };
  const byCilium = (v: PolicyView) => v.kind === 'cilium' || v.kind === 'k8s';
  return { enforced: views.filter((v) => !byCilium(v)), unenforced: views.filter(byCilium) };
};
