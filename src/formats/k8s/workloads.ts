// Pass 2 of reading a Kubernetes file: workloads grouped under their top controller, one service per group.
import { arr, get, isRecord, rec, str } from '../../import/manifests';
import type { Protocol, Service, ServicePort, SourceLocation } from '../../model/types';
import { guessKind } from '../kinds';
import { type Group, type K8sRead, type PodTemplate, PROTOCOLS, templateOf, type WorkloadObject } from './context';
import { serviceId, workloadId } from './conventions';
import { topControllers } from './owners';

export const groupWorkloads = (ctx: K8sRead): void => {
  const tops = topControllers(ctx);
  for (const w of ctx.workloads) {
    const top = tops.get(w) ?? { kind: w.kind, name: w.name };
    const key = `${w.namespace}/${top.kind}/${top.name}`;
    let g = ctx.groups.get(key);
    if (!g) {
      g = { kind: top.kind, name: top.name, namespace: w.namespace, members: [], serviceAccount: 'default' };
      ctx.groups.set(key, g);
    }
    g.members.push(w);
    if (w.kind === top.kind && w.name === top.name) g.top = w;
  }
};

/**
 * Container ports of a pod spec, once per port and protocol; a hostPort publishes it. A port the API
 * would refuse (containerPort not 1–65535, protocol not TCP, UDP or SCTP:
 * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports) is a located
 * error and left out, never read as another port or protocol.
 */
const containerPorts = (ctx: K8sRead, tt: { w: WorkloadObject; t: PodTemplate } | undefined): ServicePort[] => {
  const ports: ServicePort[] = [];
  if (!tt) return ports;
  (arr(tt.t.spec.containers) ?? []).forEach((c, ci) => {
    (arr(get(c, 'ports')) ?? []).forEach((p, pi) => {
      if (!isRecord(p)) return;
      const at = [...tt.t.specPath, 'containers', ci, 'ports', pi];
      const port = p.containerPort;
      const proto = p.protocol ?? 'TCP';
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        ctx.diag(
          tt.w.m,
          [...at, 'containerPort'],
          `containerPort ${JSON.stringify(port)} is not a port number (1–65535); this port is left out`,
        );
        return;
      }
      if (!PROTOCOLS.includes(proto as Protocol)) {
        ctx.diag(
          tt.w.m,
          [...at, 'protocol'],
          `protocol ${JSON.stringify(proto)} is not TCP, UDP or SCTP; this port is left out`,
        );
        return;
      }
      const name = str(p.name);
      if (ports.some((x) => x.port === port && (x.protocol ?? 'TCP') === proto)) return;
      ports.push({
        port,
        protocol: proto as Protocol,
        ...(name ? { name } : {}),
        ...(typeof p.hostPort === 'number' ? { published: true } : {}),
      });
    });
  });
  return ports;
};

/** The ServiceAccount the group's pods run as; a warning when the file does not declare it. */
const serviceAccountOf = (ctx: K8sRead, g: Group): string => {
  const tt = templateOf(g);
  const spec = tt?.t.spec ?? {};
  const sa = str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default';
  if (tt && sa !== 'default' && !ctx.serviceAccounts.has(`${g.namespace}/${sa}`)) {
    const sub = [...tt.t.specPath, spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount'];
    ctx.diag(
      tt.w.m,
      sub,
      `${g.kind} ${g.namespace}/${g.name} runs as ServiceAccount "${sa}", which is not in this file`,
      'warn',
    );
  }
  return sa;
};

/** Pod IPs the file's Pods report in their status. */
const podAddresses = (g: Group): Set<string> => {
  const addresses = new Set<string>();
  for (const w of g.members) {
    if (w.kind !== 'Pod') continue;
    const ip = str(get(w.m.value, 'status', 'podIP'));
    if (ip) addresses.add(ip);
    for (const x of arr(get(w.m.value, 'status', 'podIPs')) ?? []) {
      const a = str(get(x, 'ip'));
      if (a) addresses.add(a);
    }
  }
  return addresses;
};

/** Replicas a controller asks for, or the Pods the file holds when there is no controller. */
const replicasOf = (g: Group): number | undefined => {
  const topSpec = g.top ? rec(g.top.m.value.spec) : undefined;
  if (g.top && ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(g.top.kind)) {
    return typeof topSpec?.replicas === 'number' ? topSpec.replicas : 1;
  }
  if (!g.top || g.top.kind === 'Pod') return g.members.filter((w) => w.kind === 'Pod').length || undefined;
  return undefined;
};

/**
 * Whether the pods run an Istio sidecar, when the workload itself says: the `sidecar.istio.io/inject` label
 * (or the older annotation) decides over the namespace's injection label (istio.io/latest/docs/setup/
 * additional-setup/sidecar-injection, "Controlling the injection policy"); a pod as the API returns it
 * after injection has an `istio-proxy` container (or native sidecar init container).
 */
const sidecarOf = (tt: { w: WorkloadObject; t: PodTemplate } | undefined): { sidecar?: boolean } => {
  if (!tt) return {};
  const names = [...(arr(tt.t.spec.containers) ?? []), ...(arr(tt.t.spec.initContainers) ?? [])].map((c) =>
    str(get(c, 'name')),
  );
  if (names.includes('istio-proxy')) return { sidecar: true };
  const annotations = get(tt.w.m.value, ...tt.t.specPath.slice(0, -1), 'metadata', 'annotations');
  const flag = tt.t.labels['sidecar.istio.io/inject'] ?? str(get(annotations, 'sidecar.istio.io/inject'));
  return flag === 'true' ? { sidecar: true } : flag === 'false' ? { sidecar: false } : {};
};

/**
 * The workload np-guard's netpol-analyzer names the group after, when the group's top controller is inferred
 * (not in the file) and is not it: it names a Pod by its controller owner reference and any other object by
 * itself, so Pods of a ReplicaSet whose Deployment is known only from the pod-template-hash — with or without
 * that ReplicaSet in the file — print as `web-7d4b9c[ReplicaSet]`, which `connlist --format txt` prints.
 */
const podController = (g: Group): { kind: string; name: string } | undefined => {
  if (g.top) return undefined;
  const named = g.members.map((w) =>
    w.kind === 'Pod' ? (w.owners?.length === 1 ? w.owners[0] : undefined) : { kind: w.kind, name: w.name },
  );
  const [first] = named;
  if (!first?.kind || named.some((o) => o?.kind !== first.kind || o?.name !== first.name)) return undefined;
  return first.kind === g.kind && first.name === g.name ? undefined : { kind: first.kind, name: first.name };
};

/** One service per group: labels, ports, addresses and replicas from its pod template and Pods. */
export const buildServices = (ctx: K8sRead): void => {
  const usedIds = new Map<string, Group>();
  for (const g of ctx.groups.values()) {
    const tt = templateOf(g);
    const labels = { ...(tt?.t.labels ?? {}) };
    // The hash differs per ReplicaSet revision; keeping it would split one workload's identity.
    if (g.top?.kind !== 'Pod') delete labels['pod-template-hash'];
    const containers = (arr(tt?.t.spec?.containers) ?? []).filter(isRecord);
    const ports = containerPorts(ctx, tt);
    g.serviceAccount = serviceAccountOf(ctx, g);
    const id = workloadId(g.namespace, g.name, g.kind, (x) => usedIds.has(x));
    const clash = usedIds.get(serviceId(g.namespace, g.name));
    const m = g.top?.m ?? g.members[0]?.m;
    if (clash && m) {
      ctx.diag(
        m,
        ['metadata', 'name'],
        `${clash.kind} and ${g.kind} are both named "${g.name}" in namespace ${g.namespace}; the ${g.kind} is imported as ${id}`,
        'warn',
      );
    }
    usedIds.set(id, g);
    const addresses = podAddresses(g);
    const replicas = replicasOf(g);
    const controller = podController(g);
    const sources: SourceLocation[] = [];
    for (const w of g.top ? [g.top, ...g.members.filter((x) => x !== g.top)] : g.members) sources.push(w.m.source());
    const service: Service = {
      id,
      name: g.name,
      kind: guessKind(g.name, str(containers[0]?.image), false),
      namespace: g.namespace,
      labels,
      ...(ports.length > 0 ? { ports } : {}),
      ...(addresses.size > 0 ? { addresses: [...addresses] } : {}),
      ...(replicas !== undefined ? { replicas } : {}),
      ...(tt?.t.spec.hostNetwork === true ? { hostNetwork: true } : {}),
      ...sidecarOf(tt),
      memberships: {},
      source: sources,
      extra: { k8sKind: g.kind, ...(controller ? { k8sPodController: controller } : {}) },
    };
    g.service = service;
    ctx.fragment.services.push(service);
  }
};
