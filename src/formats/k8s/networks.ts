// OVN-Kubernetes user-defined networks (UserDefinedNetwork, ClusterUserDefinedNetwork) and Multus NetworkAttachmentDefinitions → network-level segments; pods' secondary attachments.
import { get, isRecord, type Manifest, meta, rec, str } from '../../import/manifests';
import { SECONDARY_KIND, type Segment, UDN_KIND } from '../../model/types';
import type { K8sRead } from './context';
import { readLabelSelector, readNetworkPolicy } from './network-policy';

export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
/** What Multus reports a pod attached to: `[{name: "ns/nad", interface, ips: [...], default?}]`. */
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';

/**
 * The label a namespace must carry (set when it is created) for OVN-Kubernetes to give its pods a primary
 * user-defined network (OpenShift "Creating a namespace for user-defined networks"; ovn-kubernetes.io
 * user-defined networks): without it the namespace stays on the cluster's default network.
 */
export const PRIMARY_UDN_LABEL = 'k8s.ovn.org/primary-user-defined-network';
export const POLICY_FOR_ANNOTATION = 'k8s.v1.cni.cncf.io/policy-for';

/** A secondary network a pod names as `ns/name`: the NetworkAttachmentDefinition's id. */
export const secondaryId = (namespace: string, name: string) => `network:k8s:net:${namespace}/${name}`;

export const isNetworkObject = (m: Manifest): boolean =>
  (m.apiVersion.startsWith('k8s.ovn.org/') &&
    (m.kind === 'UserDefinedNetwork' || m.kind === 'ClusterUserDefinedNetwork')) ||
  (m.apiVersion.startsWith('k8s.cni.cncf.io/') && m.kind === 'NetworkAttachmentDefinition');

/** `spec.layer2.role` / `spec.layer3.role` (UDN) or `spec.network.…` (CUDN): Primary or Secondary. */
const roleOf = (net: Record<string, unknown> | undefined): { topology?: string; role?: string; subnets: string[] } => {
  const topology = str(net?.topology);
  const body = rec(net?.[topology === 'Layer3' ? 'layer3' : topology === 'Localnet' ? 'localnet' : 'layer2']);
  const subnets = ((body?.subnets as unknown[]) ?? [])
    .map((s) => (typeof s === 'string' ? s : str(get(s, 'cidr'))))
    .filter((s): s is string => typeof s === 'string');
  const out: { topology?: string; role?: string; subnets: string[] } = { subnets };
  if (topology) out.topology = topology;
  const role = str(body?.role);
  if (role) out.role = role;
  return out;
};

type SegmentBase = Pick<Segment, 'level' | 'source' | 'parent'>;

/** A NetworkAttachmentDefinition: a secondary network, or (config `"role": "primary"`) a primary UDN's NAD. */
const nadSegment = (ctx: K8sRead, m: Manifest, name: string, ns: string, base: SegmentBase): Segment => {
  const config = str(get(m.value, 'spec', 'config'));
  let parsed: unknown;
  try {
    parsed = config === undefined ? {} : JSON.parse(config);
  } catch {
    ctx.diag(
      m,
      ['spec', 'config'],
      `NetworkAttachmentDefinition ${ns}/${name}: spec.config is not JSON; read as a secondary network`,
      'warn',
    );
  }
  const primary = str(get(parsed, 'role')) === 'primary';
  // OVN-Kubernetes marks the NAD of a primary user-defined network with "role": "primary" in its config.
  return primary
    ? {
        ...base,
        id: `network:k8s:udn:${ns}/${name}`,
        name: `${ns}/${name}`,
        attributes: { kind: UDN_KIND, role: 'primary', namespaces: [ns], via: 'NetworkAttachmentDefinition' },
      }
    : {
        ...base,
        id: secondaryId(ns, name),
        name: `${ns}/${name}`,
        attributes: { kind: SECONDARY_KIND, namespace: ns, cni: str(get(parsed, 'type')) ?? 'unknown' },
      };
};

/** One UDN, CUDN or NAD as a network segment; undefined (with a located error) when unusable. */
export const readNetworkObject = (ctx: K8sRead, m: Manifest, clusterParent?: string): Segment | undefined => {
  const { name, namespace } = meta(m);
  if (!name) {
    ctx.diag(m, ['metadata'], `${m.kind} without metadata.name; skipped`);
    return undefined;
  }
  const ns = namespace ?? 'default';
  const base = {
    level: 'network' as const,
    source: [m.source()],
    ...(clusterParent ? { parent: clusterParent } : {}),
  };
  if (m.kind === 'NetworkAttachmentDefinition') return nadSegment(ctx, m, name, ns, base);
  const spec = rec(m.value.spec) ?? {};
  const cluster = m.kind === 'ClusterUserDefinedNetwork';
  const net = cluster ? rec(spec.network) : spec;
  const { topology, role, subnets } = roleOf(net);
  if (role !== 'Primary' && role !== 'Secondary') {
    ctx.diag(
      m,
      cluster ? ['spec', 'network'] : ['spec'],
      `${m.kind} ${name}: role ${JSON.stringify(role)} is not Primary or Secondary; skipped`,
    );
    return undefined;
  }
  const attrs: Record<string, unknown> = {
    kind: role === 'Primary' ? UDN_KIND : SECONDARY_KIND,
    role: role.toLowerCase(),
    via: m.kind,
  };
  if (topology) attrs.topology = topology;
  if (cluster) {
    const errors = { n: 0 };
    const sel = readLabelSelector(ctx, m, ['spec', 'namespaceSelector'], spec.namespaceSelector, errors);
    if (!sel || errors.n > 0) {
      ctx.diag(
        m,
        ['spec', 'namespaceSelector'],
        `ClusterUserDefinedNetwork ${name} needs a namespaceSelector; skipped`,
      );
      return undefined;
    }
    attrs.namespaceSelector = sel;
    return {
      ...base,
      id: `network:k8s:cudn:${name}`,
      name,
      ...(subnets.length ? { cidrs: subnets } : {}),
      attributes: attrs,
    };
  }
  attrs.namespaces = [ns];
  if (role === 'Secondary') attrs.namespace = ns;
  return {
    ...base,
    id: role === 'Primary' ? `network:k8s:udn:${ns}/${name}` : secondaryId(ns, name),
    name: `${ns}/${name}`,
    ...(subnets.length ? { cidrs: subnets } : {}),
    attributes: attrs,
  };
};

/**
 * The secondary networks a pod template asks for: `k8s.v1.cni.cncf.io/networks` as a comma list
 * (`ns/name@iface`) or a JSON list of `{name, namespace}` (Multus network selection annotation).
 */
export const podNetworks = (annotations: unknown, namespace: string): string[] => {
  const text = isRecord(annotations) ? str(annotations[NETWORKS_ANNOTATION]) : undefined;
  if (!text) return [];
  const refs: { name: string; namespace: string }[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      for (const e of JSON.parse(trimmed) as unknown[]) {
        const n = str(get(e, 'name'));
        if (n) refs.push({ name: n, namespace: str(get(e, 'namespace')) ?? namespace });
      }
    } catch {
      return [];
    }
  } else {
    for (const part of trimmed.split(',')) {
      const ref = part.trim().replace(/@.*$/, '');
      if (!ref) continue;
      const [a, b] = ref.split('/');
      refs.push(b === undefined ? { name: a as string, namespace } : { name: b, namespace: a as string });
    }
  }
  return [...new Set(refs.map((r) => secondaryId(r.namespace, r.name)))];
};

/** A JSON list of objects in an annotation, or [] when absent or not such a list. */
const jsonList = (annotations: Record<string, unknown>, key: string): unknown[] => {
  const text = str(annotations[key])?.trim();
  if (!text?.startsWith('[')) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
};

/**
 * A pod's addresses on its secondary networks, by network id: what Multus reports in
 * `k8s.v1.cni.cncf.io/network-status` (the pod network's entry, `default: true`, left out), and the static
 * `ips` a JSON `k8s.v1.cni.cncf.io/networks` entry asks for (prefix length dropped). MultiNetworkPolicy
 * ipBlocks match a pod by these (k8snetworkplumbingwg/multi-networkpolicy: rules apply to the traffic of that
 * network's interface), not by its pod-network address.
 */
export const podSecondaryAddresses = (annotations: unknown, namespace: string): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  if (!isRecord(annotations)) return out;
  const add = (ref: string | undefined, ns: string | undefined, ips: unknown) => {
    if (!ref || !Array.isArray(ips)) return;
    const [a, b] = ref.split('/');
    const id = b === undefined ? secondaryId(ns ?? namespace, a as string) : secondaryId(a as string, b);
    const list = ips.map((x) => str(x)?.replace(/\/\d+$/, '')).filter((x): x is string => !!x);
    if (list.length > 0) out[id] = [...new Set([...(out[id] ?? []), ...list])];
  };
  for (const e of jsonList(annotations, NETWORKS_ANNOTATION))
    add(str(get(e, 'name')), str(get(e, 'namespace')), get(e, 'ips'));
  for (const e of jsonList(annotations, NETWORK_STATUS_ANNOTATION)) {
    if (get(e, 'default') === true) continue;
    add(str(get(e, 'name')), undefined, get(e, 'ips'));
  }
  return out;
};

/** The networks a MultiNetworkPolicy applies on (`k8s.v1.cni.cncf.io/policy-for: ns/name,name2`). */
export const policyForNetworks = (m: Manifest, namespace: string): string[] => {
  const text = str(get(m.value, 'metadata', 'annotations', POLICY_FOR_ANNOTATION)) ?? '';
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((ref) => {
      const [a, b] = ref.split('/');
      return b === undefined ? secondaryId(namespace, a as string) : secondaryId(a as string, b);
    });
};

/** A MultiNetworkPolicy: a NetworkPolicy of the secondary networks it names, a rule scoped to them. */
export const readMultiNetworkPolicy = (ctx: K8sRead, m: Manifest): void => {
  const { name } = meta(m);
  const namespace = meta(m).namespace ?? 'default';
  if (!name) {
    ctx.diag(m, ['metadata'], 'MultiNetworkPolicy without metadata.name; skipped');
    return;
  }
  const rule = readNetworkPolicy(ctx, m, name, namespace);
  if (!rule) return;
  const networks = policyForNetworks(m, namespace);
  // Modelled: it judges the traffic of pods on the networks it names (src/analysis/levels/policy-multinet.ts).
  if (networks.length === 0) {
    ctx.diag(
      m,
      ['metadata'],
      `MultiNetworkPolicy ${namespace}/${name} has no ${POLICY_FOR_ANNOTATION} annotation: it applies on no network`,
      'warn',
    );
  }
  ctx.fragment.rules.push({ ...rule, id: `k8s:${namespace}/multinetpol/${name}`, networks });
};
