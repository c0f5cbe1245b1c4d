// Kubernetes objects as the writer emits them: NetworkPolicies, metadata, ports, workloads with their pod template.
import type { Notes, Obj } from '../../export/format';
import type {
  K8sNetworkPolicyRule,
  LabelSelector,
  PolicyPeer,
  PolicyPort,
  PolicyRuleEntry,
  Service,
} from '../../model/types';
import type { Labels, Workload } from './write-workloads';

const selectorObj = (sel: LabelSelector): Obj => {
  const out: Obj = {};
  if (sel.matchLabels) out.matchLabels = { ...sel.matchLabels };
  if (sel.matchExpressions) {
    out.matchExpressions = sel.matchExpressions.map((r) => ({
      key: r.key,
      operator: r.operator,
      ...(r.values ? { values: [...r.values] } : {}),
    }));
  }
  return out;
};

const peerObj = (p: PolicyPeer): Obj => {
  const out: Obj = {};
  if (p.ipBlock) out.ipBlock = { cidr: p.ipBlock.cidr, ...(p.ipBlock.except ? { except: [...p.ipBlock.except] } : {}) };
  if (p.namespaceSelector) out.namespaceSelector = selectorObj(p.namespaceSelector);
  if (p.podSelector) out.podSelector = selectorObj(p.podSelector);
  return out;
};

const portObj = (p: PolicyPort): Obj => {
  const out: Obj = {};
  if (p.protocol) out.protocol = p.protocol;
  if (p.port !== undefined) out.port = p.port;
  if (p.endPort !== undefined) out.endPort = p.endPort;
  return out;
};

const entryObj = (e: PolicyRuleEntry, peersKey: 'from' | 'to'): Obj => {
  const out: Obj = {};
  if (e.peers) out[peersKey] = e.peers.map(peerObj);
  if (e.ports) out.ports = e.ports.map(portObj);
  return out;
};

export const networkPolicyObject = (r: K8sNetworkPolicyRule): Obj => {
  const spec: Obj = { podSelector: selectorObj(r.podSelector), policyTypes: [...r.policyTypes] };
  if (r.ingress) spec.ingress = r.ingress.map((e) => entryObj(e, 'from'));
  if (r.egress) spec.egress = r.egress.map((e) => entryObj(e, 'to'));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: r.name, namespace: r.namespace },
    spec,
  };
};

export const metadata = (name: string, namespace?: string, labels?: Labels): Obj => {
  const m: Obj = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (labels && Object.keys(labels).length > 0) m.labels = { ...labels };
  return m;
};

/** Service port names: the container port's, else `<protocol>-<port>` (required once there are several). */
export const servicePorts = (svc: Service): Obj[] =>
  (svc.ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    const out: Obj = { name: p.name ?? `${protocol.toLowerCase()}-${p.port}`, port: p.port };
    if (protocol !== 'TCP') out.protocol = protocol;
    return out;
  });

export const containerPorts = (svc: Service, hostPorts: boolean): Obj[] =>
  (svc.ports ?? []).map((p) => {
    const out: Obj = {};
    if (p.name) out.name = p.name;
    out.containerPort = p.port;
    if (p.protocol && p.protocol !== 'TCP') out.protocol = p.protocol;
    if (hostPorts && p.published) out.hostPort = p.port;
    return out;
  });

export const workloadObject = (w: Workload, container: Obj, notes: Notes): Obj => {
  const podSpec: Obj = {};
  if (w.serviceAccount !== 'default') podSpec.serviceAccountName = w.serviceAccount;
  if (w.kind === 'Job' || w.kind === 'CronJob') podSpec.restartPolicy = 'Never';
  podSpec.containers = [container];
  const template = { metadata: { labels: { ...w.labels } }, spec: podSpec };
  const meta = metadata(w.name, w.namespace);
  const replicas = w.svc.replicas;
  switch (w.kind) {
    case 'Pod':
      if (replicas !== undefined && replicas > 1)
        notes.item('several pods written as one Pod', `${w.svc.id} (${replicas})`);
      return { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta, labels: { ...w.labels } }, spec: podSpec };
    case 'ReplicationController':
      return {
        apiVersion: 'v1',
        kind: w.kind,
        metadata: meta,
        spec: { ...(replicas !== undefined ? { replicas } : {}), selector: { ...w.labels }, template },
      };
    case 'Job':
      return { apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: { template } };
    case 'CronJob':
      notes.item('CronJob schedules are not in the workspace, written as "@daily"', w.svc.id);
      return {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: { schedule: '@daily', jobTemplate: { spec: { template } } },
      };
    default: {
      const spec: Obj = {};
      if (w.kind !== 'DaemonSet' && replicas !== undefined) spec.replicas = replicas;
      if (w.kind === 'StatefulSet') spec.serviceName = w.serviceName ?? w.name;
      spec.selector = { matchLabels: { ...w.labels } };
      spec.template = template;
      return { apiVersion: 'apps/v1', kind: w.kind, metadata: meta, spec };
    }
  }
};

// ---------------------------------------------------------------------------------------------
