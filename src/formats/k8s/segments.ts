// The segments a Kubernetes file describes (cluster, namespaces, service accounts, label sets) and each service's memberships.
import { get, type Manifest, put } from '../../import/manifests';
import { labelSelectorText, matchLabelSelector } from '../../model/selector';
import { type LabelSelector, NETWORK_ADDRESSES, type Segment } from '../../model/types';
import { calicoLabelSets } from '../calico/label-sets';
import { type Group, type K8sRead, templateOf } from './context';
import {
  clusterId,
  labelSetId,
  NAMESPACE_NAME_LABEL,
  namespaceNetworkId,
  namespacePolicyId,
  serviceAccountId,
} from './conventions';
import { podNetworks, podSecondaryAddresses, readNetworkObject } from './networks';

interface K8sLabelSet {
  segment: Segment;
  selector: LabelSelector;
  namespace: string;
  policies: string[];
}

/**
 * Each namespace twice: its network (network level) and its label-set parent (policy level).
 * Namespaces only referenced (not declared) here are stubs, as in the AWS readers: a declared one
 * of the same id from another file wins when merged. Returns the policy-level namespace ids.
 */
const namespaceSegments = (ctx: K8sRead, segs: Segment[], cluster: string | undefined): Set<string> => {
  const nsIds = new Set<string>();
  for (const [ns, info] of [...ctx.namespaces.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const src = info.m ? [info.m.source()] : undefined;
    const stub = info.m ? {} : { stub: true };
    segs.push({
      id: namespaceNetworkId(ns),
      level: 'network',
      name: ns,
      ...(cluster ? { parent: clusterId(cluster) } : {}),
      attributes: { kind: 'namespace-network', namespace: ns, ...stub },
      ...(src ? { source: src } : {}),
    });
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(info.labels)) put(labels, k, v);
    labels[NAMESPACE_NAME_LABEL] = ns;
    segs.push({
      id: namespacePolicyId(ns),
      level: 'policy',
      name: ns,
      labels,
      attributes: { kind: 'namespace', namespace: ns, ...stub },
      ...(src ? { source: src } : {}),
    });
    nsIds.add(namespacePolicyId(ns));
  }
  return nsIds;
};

/** Role level: every declared ServiceAccount now, and (through `role`) the ones workloads run as. */
const serviceAccountRoles = (ctx: K8sRead) => {
  const roles = new Map<string, Segment>();
  const role = (ns: string, sa: string, m?: Manifest) => {
    const id = serviceAccountId(ns, sa);
    if (!roles.has(id)) {
      const saLabels = m ? ctx.labels(m, ['metadata', 'labels'], get(m.value, 'metadata', 'labels')) : undefined;
      roles.set(id, {
        id,
        level: 'role',
        name: `${ns}/${sa}`,
        attributes: { kind: 'service-account', namespace: ns, ...(m ? {} : { stub: true }) },
        ...(m ? { source: [m.source()] } : {}),
        // Calico's serviceAccounts selector matches the account's own labels.
        ...(saLabels && Object.keys(saLabels).length > 0 ? { labels: saLabels } : {}),
      });
    }
    return id;
  };
  for (const [key, m] of ctx.serviceAccounts) {
    const [ns, sa] = key.split('/') as [string, string];
    role(ns, sa, m);
  }
  return { roles, role };
};

/** Policy level: one label set per distinct podSelector of a namespace's NetworkPolicies. */
const networkPolicySets = (ctx: K8sRead): Map<string, K8sLabelSet> => {
  const sets = new Map<string, K8sLabelSet>();
  for (const r of ctx.fragment.rules) {
    if (r.type !== 'k8s-network-policy' || r.networks) continue;
    const text = labelSelectorText(r.podSelector);
    if (text === '') continue; // `{}`: the whole namespace, which its segment already is
    const id = labelSetId(r.namespace, text);
    const prev = sets.get(id);
    if (prev) {
      prev.policies.push(r.name);
      continue;
    }
    const policies = [r.name];
    sets.set(id, {
      selector: r.podSelector,
      namespace: r.namespace,
      policies,
      segment: {
        id,
        level: 'policy',
        name: text,
        parent: namespacePolicyId(r.namespace),
        attributes: { kind: 'label-set', namespace: r.namespace, selector: r.podSelector, policies },
        ...(r.source ? { source: [r.source] } : {}),
      },
    });
  }
  return sets;
};

/** A group's addresses on secondary networks: its pod template's annotations and each of its Pods'. */
const secondaryAddressesOf = (g: Group, template: unknown): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  const sources = [
    template,
    ...g.members.filter((w) => w.kind === 'Pod').map((w) => get(w.m.value, 'metadata', 'annotations')),
  ];
  for (const a of sources) {
    for (const [id, ips] of Object.entries(podSecondaryAddresses(a, g.namespace))) {
      out[id] = [...new Set([...(out[id] ?? []), ...ips])];
    }
  }
  return out;
};

export const buildSegmentsAndMemberships = (ctx: K8sRead): void => {
  const segs = ctx.fragment.segments;
  const cluster = ctx.clusterName;
  if (cluster) {
    segs.push({ id: clusterId(cluster), level: 'account', name: cluster, attributes: { kind: 'cluster' } });
  }
  for (const m of ctx.networkObjects) {
    const seg = readNetworkObject(ctx, m, cluster ? clusterId(cluster) : undefined);
    if (seg) segs.push(seg);
  }
  const nsIds = namespaceSegments(ctx, segs, cluster);
  const { roles, role } = serviceAccountRoles(ctx);
  const k8sSets = networkPolicySets(ctx);
  const calicoSets = calicoLabelSets(ctx.fragment.rules, ctx.file.name, nsIds);
  const nsLabelsById = new Map(segs.filter((x) => x.level === 'policy').map((x) => [x.id, x.labels ?? {}]));
  for (const g of ctx.groups.values()) {
    const svc = g.service;
    if (!svc) continue;
    const ns = g.namespace;
    const labels = svc.labels ?? {};
    if (cluster) svc.memberships.account = [clusterId(cluster)];
    if (g.top || g.members.length > 0) svc.memberships.role = [role(ns, g.serviceAccount)];
    const tpl = templateOf(g);
    const annotations = tpl ? get(tpl.w.m.value, ...tpl.t.specPath.slice(0, -1), 'metadata', 'annotations') : undefined;
    svc.memberships.network = [namespaceNetworkId(ns), ...podNetworks(annotations, ns)];
    const onSecondary = secondaryAddressesOf(g, annotations);
    if (Object.keys(onSecondary).length > 0) svc.extra = { ...svc.extra, [NETWORK_ADDRESSES]: onSecondary };
    const sets: string[] = [];
    for (const s of k8sSets.values())
      if (s.namespace === ns && matchLabelSelector(s.selector, labels)) sets.push(s.segment.id);
    const nsLabels = nsLabelsById.get(namespacePolicyId(ns)) ?? {};
    for (const s of calicoSets) {
      if (s.matches({ labels, namespace: ns, namespaceLabels: nsLabels, serviceAccount: g.serviceAccount }))
        sets.push(s.segment.id);
    }
    svc.memberships.policy = sets.length > 0 ? sets : [namespacePolicyId(ns)];
  }
  segs.push(...roles.values());
  segs.push(...[...k8sSets.values()].map((s) => s.segment));
  segs.push(...calicoSets.map((s) => s.segment));
};
