// Ingress/Route exposure in the connectivity list: each assumed ingress controller towards the workloads Ingress and Route objects route to.
import type { Protocol, Segment, Service, Workspace } from '../model/types';
import type { Connection, Ports } from './connlist';
import { type ConnSet, connSet, EMPTY, formatConnSet, intersect, isEmpty, union } from './connset';

/**
 * The controllers np-guard netpol-analyzer assumes (docs/ingress_analysis.md): a pod of unknown labels in
 * each controller's namespace, with the namespace labels the controllers' manifests give. A NetworkPolicy
 * lets a controller in when one of its rules matches that namespace.
 */
export const INGRESS_CONTROLLERS: readonly { name: string; namespace: string; labels: Record<string, string> }[] = [
  { name: '{ingress-nginx}', namespace: 'ingress-nginx', labels: {} },
  {
    name: '{openshift-ingress-operator}',
    namespace: 'openshift-ingress-operator',
    labels: { 'namespace.name': 'openshift-ingress-operator', 'openshift.io/cluster-monitoring': 'true' },
  },
];

/** Stand-in pods (and their namespaces, where the workspace has none) for the controllers. */
export const ingressStandIns = (ws: Workspace): { services: Service[]; segments: Segment[] } => {
  const services: Service[] = [];
  const segments: Segment[] = [];
  const have = new Set(ws.segments.map((s) => s.id));
  for (const c of INGRESS_CONTROLLERS) {
    const nsId = `policy:k8s:ns:${c.namespace}`;
    if (!have.has(nsId)) {
      segments.push({
        id: nsId,
        level: 'policy',
        name: c.namespace,
        labels: { ...c.labels, 'kubernetes.io/metadata.name': c.namespace },
        attributes: { kind: 'namespace', namespace: c.namespace },
      });
    }
    services.push({
      id: `k8s:${c.namespace}/${c.name}`,
      name: c.name,
      kind: 'service',
      namespace: c.namespace,
      labels: {},
      memberships: { policy: [nsId] },
    });
  }
  return { services, segments };
};

/** The pod ports Ingress/Route objects route to on `svc`, as a set. */
const routedSet = (svc: Service): ConnSet => {
  let set = EMPTY;
  for (const p of svc.ports ?? []) {
    if (p.routed?.length) set = union(set, connSet((p.protocol ?? 'TCP') as Protocol, p.port, p.port));
  }
  return set;
};

/**
 * `{controller} => workload : ports` for each routed workload: the routed ports the levels let the
 * controller's stand-in reach (`first`: the index of the first stand-in, in INGRESS_CONTROLLERS order).
 */
export const ingressConnections = (
  ws: Workspace,
  first: number,
  workloads: readonly { name: string; index: number }[],
  pair: (a: number, b: number) => ConnSet,
): Connection[] => {
  const out: Connection[] = [];
  INGRESS_CONTROLLERS.forEach((c, k) => {
    for (const w of [...workloads].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const routed = routedSet(ws.services[w.index] as Service);
      if (isEmpty(routed)) continue;
      const set = intersect(routed, pair(first + k, w.index));
      if (!isEmpty(set)) out.push({ from: c.name, to: w.name, ports: formatConnSet(set) as Ports });
    }
  });
  return out;
};
