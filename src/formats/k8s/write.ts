// Writer for Kubernetes manifests: Namespaces, ServiceAccounts, workloads, Services, Ingresses and NetworkPolicies.
import { type ExportResult, examples, isObj, Notes, type Obj, yamlDocuments } from '../../export/format';
import type { K8sNetworkPolicyRule, Segment, Workspace } from '../../model/types';
import { CLUSTER_PREFIX, NAMESPACE_NAME_LABEL, SERVICE_ACCOUNT_PREFIX } from './conventions';
import { ingressesOf } from './write-ingresses';
import { fitPolicyMemberships } from './write-labels';
import { imageOf, knownImage, noteUnwritten } from './write-limits';
import { containerPorts, metadata, networkPolicyObject, workloadObject } from './write-objects';
import { aliasServices, callEnv, selectionIndex, servicesOf, uniqueSelectors } from './write-services';
import {
  isUndeclared,
  type Labels,
  type NamespaceEntry,
  namespacesOf,
  pickServices,
  type Workload,
  workloadsOf,
} from './write-workloads';

export { networkPolicyObject } from './write-objects';

/** Workload objects with one container each; images are not in the workspace unless another format knew them. */
const workloadDocs = (workloads: Workload[], env: Map<string, Obj[]>, notes: Notes): Obj[] => {
  const placeholders: string[] = [];
  const docs: Obj[] = [];
  for (const w of workloads) {
    if (w.externalName !== undefined) continue;
    if (knownImage(w) === undefined) placeholders.push(w.svc.id);
    const container: Obj = { name: w.name, image: imageOf(w) };
    const allPublished = (w.svc.ports ?? []).every((p) => p.published);
    const ports = containerPorts(w.svc, !(w.svc.exposed && allPublished && w.serviceName !== undefined));
    if (ports.length > 0) container.ports = ports;
    const vars = env.get(w.svc.id);
    if (vars) container.env = vars;
    docs.push(workloadObject(w, container, notes));
  }
  if (placeholders.length > 0) {
    notes.add(
      `container images are not in the workspace; placeholder images segscope.invalid/<name> for ${examples(placeholders)}`,
    );
  }
  return docs;
};

/** Service accounts: declared ones, and the ones workloads run as. */
const serviceAccountDocs = (ws: Workspace, workloads: Workload[]): Obj[] => {
  const accounts = new Map<string, boolean>();
  for (const seg of ws.segments) {
    if (seg.attributes?.kind !== 'service-account' || !seg.id.startsWith(SERVICE_ACCOUNT_PREFIX)) continue;
    accounts.set(seg.id.slice(SERVICE_ACCOUNT_PREFIX.length), !isUndeclared(seg));
  }
  for (const w of workloads) {
    const key = `${w.namespace}/${w.serviceAccount}`;
    if (w.serviceAccount !== 'default' && !accounts.has(key)) accounts.set(key, true);
  }
  return [...accounts]
    .filter(([, declare]) => declare)
    .map(([key]) => {
      const [ns, name] = key.split('/') as [string, string];
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(name, ns) };
    });
};

const namespaceDocs = (namespaces: Map<string, NamespaceEntry>): Obj[] =>
  [...namespaces]
    .filter(([, e]) => e.declare)
    .map(([ns, e]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: metadata(ns, undefined, e.labels) }));

/** The cluster name goes where the reader looks for it: metadata.clusterName of the first object. */
const writeClusterName = (ws: Workspace, first: Obj, notes: Notes): void => {
  const cluster = ws.segments.find((s: Segment) => s.id.startsWith(CLUSTER_PREFIX) && s.attributes?.kind === 'cluster');
  if (cluster && isObj(first.metadata)) {
    first.metadata = { ...first.metadata, clusterName: cluster.name };
    notes.add(`the cluster name is written as metadata.clusterName of the first object, where segscope reads it`);
  }
};

export const exportK8s = (ws: Workspace): ExportResult => {
  const notes = new Notes();
  const segById = new Map(ws.segments.map((s) => [s.id, s]));
  const picked = pickServices(ws);
  if (picked.length > 0 && picked.every((p) => p.converted)) {
    notes.add('no service comes from Kubernetes: every service is written as a Deployment of its namespace');
  }
  const workloads = workloadsOf(picked, notes);
  const policies = ws.rules.filter(
    (r): r is K8sNetworkPolicyRule => r.type === 'k8s-network-policy' && r.networks === undefined,
  );
  const namespaces = namespacesOf(ws, segById, workloads, policies);
  const nsLabels = new Map<string, Labels>();
  for (const [ns, e] of namespaces) nsLabels.set(ns, { ...e.labels, [NAMESPACE_NAME_LABEL]: ns });
  // Pod labels are what put a pod in a label set, and what a Service selects it by.
  const { setIds, setsFor } = fitPolicyMemberships(ws, workloads, nsLabels, new Set(segById.keys()), notes);
  const alsoSelected = selectionIndex(workloads);
  uniqueSelectors(workloads, alsoSelected, setIds, setsFor, notes);
  const { services, serviceNames } = servicesOf(workloads, alsoSelected, notes);
  const ingresses = ingressesOf(workloads, notes);
  services.push(...aliasServices(workloads, serviceNames, notes));
  const env = callEnv(ws, workloads, notes);
  const docs: Obj[] = [
    ...namespaceDocs(namespaces),
    ...serviceAccountDocs(ws, workloads),
    ...workloadDocs(workloads, env, notes),
    ...services,
    ...ingresses,
    ...policies.map(networkPolicyObject),
  ];
  if (docs.length === 0) {
    notes.add('the workspace has no Kubernetes workload, namespace or NetworkPolicy');
    return { files: [], notes: notes.list };
  }
  writeClusterName(ws, docs[0] as Obj, notes);
  if (
    ws.rules.some(
      (r) =>
        r.type === 'admin-network-policy' ||
        r.type === 'cilium-network-policy' ||
        (r.type === 'k8s-network-policy' && r.networks),
    )
  ) {
    notes.add(
      'AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy, MultiNetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy are not written (keep their own files)',
    );
  }
  if (ws.rules.some((r) => r.type === 'istio-authorization' || r.type === 'istio-peer-authentication')) {
    notes.add('Istio AuthorizationPolicy and PeerAuthentication are not written (keep their own files)');
  }
  if (ws.rules.some((r) => r.type === 'calico-policy' || r.type === 'calico-tier' || r.type === 'calico-network-set')) {
    notes.add('Calico tiers, policies and network sets are written by the calico export');
  }
  noteUnwritten(ws, workloads, notes);
  return { files: [{ name: 'k8s.yaml', text: yamlDocuments(docs) }], notes: notes.list };
};
