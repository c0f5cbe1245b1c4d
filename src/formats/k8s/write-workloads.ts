// Which services the Kubernetes writer writes as workloads, and where: namespace, service account, kind, labels.
import { formatExtra, formatId, type Notes, put } from '../../export/format';
import type { K8sNetworkPolicyRule, Segment, Service, Workspace } from '../../model/types';
import {
  NAMESPACE_NAME_LABEL,
  NAMESPACE_NETWORK_PREFIX,
  namespaceNetworkId,
  namespacePolicyId,
  SERVICE_ACCOUNT_PREFIX,
  SERVICE_PREFIX,
  WORKLOAD_KINDS,
  workloadId,
} from './conventions';

export type Labels = Record<string, string>;

/** A workload as it will be written. */
export interface Workload {
  svc: Service;
  kind: string;
  name: string;
  namespace: string;
  labels: Labels;
  serviceAccount: string;
  externalName?: string;
  /** The id the Kubernetes reader will give it. */
  readId: string;
  /** Name of the Service written for it, when one is. */
  serviceName?: string;
}

/** A DNS-1123 label: what Kubernetes accepts as a name. */
export const dnsLabel = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '') || 'x';

/** A segment known only by reference (a stub) or made up by the import (implicit): not declared when written. */
export const isUndeclared = (seg: Segment | undefined): boolean =>
  seg?.attributes?.stub === true || seg?.attributes?.implicit === true;

const refOf = (svc: Service): { namespace: string; kind?: string; name: string } | undefined => {
  const id = formatId(svc, SERVICE_PREFIX);
  if (id === undefined) return undefined;
  const parts = id.slice(SERVICE_PREFIX.length).split('/');
  if (parts.length === 2) return { namespace: parts[0] as string, name: parts[1] as string };
  if (parts.length === 3) return { namespace: parts[0] as string, kind: parts[1] as string, name: parts[2] as string };
  return undefined;
};

/** Which services are Kubernetes workloads: from K8s, placed in a K8s namespace, or (converting) all. */
export const pickServices = (ws: Workspace): { svc: Service; converted: boolean }[] => {
  const k8s = (svc: Service) =>
    refOf(svc) !== undefined || (svc.memberships.network ?? []).some((id) => id.startsWith(NAMESPACE_NETWORK_PREFIX));
  const chosen = ws.services.filter(k8s);
  if (chosen.length > 0) return chosen.map((svc) => ({ svc, converted: refOf(svc) === undefined }));
  return ws.services.map((svc) => ({ svc, converted: true }));
};

/** The service account of the workload's namespace it runs as (a role membership), else `default`. */
const serviceAccountOf = (svc: Service, namespace: string, notes: Notes): string => {
  let serviceAccount = 'default';
  for (const id of svc.memberships.role ?? []) {
    if (!id.startsWith(SERVICE_ACCOUNT_PREFIX)) continue;
    const [saNs, sa] = id.slice(SERVICE_ACCOUNT_PREFIX.length).split('/');
    if (saNs === namespace && sa) serviceAccount = sa;
    else notes.item('service accounts of another namespace, run as default instead', `${svc.id} (${id})`);
  }
  return serviceAccount;
};

/** Workloads, with namespace and service account from the memberships (an edit moves them). */
export const workloadsOf = (picked: { svc: Service }[], notes: Notes): Workload[] => {
  const workloads: Workload[] = [];
  const usedIds = new Set<string>();
  for (const { svc } of picked) {
    const ref = refOf(svc);
    const extra = formatExtra(svc, SERVICE_PREFIX);
    const netNs = (svc.memberships.network ?? [])
      .find((id) => id.startsWith(NAMESPACE_NETWORK_PREFIX))
      ?.slice(NAMESPACE_NETWORK_PREFIX.length);
    const namespace = dnsLabel(netNs ?? ref?.namespace ?? svc.namespace ?? 'default');
    const name = dnsLabel(ref?.name ?? svc.name);
    if (ref && ref.namespace !== namespace) {
      notes.item('moved to another namespace, so read back under a new id', `${svc.id} → k8s:${namespace}/${name}`);
    }
    const serviceAccount = serviceAccountOf(svc, namespace, notes);
    const kindRaw = typeof extra.k8sKind === 'string' ? extra.k8sKind : 'Deployment';
    const externalName = typeof extra.externalName === 'string' ? extra.externalName : undefined;
    const kind = externalName !== undefined ? 'Service' : WORKLOAD_KINDS.has(kindRaw) ? kindRaw : 'Deployment';
    let labels: Labels = { ...(svc.labels ?? {}) };
    if (externalName === undefined && Object.keys(labels).length === 0) labels = { app: name };
    const readId = workloadId(namespace, name, kind, (id) => usedIds.has(id));
    usedIds.add(readId);
    workloads.push({
      svc,
      kind,
      name,
      namespace,
      labels,
      serviceAccount,
      ...(externalName !== undefined ? { externalName } : {}),
      readId,
    });
  }
  return workloads;
};

export interface NamespaceEntry {
  labels: Labels;
  declare: boolean;
}

/** Namespaces of segments, workloads and policies: declared ones keep their labels; ones only referenced stay undeclared. */
export const namespacesOf = (
  ws: Workspace,
  segById: Map<string, Segment>,
  workloads: Workload[],
  policies: K8sNetworkPolicyRule[],
): Map<string, NamespaceEntry> => {
  const namespaces = new Map<string, NamespaceEntry>();
  const nsEntry = (ns: string) => {
    if (namespaces.has(ns)) return;
    const seg = segById.get(namespacePolicyId(ns)) ?? segById.get(namespaceNetworkId(ns));
    const labels: Labels = {};
    for (const [k, v] of Object.entries(segById.get(namespacePolicyId(ns))?.labels ?? {})) {
      if (k !== NAMESPACE_NAME_LABEL) put(labels, k, v);
    }
    namespaces.set(ns, { labels, declare: seg ? !isUndeclared(seg) : ns !== 'default' });
  };
  for (const seg of ws.segments) {
    const a = seg.attributes;
    if ((a?.kind === 'namespace' || a?.kind === 'namespace-network') && typeof a.namespace === 'string') {
      nsEntry(a.namespace);
    }
  }
  for (const w of workloads) nsEntry(w.namespace);
  for (const r of policies) nsEntry(r.namespace);
  return namespaces;
};
