// Synthesized NetworkPolicies said as Calico v3 NetworkPolicies (same verdicts), for `synthesize --level policy --format calico`.
import type {
  CalicoEntityRule,
  CalicoPolicyRule,
  CalicoRuleEntry,
  K8sNetworkPolicyRule,
  LabelSelector,
  PolicyPeer,
  PolicyPort,
  PolicyRuleEntry,
  Workspace,
} from '../model/types';

const quoted = (v: string) => `'${v.replace(/'/g, "\\'")}'`;

/** A Kubernetes label selector as a Calico selector expression (`{}` selects all). */
export const calicoSelector = (s: LabelSelector): string => {
  const terms = [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k} == ${quoted(v)}`),
    ...(s.matchExpressions ?? []).map((e) => {
      const set = `{${(e.values ?? []).map(quoted).join(', ')}}`;
      if (e.operator === 'In') return `${e.key} in ${set}`;
      if (e.operator === 'NotIn') return `${e.key} not in ${set}`;
      return e.operator === 'Exists' ? `has(${e.key})` : `!has(${e.key})`;
    }),
  ];
  return terms.length === 0 ? 'all()' : terms.join(' && ');
};

/** Calico names a namespace by `projectcalico.org/name`; the API's `kubernetes.io/metadata.name` label says the same. */
const namespaceSelector = (s: LabelSelector): string => {
  const only = Object.entries(s.matchLabels ?? {});
  const [first] = only;
  if (only.length === 1 && !s.matchExpressions?.length && first?.[0] === 'kubernetes.io/metadata.name')
    return `projectcalico.org/name == ${quoted(first[1])}`;
  return calicoSelector(s);
};

/** A NetworkPolicy peer as a Calico entity: pods of the policy's namespace, of selected namespaces, or addresses. */
const entity = (p: PolicyPeer): CalicoEntityRule => {
  if (p.ipBlock)
    return { nets: [p.ipBlock.cidr], ...(p.ipBlock.except?.length ? { notNets: [...p.ipBlock.except] } : {}) };
  const out: CalicoEntityRule = { selector: calicoSelector(p.podSelector ?? {}) };
  if (p.namespaceSelector) out.namespaceSelector = namespaceSelector(p.namespaceSelector);
  return out;
};

/** Ports by protocol (a Calico rule names one protocol); a port range `a:b`. No ports: one rule for every protocol. */
const byProtocol = (ports: readonly PolicyPort[] | undefined): { protocol?: string; ports?: (number | string)[] }[] => {
  if (!ports || ports.length === 0) return [{}];
  const by = new Map<string, (number | string)[]>();
  for (const p of ports) {
    const proto = p.protocol ?? 'TCP';
    const list = by.get(proto) ?? [];
    if (p.port !== undefined) list.push(p.endPort !== undefined ? `${p.port}:${p.endPort}` : p.port);
    by.set(proto, list);
  }
  return [...by].map(([protocol, list]) => (list.length > 0 ? { protocol, ports: list } : { protocol }));
};

/** One Allow rule per peer and protocol: the peer on the far side, the ports on the selected pod's side for ingress. */
const entries = (list: readonly PolicyRuleEntry[] | undefined, dir: 'ingress' | 'egress'): CalicoRuleEntry[] =>
  (list ?? []).flatMap((e) =>
    (e.peers && e.peers.length > 0 ? e.peers.map(entity) : [undefined]).flatMap((peer) =>
      byProtocol(e.ports).map(({ protocol, ports }) => {
        const r: CalicoRuleEntry = { action: 'Allow' };
        if (protocol) r.protocol = protocol;
        const far: CalicoEntityRule = { ...(peer ?? {}) };
        if (dir === 'ingress') {
          if (peer) r.source = far;
          if (ports) r.destination = { ports };
        } else {
          if (ports) far.ports = ports;
          if (Object.keys(far).length > 0) r.destination = far;
        }
        return r;
      }),
    ),
  );

/**
 * The same policy in Calico's terms (docs.tigera.io, "Kubernetes policy" and "Calico policy"): a
 * policy selecting an endpoint for a direction isolates it there, and in one tier an endpoint no rule
 * allows is denied at the tier's end — so allow-only NetworkPolicies in the default tier keep their verdicts.
 */
export const calicoPolicy = (p: K8sNetworkPolicyRule): CalicoPolicyRule => {
  const out: CalicoPolicyRule = {
    id: `calico:${p.id}`,
    type: 'calico-policy',
    level: 'policy',
    name: p.name,
    namespace: p.namespace,
    tier: 'default',
    selector: calicoSelector(p.podSelector),
    types: [...p.policyTypes],
  };
  if (p.policyTypes.includes('Ingress')) out.ingress = entries(p.ingress, 'ingress');
  if (p.policyTypes.includes('Egress')) out.egress = entries(p.egress, 'egress');
  return out;
};

/** Every (single-network) NetworkPolicy of the workspace replaced by its Calico twin. */
export const asCalico = (ws: Workspace): Workspace => ({
  ...ws,
  rules: ws.rules.map((r) => (r.type === 'k8s-network-policy' && !r.networks ? calicoPolicy(r) : r)),
});
