// Across files: pods read in one file join the label sets of policies read in another; namespaces join user-defined networks.
import { isRecord } from '../../import/manifests';
import { diagnostic } from '../../import/text';
import { matchCalicoSelector, matchLabelSelector } from '../../model/selector';
import {
  type Diagnostic,
  type LabelSelector,
  NETWORK_ADDRESSES,
  SECONDARY_KIND,
  type Segment,
  UDN_KIND,
  type Workspace,
} from '../../model/types';
import { calicoEndpointLabels, calicoNamespaceLabels } from '../calico/conventions';
import { NAMESPACE_NETWORK_PREFIX, namespacePolicyId, SERVICE_ACCOUNT_PREFIX } from './conventions';
import { linkServicesAcrossFiles } from './link-services';
import { PRIMARY_UDN_LABEL } from './networks';

/**
 * Recompute policy-level memberships of Kubernetes workloads against every label-set segment of a
 * merged workspace. Each file's reader can only match its own pods; when workloads and policies come
 * in separate files, this puts the pods into the sets of the other files (and namespaced Calico sets
 * under their namespace segment). Services without a Kubernetes namespace network are left alone.
 */
export const linkPolicyMemberships = (ws: Workspace): Workspace => {
  const segById = new Map(ws.segments.map((s) => [s.id, s]));
  const sets = ws.segments.filter((s) => s.level === 'policy' && s.attributes?.kind === 'label-set');
  if (sets.length === 0) return ws;
  const segments = ws.segments.map((s) => {
    const ns = s.attributes?.namespace;
    if (s.parent || !sets.includes(s) || typeof ns !== 'string' || !segById.has(namespacePolicyId(ns))) return s;
    return { ...s, parent: namespacePolicyId(ns) };
  });
  const services = ws.services.map((svc) => {
    const net = svc.memberships.network?.find((id) => id.startsWith(NAMESPACE_NETWORK_PREFIX));
    if (!net) return svc;
    const ns = net.slice(NAMESPACE_NETWORK_PREFIX.length);
    const labels = svc.labels ?? {};
    const nsLabels = segById.get(namespacePolicyId(ns))?.labels ?? {};
    const role = svc.memberships.role?.find((id) => id.startsWith(`${SERVICE_ACCOUNT_PREFIX}${ns}/`));
    const sa = role?.slice(`${SERVICE_ACCOUNT_PREFIX}${ns}/`.length);
    const member: string[] = [];
    for (const set of sets) {
      const a = set.attributes ?? {};
      if (a.engine === 'calico') {
        if (typeof a.namespace === 'string' && a.namespace !== ns) continue;
        const ep = calicoEndpointLabels(labels, ns, sa);
        if (typeof a.selector !== 'string' || !matchCalicoSelector(a.selector, ep)) continue;
        const nsSel = a.namespaceSelector;
        if (typeof nsSel === 'string' && !matchCalicoSelector(nsSel, calicoNamespaceLabels(nsLabels, ns))) continue;
        member.push(set.id);
      } else if (
        a.namespace === ns &&
        isRecord(a.selector) &&
        matchLabelSelector(a.selector as LabelSelector, labels)
      ) {
        member.push(set.id);
      }
    }
    const policy = member.length > 0 ? member : segById.has(namespacePolicyId(ns)) ? [namespacePolicyId(ns)] : [];
    const same = JSON.stringify(policy) === JSON.stringify(svc.memberships.policy ?? []);
    return same ? svc : { ...svc, memberships: { ...svc.memberships, policy } };
  });
  return { ...ws, segments, services };
};

/** Namespaces as user-defined networks select them: labels (with the name label) and whether the input declares them. */
const namespaceLabels = (ws: Workspace) => {
  const labels = new Map<string, Record<string, string>>();
  const declared = new Set<string>();
  for (const s of ws.segments) {
    const ns = s.attributes?.namespace;
    if (s.level === 'policy' && s.attributes?.kind === 'namespace' && typeof ns === 'string') {
      labels.set(ns, { ...(s.labels ?? {}), 'kubernetes.io/metadata.name': ns });
      if (!s.attributes.stub) declared.add(ns);
    }
  }
  /** The network's namespaces (UDN) or namespace selector (CUDN) covers ns, whatever its labels allow. */
  const covers = (seg: Segment, ns: string): boolean => {
    const list = seg.attributes?.namespaces;
    if (Array.isArray(list)) return list.includes(ns);
    const sel = seg.attributes?.namespaceSelector as LabelSelector | undefined;
    return sel !== undefined && matchLabelSelector(sel, labels.get(ns) ?? { 'kubernetes.io/metadata.name': ns });
  };
  /** A declared namespace without PRIMARY_UDN_LABEL cannot have a primary user-defined network. */
  const unlabelled = (ns: string): boolean => declared.has(ns) && !(PRIMARY_UDN_LABEL in (labels.get(ns) ?? {}));
  return { covers, unlabelled, declared };
};

/**
 * Primary user-defined networks that cover a namespace the input declares without PRIMARY_UDN_LABEL: a
 * warning each, as OVN-Kubernetes leaves that namespace on the default network (and so does the link step).
 */
export const unlabelledNamespaceWarnings = (ws: Workspace): Diagnostic[] => {
  const { covers, unlabelled, declared } = namespaceLabels(ws);
  const out: Diagnostic[] = [];
  for (const seg of ws.segments) {
    if (seg.level !== 'network' || seg.attributes?.kind !== UDN_KIND) continue;
    const at = seg.source?.[0] ?? { file: ws.sources?.[0]?.name ?? '(workspace)', line: 1, column: 1 };
    const via = typeof seg.attributes.via === 'string' ? seg.attributes.via : 'user-defined network';
    for (const ns of [...declared].sort()) {
      if (!unlabelled(ns) || !covers(seg, ns)) continue;
      out.push(
        diagnostic(
          at.file,
          at,
          `${via} ${seg.name} is a primary network, but namespace ${ns} has no ${PRIMARY_UDN_LABEL} label: its pods stay on the cluster's default network`,
          'warn',
        ),
      );
    }
  }
  return out;
};

/**
 * A MultiNetworkPolicy ipBlock matches a pod by its address on the policy's network: a warning for each
 * network where attached pods have no address in the input (network-status or static `ips`), as no ipBlock
 * of that policy can match them there.
 */
export const multiNetworkAddressWarnings = (ws: Workspace): Diagnostic[] => {
  const out: Diagnostic[] = [];
  for (const r of ws.rules) {
    if (r.type !== 'k8s-network-policy' || !r.networks?.length) continue;
    const entries = [...(r.ingress ?? []), ...(r.egress ?? [])];
    if (!entries.some((e) => e.peers?.some((p) => p.ipBlock))) continue;
    for (const net of r.networks) {
      const unknown = ws.services.filter((svc) => {
        const known = svc.extra?.[NETWORK_ADDRESSES] as Record<string, unknown> | undefined;
        return (svc.memberships.network ?? []).includes(net) && !known?.[net];
      });
      if (unknown.length === 0) continue;
      const at = r.source ?? { file: ws.sources?.[0]?.name ?? '(workspace)', line: 1, column: 1 };
      const netName = ws.segments.find((x) => x.id === net)?.name ?? net.replace(/^network:k8s:net:/, '');
      const who = unknown.map((svc) => (svc.namespace ? `${svc.namespace}/${svc.name}` : svc.name)).sort();
      out.push(
        diagnostic(
          at.file,
          at,
          `MultiNetworkPolicy ${r.namespace}/${r.name}: its ipBlock peers match a pod by its address on ${netName}, and ${who.join(', ')} ${who.length === 1 ? 'has' : 'have'} none there in the input (k8s.v1.cni.cncf.io/network-status, or ips in k8s.v1.cni.cncf.io/networks): no ipBlock matches ${who.length === 1 ? 'it' : 'them'} on that network`,
          'warn',
        ),
      );
    }
  }
  return out;
};

/**
 * Across files: a namespace whose primary network is a user-defined one (a UDN in it, or a CUDN selecting
 * its labels) gets that network as the parent of its namespace network, so the network level isolates it;
 * a secondary CUDN's network in a namespace it selects becomes that namespace's network of the same name.
 */
export const linkUserDefinedNetworks = (ws: Workspace): Workspace => {
  const udns = ws.segments.filter((s) => s.level === 'network' && s.attributes?.kind === UDN_KIND);
  const cudnSecondary = ws.segments.filter(
    (s) =>
      s.level === 'network' && s.attributes?.kind === SECONDARY_KIND && s.attributes?.namespaceSelector !== undefined,
  );
  if (udns.length === 0 && cudnSecondary.length === 0) return ws;
  const { covers, unlabelled } = namespaceLabels(ws);
  // A primary network applies only to namespaces created with PRIMARY_UDN_LABEL (one the input only
  // references, whose labels are unknown, is taken to have it).
  const selects = (seg: Segment, ns: string): boolean =>
    !(seg.attributes?.kind === UDN_KIND && unlabelled(ns)) && covers(seg, ns);
  const segments = ws.segments.map((s) => {
    const ns = s.attributes?.namespace;
    if (s.level !== 'network' || s.attributes?.kind !== 'namespace-network' || typeof ns !== 'string') return s;
    const udn = udns.find((u) => selects(u, ns));
    return udn ? { ...s, parent: udn.id } : s;
  });
  const have = new Set(segments.map((s) => s.id));
  for (const svc of ws.services) {
    for (const id of svc.memberships.network ?? []) {
      if (have.has(id)) continue;
      const m = /^network:k8s:net:([^/]+)\/(.+)$/.exec(id);
      const cudn = m && cudnSecondary.find((c) => c.name === m[2] && selects(c, m[1] as string));
      if (!m || !cudn) continue;
      segments.push({
        id,
        level: 'network',
        name: `${m[1]}/${m[2]}`,
        parent: cudn.id,
        attributes: { kind: SECONDARY_KIND, namespace: m[1] },
      });
      have.add(id);
    }
  }
  return { ...ws, segments };
};

/** Everything only the merged workspace settles for Kubernetes: policy label sets, then user-defined networks. */
export const linkK8s = (ws: Workspace): Workspace =>
  linkUserDefinedNetworks(linkPolicyMemberships(linkServicesAcrossFiles(ws)));
