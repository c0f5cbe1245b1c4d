// Writer for Kubernetes manifests: Namespaces, ServiceAccounts, workloads, Services, Ingresses and NetworkPolicies.

import {
  type ExportResult,
  formatExtra,
  formatId,
  isObj,
  Notes,
  type Obj,
  placeholderImage,
  put,
  sameSet,
  yamlDocuments,
} from '../../export/format';
import { type CalicoExpr, labelSelectorText, matchLabelSelector, parseCalicoSelector } from '../../model/selector';
import type {
  K8sNetworkPolicyRule,
  LabelSelector,
  PolicyPeer,
  PolicyPort,
  PolicyRuleEntry,
  Segment,
  Service,
  Workspace,
} from '../../model/types';
import { calicoLabelSets } from '../calico/read';
import { k8sReader } from './read';

type Labels = Record<string, string>;

/** A workload as it will be written. */
interface Workload {
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

/** A label set the written policies will select, and how a pod comes to be in it. */
interface LabelSet {
  id: string;
  namespace?: string;
  matches(labels: Labels, namespace: string, serviceAccount: string): boolean;
  /** Labels changed so that the pod matches (undefined: cannot say how). */
  toMatch(labels: Labels): Labels | undefined;
  /** Alternative label changes that make the pod leave the set. */
  toLeave(labels: Labels): Labels[];
}

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Pod',
]);

/** A DNS-1123 label: what Kubernetes accepts as a name. */
const dnsLabel = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '') || 'x';

const isUndeclared = (seg: Segment | undefined): boolean =>
  seg?.attributes?.stub === true || seg?.attributes?.implicit === true;

const sample = (items: string[]): string =>
  `${items.slice(0, 5).join(', ')}${items.length > 5 ? `, … (${items.length} in all)` : ''}`;

// ---------------------------------------------------------------------------------------------
// Label sets: making a pod's labels agree with its policy memberships
//
// In Kubernetes and Calico a pod is in a label set because its labels match the set's selector; there
// is no membership to write. So a policy membership is written as pod template labels: for each set
// the service should be in, the labels its selector requires are set (`app=db` → `app: db`; `In` → the
// first value; `Exists` / `has()` → `"true"`); for each set it should not be in, one requirement is
// broken (the label removed, or set to a value the selector excludes), choosing one that keeps the
// wanted sets. Only sets the workspace has as segments and some written policy still selects take
// part; a set a newly added rule creates selects whatever its selector names. When no labels fit, a
// note says so. Namespace and service account memberships become metadata.namespace and
// serviceAccountName; Calico's namespace and service-account labels cannot be set on a pod.

/** One label set, removed or replaced in place (label order is kept, so the written YAML changes little). */
const withLabel = (labels: Labels, key: string, value: string | undefined): Labels => {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) {
    if (k !== key) put(out, k, v);
    else if (value !== undefined) put(out, k, value);
  }
  if (value !== undefined && !Object.hasOwn(labels, key)) put(out, key, value);
  return out;
};

const k8sToMatch = (sel: LabelSelector, labels: Labels): Labels => {
  let out = labels;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) out = withLabel(out, k, v);
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(out, r.key);
    const values = r.values ?? [];
    if (r.operator === 'In' && (!has || !values.includes(out[r.key] as string))) out = withLabel(out, r.key, values[0]);
    else if (r.operator === 'NotIn' && has && values.includes(out[r.key] as string))
      out = withLabel(out, r.key, undefined);
    else if (r.operator === 'Exists' && !has) out = withLabel(out, r.key, 'true');
    else if (r.operator === 'DoesNotExist' && has) out = withLabel(out, r.key, undefined);
  }
  return out;
};

const k8sToLeave = (sel: LabelSelector, labels: Labels): Labels[] => {
  const out: Labels[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {})) out.push(withLabel(labels, k, undefined));
  for (const r of sel.matchExpressions ?? []) {
    if (r.operator === 'In' || r.operator === 'Exists') out.push(withLabel(labels, r.key, undefined));
    else if (r.operator === 'NotIn') out.push(withLabel(labels, r.key, r.values?.[0]));
    else out.push(withLabel(labels, r.key, 'true'));
  }
  return out;
};

/** Labels Calico derives from the namespace and service account cannot be set on a pod. */
const derivedKey = (key: string): boolean => key.startsWith('projectcalico.org/');

const calicoToMatch = (e: CalicoExpr, labels: Labels): Labels | undefined => {
  switch (e.op) {
    case 'all':
    case 'global':
      return labels;
    case 'and': {
      let out: Labels | undefined = labels;
      for (const x of e.exprs) out = out && calicoToMatch(x, out);
      return out;
    }
    case 'or':
      for (const x of e.exprs) {
        const out = calicoToMatch(x, labels);
        if (out) return out;
      }
      return undefined;
    case 'not':
      return calicoToLeave(e.expr, labels)[0];
    default:
      break;
  }
  if (derivedKey(e.key)) return undefined;
  const v = labels[e.key];
  const has = Object.hasOwn(labels, e.key);
  switch (e.op) {
    case 'has':
      return has ? labels : withLabel(labels, e.key, 'true');
    case '==':
    case 'contains':
    case 'starts with':
    case 'ends with':
      return withLabel(labels, e.key, e.value);
    case '!=':
      return has && v === e.value ? withLabel(labels, e.key, undefined) : labels;
    case 'in':
      return has && e.values.includes(v as string) ? labels : withLabel(labels, e.key, e.values[0]);
    case 'not in':
      return has && e.values.includes(v as string) ? withLabel(labels, e.key, undefined) : labels;
  }
};

const calicoToLeave = (e: CalicoExpr, labels: Labels): Labels[] => {
  switch (e.op) {
    case 'all':
    case 'global':
      return [];
    case 'and':
      return e.exprs.flatMap((x) => calicoToLeave(x, labels));
    case 'or': {
      let out: Labels | undefined = labels;
      for (const x of e.exprs) out = out && calicoToLeave(x, out)[0];
      return out ? [out] : [];
    }
    case 'not': {
      const m = calicoToMatch(e.expr, labels);
      return m ? [m] : [];
    }
    default:
      break;
  }
  if (derivedKey(e.key)) return [];
  switch (e.op) {
    case 'has':
    case '==':
    case 'contains':
    case 'starts with':
    case 'ends with':
    case 'in':
      return [withLabel(labels, e.key, undefined)];
    case '!=':
      return [withLabel(labels, e.key, e.value)];
    case 'not in':
      return [withLabel(labels, e.key, e.values[0])];
  }
};

const nsPolicyId = (ns: string) => `policy:k8s:ns:${ns}`;

/** Above this many workloads the written file is not read back (reading costs as much again as writing). */
export const READ_BACK_LIMIT = 3000;

/** Added to a workload whose labels alone would let its Service select other workloads too. */
const WORKLOAD_LABEL = 'segscope.io/workload';

/** The label sets the written NetworkPolicies and the workspace's Calico policies select. */
const labelSets = (ws: Workspace, nsLabels: Map<string, Labels>): LabelSet[] => {
  const out = new Map<string, LabelSet>();
  for (const r of ws.rules) {
    if (r.type !== 'k8s-network-policy') continue;
    const text = labelSelectorText(r.podSelector);
    if (text === '') continue;
    const id = `${nsPolicyId(r.namespace)}:sel:${text}`;
    if (out.has(id)) continue;
    const sel = r.podSelector;
    out.set(id, {
      id,
      namespace: r.namespace,
      matches: (labels, ns) => ns === r.namespace && matchLabelSelector(sel, labels),
      toMatch: (labels) => k8sToMatch(sel, labels),
      toLeave: (labels) => k8sToLeave(sel, labels),
    });
  }
  const nsIds = new Set([...nsLabels.keys()].map(nsPolicyId));
  for (const spec of calicoLabelSets(ws.rules, '', nsIds)) {
    const a = spec.segment.attributes ?? {};
    const parsed = parseCalicoSelector(String(a.selector));
    if (!parsed.ok) continue;
    const setNs = typeof a.namespace === 'string' ? a.namespace : undefined;
    out.set(spec.segment.id, {
      id: spec.segment.id,
      ...(setNs !== undefined ? { namespace: setNs } : {}),
      matches: (labels, ns, sa) =>
        spec.matches({ labels, namespace: ns, namespaceLabels: nsLabels.get(ns) ?? {}, serviceAccount: sa }),
      toMatch: (labels) => calicoToMatch(parsed.expr, labels),
      toLeave: (labels) => calicoToLeave(parsed.expr, labels),
    });
  }
  return [...out.values()];
};

/** Pod labels that put the workload in exactly the wanted label sets (`sets`: those that can select in its namespace). */
const fitLabels = (
  w: Workload,
  wanted: string[],
  sets: LabelSet[],
): { labels: Labels; ok: boolean; changed: boolean } => {
  const inNs = sets;
  const member = (labels: Labels) =>
    inNs.filter((s) => s.matches(labels, w.namespace, w.serviceAccount)).map((s) => s.id);
  const fits = (labels: Labels) => sameSet(member(labels), wanted);
  let labels = w.labels;
  for (let round = 0; round < 4 && !fits(labels); round++) {
    for (const s of inNs) {
      if (!wanted.includes(s.id) || s.matches(labels, w.namespace, w.serviceAccount)) continue;
      labels = s.toMatch(labels) ?? labels;
    }
    for (const s of inNs) {
      if (wanted.includes(s.id) || !s.matches(labels, w.namespace, w.serviceAccount)) continue;
      const options = s.toLeave(labels);
      // Prefer a change that leaves the set without leaving a wanted one.
      const keep = (l: Labels) =>
        !s.matches(l, w.namespace, w.serviceAccount) &&
        wanted.every((id) => inNs.find((x) => x.id === id)?.matches(l, w.namespace, w.serviceAccount) !== false);
      labels = options.find(keep) ?? options[0] ?? labels;
    }
  }
  return { labels, ok: fits(labels), changed: JSON.stringify(labels) !== JSON.stringify(w.labels) };
};

// ---------------------------------------------------------------------------------------------
// Objects

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

const metadata = (name: string, namespace?: string, labels?: Labels): Obj => {
  const m: Obj = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (labels && Object.keys(labels).length > 0) m.labels = { ...labels };
  return m;
};

/** Service port names: the container port's, else `<protocol>-<port>` (required once there are several). */
const servicePorts = (svc: Service): Obj[] =>
  (svc.ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    const out: Obj = { name: p.name ?? `${protocol.toLowerCase()}-${p.port}`, port: p.port };
    if (protocol !== 'TCP') out.protocol = protocol;
    return out;
  });

const containerPorts = (svc: Service, hostPorts: boolean): Obj[] =>
  (svc.ports ?? []).map((p) => {
    const out: Obj = {};
    if (p.name) out.name = p.name;
    out.containerPort = p.port;
    if (p.protocol && p.protocol !== 'TCP') out.protocol = p.protocol;
    if (hostPorts && p.published) out.hostPort = p.port;
    return out;
  });

const workloadObject = (w: Workload, container: Obj, notes: Notes): Obj => {
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
// The exporter

const refOf = (svc: Service): { namespace: string; kind?: string; name: string } | undefined => {
  const id = formatId(svc, 'k8s:');
  if (id === undefined) return undefined;
  const parts = id.slice('k8s:'.length).split('/');
  if (parts.length === 2) return { namespace: parts[0] as string, name: parts[1] as string };
  if (parts.length === 3) return { namespace: parts[0] as string, kind: parts[1] as string, name: parts[2] as string };
  return undefined;
};

const NS_NETWORK = 'network:k8s:ns:';
const SA_ROLE = 'role:k8s:sa:';
const CLUSTER = 'account:k8s:cluster:';

/** Which services are Kubernetes workloads: from K8s, placed in a K8s namespace, or (converting) all. */
const pickServices = (ws: Workspace): { svc: Service; converted: boolean }[] => {
  const k8s = (svc: Service) =>
    refOf(svc) !== undefined || (svc.memberships.network ?? []).some((id) => id.startsWith(NS_NETWORK));
  const chosen = ws.services.filter(k8s);
  if (chosen.length > 0) return chosen.map((svc) => ({ svc, converted: refOf(svc) === undefined }));
  return ws.services.map((svc) => ({ svc, converted: true }));
};

export const exportK8s = (ws: Workspace): ExportResult => {
  const notes = new Notes();
  const segById = new Map(ws.segments.map((s) => [s.id, s]));
  const picked = pickServices(ws);
  if (picked.length > 0 && picked.every((p) => p.converted)) {
    notes.add('no service comes from Kubernetes: every service is written as a Deployment of its namespace');
  }

  // Workloads, with namespace and service account from the memberships (an edit moves them).
  const workloads: Workload[] = [];
  const usedIds = new Set<string>();
  for (const { svc } of picked) {
    const ref = refOf(svc);
    const extra = formatExtra(svc, 'k8s:');
    const netNs = (svc.memberships.network ?? []).find((id) => id.startsWith(NS_NETWORK))?.slice(NS_NETWORK.length);
    const namespace = dnsLabel(netNs ?? ref?.namespace ?? svc.namespace ?? 'default');
    const name = dnsLabel(ref?.name ?? svc.name);
    if (ref && ref.namespace !== namespace) {
      notes.item('moved to another namespace, so read back under a new id', `${svc.id} → k8s:${namespace}/${name}`);
    }
    let serviceAccount = 'default';
    for (const id of svc.memberships.role ?? []) {
      if (!id.startsWith(SA_ROLE)) continue;
      const [saNs, sa] = id.slice(SA_ROLE.length).split('/');
      if (saNs === namespace && sa) serviceAccount = sa;
      else notes.item('service accounts of another namespace, run as default instead', `${svc.id} (${id})`);
    }
    const kindRaw = typeof extra.k8sKind === 'string' ? extra.k8sKind : 'Deployment';
    const externalName = typeof extra.externalName === 'string' ? extra.externalName : undefined;
    const kind = externalName !== undefined ? 'Service' : WORKLOAD_KINDS.has(kindRaw) ? kindRaw : 'Deployment';
    let labels: Labels = { ...(svc.labels ?? {}) };
    if (externalName === undefined && Object.keys(labels).length === 0) labels = { app: name };
    let readId = `k8s:${namespace}/${name}`;
    if (usedIds.has(readId)) readId = `k8s:${namespace}/${kind.toLowerCase()}/${name}`;
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

  // Namespaces: declared ones keep their labels; ones only referenced stay undeclared.
  const namespaces = new Map<string, { labels: Labels; declare: boolean }>();
  const nsEntry = (ns: string) => {
    let e = namespaces.get(ns);
    if (!e) {
      const seg = segById.get(nsPolicyId(ns)) ?? segById.get(`${NS_NETWORK}${ns}`);
      const labels: Labels = {};
      for (const [k, v] of Object.entries(segById.get(nsPolicyId(ns))?.labels ?? {})) {
        if (k !== 'kubernetes.io/metadata.name') put(labels, k, v);
      }
      e = { labels, declare: seg ? !isUndeclared(seg) : ns !== 'default' };
      namespaces.set(ns, e);
    }
    return e;
  };
  for (const seg of ws.segments) {
    const a = seg.attributes;
    if ((a?.kind === 'namespace' || a?.kind === 'namespace-network') && typeof a.namespace === 'string') {
      nsEntry(a.namespace);
    }
  }
  for (const w of workloads) nsEntry(w.namespace);
  const policies = ws.rules.filter((r): r is K8sNetworkPolicyRule => r.type === 'k8s-network-policy');
  for (const r of policies) nsEntry(r.namespace);
  const nsLabels = new Map<string, Labels>();
  for (const [ns, e] of namespaces) nsLabels.set(ns, { ...e.labels, 'kubernetes.io/metadata.name': ns });

  // Policy memberships: pod labels are what put a pod in a label set.
  // Only sets the workspace has as segments: a set new to it (a rule just added) takes the pods its selector names.
  const sets = labelSets(ws, nsLabels).filter((s) => segById.has(s.id));
  const setIds = new Set(sets.map((s) => s.id));
  const setsIn = new Map<string, LabelSet[]>();
  const setsFor = (ns: string): LabelSet[] => {
    let list = setsIn.get(ns);
    if (!list) {
      list = sets.filter((s) => s.namespace === undefined || s.namespace === ns);
      setsIn.set(ns, list);
    }
    return list;
  };
  const unbacked: string[] = [];
  for (const w of workloads) {
    if (w.externalName !== undefined) continue;
    const policy = w.svc.memberships.policy ?? [];
    const wanted = policy.filter((id) => setIds.has(id));
    for (const id of policy) {
      if (setIds.has(id) || id === nsPolicyId(w.namespace)) continue;
      unbacked.push(`${w.svc.id} in ${id}`);
    }
    const fit = fitLabels(w, wanted, setsFor(w.namespace));
    if (fit.changed) {
      notes.item('pod labels changed to match the policy label sets', `${w.svc.id} → ${JSON.stringify(fit.labels)}`);
      w.labels = fit.labels;
    }
    if (!fit.ok) notes.item('no pod labels put these in exactly their policy label sets', w.svc.id);
  }
  if (unbacked.length > 0) {
    notes.add(`policy memberships no written policy selects cannot be expressed: ${sample(unbacked)}`);
  }

  // A Service selects by labels: a workload whose labels also select another gets one label of its own.
  const byLabel = new Map<string, Workload[]>();
  for (const w of workloads) {
    if (w.externalName !== undefined) continue;
    for (const [k, v] of Object.entries(w.labels)) {
      const key = `${w.namespace}\u0000${k}\u0000${v}`;
      byLabel.set(key, [...(byLabel.get(key) ?? []), w]);
    }
  }
  /** Another workload of the namespace that these labels, as a Service selector, select too. */
  const alsoSelected = (w: Workload, labels: Labels): Workload | undefined => {
    let fewest: Workload[] | undefined;
    for (const [k, v] of Object.entries(labels)) {
      const list = byLabel.get(`${w.namespace}\u0000${k}\u0000${v}`) ?? [];
      if (!fewest || list.length < fewest.length) fewest = list;
    }
    return fewest?.find((o) => o !== w && matchLabelSelector({ matchLabels: labels }, o.labels));
  };
  for (const w of workloads) {
    if (w.externalName !== undefined || (w.svc.ports ?? []).length === 0) continue;
    const clash = alsoSelected(w, w.labels);
    if (!clash) continue;
    const labels = withLabel(w.labels, WORKLOAD_LABEL, w.name);
    const policy = (w.svc.memberships.policy ?? []).filter((id) => setIds.has(id));
    if (!fitLabels({ ...w, labels }, policy, setsFor(w.namespace)).ok) continue;
    w.labels = labels;
    notes.item(
      `label ${WORKLOAD_LABEL} added where a Service selector would also select another workload`,
      `${w.svc.id} (${clash.svc.id})`,
    );
  }

  // Services: one per workload with ports, selecting it alone; exposure by LoadBalancer or Ingress.
  const services: Obj[] = [];
  const ingresses: Obj[] = [];
  const serviceNames = new Set<string>();
  const k8sOf = new Map(workloads.map((w) => [w.svc.id, w]));
  const selects = (sel: Labels, w: Workload) => matchLabelSelector({ matchLabels: sel }, w.labels);
  for (const w of workloads) {
    if (w.externalName !== undefined) {
      services.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: metadata(w.name, w.namespace),
        spec: { type: 'ExternalName', externalName: w.externalName },
      });
      serviceNames.add(`${w.namespace}/${w.name}`);
      continue;
    }
    const ports = w.svc.ports ?? [];
    if (ports.length === 0) {
      if (w.svc.exposed) notes.item('exposed without a port: no Service to expose', w.svc.id);
      continue;
    }
    const clash = alsoSelected(w, w.labels);
    if (clash) {
      notes.item('no Service written (the labels also select another workload); calls name the workload', w.svc.id);
      continue;
    }
    w.serviceName = w.name;
    serviceNames.add(`${w.namespace}/${w.name}`);
    const allPublished = ports.every((p) => p.published);
    const spec: Obj = {};
    if (w.svc.exposed && allPublished) spec.type = 'LoadBalancer';
    spec.selector = { ...w.labels };
    spec.ports = servicePorts(w.svc);
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: metadata(w.name, w.namespace), spec });
    if (w.svc.exposed && !allPublished) {
      const first = ports[0] as NonNullable<Service['ports']>[number];
      ingresses.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: metadata(w.name, w.namespace),
        spec: { defaultBackend: { service: { name: w.name, port: { number: first.port } } } },
      });
    }
  }
  // Other Service names (aliases) that select the same workloads.
  const aliasTargets = new Map<string, Workload[]>();
  for (const w of workloads) {
    const aliases = formatExtra(w.svc, 'k8s:').aliases;
    if (!Array.isArray(aliases)) continue;
    for (const a of aliases) {
      if (typeof a !== 'string') continue;
      const key = `${w.namespace}/${dnsLabel(a)}`;
      aliasTargets.set(key, [...(aliasTargets.get(key) ?? []), w]);
    }
  }
  for (const [key, targets] of aliasTargets) {
    const [ns, name] = key.split('/') as [string, string];
    const common: Labels = {};
    const first = targets[0] as Workload;
    for (const [k, v] of Object.entries(first.labels)) if (targets.every((t) => t.labels[k] === v)) put(common, k, v);
    const selected = workloads.filter((o) => o.namespace === ns && o.externalName === undefined && selects(common, o));
    if (
      serviceNames.has(key) ||
      Object.keys(common).length === 0 ||
      !sameSet(
        selected.map((o) => o.svc.id),
        targets.map((t) => t.svc.id),
      )
    ) {
      notes.add(
        `Service ${key} (an alias of ${targets.map((t) => t.svc.id).join(', ')}) cannot select exactly those workloads; left out`,
      );
      continue;
    }
    serviceNames.add(key);
    const ports = new Map<string, Obj>();
    for (const t of targets)
      for (const p of servicePorts(t.svc)) ports.set(`${String(p.port)}/${String(p.protocol ?? 'TCP')}`, p);
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(name, ns),
      spec: { selector: common, ports: [...ports.values()] },
    });
  }

  // Calls: an address per call in the caller's environment, named after the callee's Service or workload.
  const outside: string[] = [];
  const envOf = new Map<string, Map<string, string[]>>();
  for (const c of ws.calls) {
    const from = k8sOf.get(c.from);
    const to = k8sOf.get(c.to);
    if (!from || !to) {
      if (from || to) outside.push(`${c.from} → ${c.to}`);
      continue;
    }
    if (from.externalName !== undefined) {
      outside.push(`${c.from} → ${c.to}`);
      continue;
    }
    const byTarget = envOf.get(c.from) ?? new Map<string, string[]>();
    envOf.set(c.from, byTarget);
    const host = `${to.name}.${to.namespace}`;
    const refs = byTarget.get(to.name) ?? [];
    const ref = c.port === undefined ? host : `${host}:${c.port}`;
    if (!refs.includes(ref)) refs.push(ref);
    byTarget.set(to.name, refs);
  }
  if (outside.length > 0) {
    notes.add(`${outside.length} call(s) have an end outside the Kubernetes workloads: ${sample(outside)}`);
  }

  // Images are not in the workspace unless another format knew them.
  const placeholders: string[] = [];
  const workloadDocs: Obj[] = [];
  for (const w of workloads) {
    if (w.externalName !== undefined) continue;
    const compose = formatExtra(w.svc, 'compose:');
    const known = [formatExtra(w.svc, 'k8s:').image, compose.image].find((i) => typeof i === 'string') as
      | string
      | undefined;
    if (known === undefined) placeholders.push(w.svc.id);
    const container: Obj = { name: w.name, image: known ?? placeholderImage(w.name, w.svc.kind) };
    const allPublished = (w.svc.ports ?? []).every((p) => p.published);
    const ports = containerPorts(w.svc, !(w.svc.exposed && allPublished && w.serviceName !== undefined));
    if (ports.length > 0) container.ports = ports;
    const env = envOf.get(w.svc.id);
    if (env) {
      container.env = [...env].map(([target, refs]) => ({
        name: `SEGSCOPE_CALL_${target.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`,
        value: refs.join(' '),
      }));
    }
    workloadDocs.push(workloadObject(w, container, notes));
  }
  if (placeholders.length > 0) {
    notes.add(
      `container images are not in the workspace; placeholder images segscope.invalid/<name> for ${sample(placeholders)}`,
    );
  }

  // Service accounts: declared ones, and the ones workloads run as.
  const accounts = new Map<string, boolean>();
  for (const seg of ws.segments) {
    if (seg.attributes?.kind !== 'service-account' || !seg.id.startsWith(SA_ROLE)) continue;
    accounts.set(seg.id.slice(SA_ROLE.length), !isUndeclared(seg));
  }
  for (const w of workloads) {
    const key = `${w.namespace}/${w.serviceAccount}`;
    if (w.serviceAccount !== 'default' && !accounts.has(key)) accounts.set(key, true);
  }
  const saDocs = [...accounts]
    .filter(([, declare]) => declare)
    .map(([key]) => {
      const [ns, name] = key.split('/') as [string, string];
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(name, ns) };
    });

  const nsDocs = [...namespaces]
    .filter(([, e]) => e.declare)
    .map(([ns, e]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: metadata(ns, undefined, e.labels) }));
  const docs: Obj[] = [
    ...nsDocs,
    ...saDocs,
    ...workloadDocs,
    ...services,
    ...ingresses,
    ...policies.map(networkPolicyObject),
  ];
  if (docs.length === 0) {
    notes.add('the workspace has no Kubernetes workload, namespace or NetworkPolicy');
    return { files: [], notes: notes.list };
  }
  const cluster = ws.segments.find((s) => s.id.startsWith(CLUSTER) && s.attributes?.kind === 'cluster');
  const first = docs[0] as Obj;
  if (cluster && isObj(first.metadata)) {
    first.metadata = { ...first.metadata, clusterName: cluster.name };
    notes.add(`the cluster name is written as metadata.clusterName of the first object, where segscope reads it`);
  }
  if (ws.rules.some((r) => r.type === 'calico-policy' || r.type === 'calico-tier' || r.type === 'calico-network-set')) {
    notes.add('Calico tiers, policies and network sets are written by the calico export');
  }
  const text = yamlDocuments(docs);
  if (workloads.length <= READ_BACK_LIMIT) checkReadBack(ws, text, workloads, setIds, notes);
  else notes.add(`${workloads.length} workloads: the written manifests were not read back to check them`);
  return { files: [{ name: 'k8s.yaml', text }], notes: notes.list };
};

/** Read the written manifests back and say where they differ from the workspace. */
const checkReadBack = (
  ws: Workspace,
  text: string,
  workloads: Workload[],
  calicoOrK8sSets: Set<string>,
  notes: Notes,
): void => {
  const { fragment } = k8sReader.read({ name: 'k8s.yaml', text });
  const back = new Map(fragment.services.map((s) => [s.id, s]));
  const readIdOf = new Map(workloads.map((w) => [w.svc.id, w.readId]));
  for (const w of workloads) {
    const got = back.get(w.readId);
    if (!got) {
      notes.item('not read back from the written manifests', w.svc.id);
      continue;
    }
    for (const level of ['account', 'role', 'network'] as const) {
      const want = (w.svc.memberships[level] ?? []).filter((id) => id.includes(':k8s:'));
      const have = got.memberships[level] ?? [];
      if (want.length > 0 && !sameSet(want, have)) {
        notes.item(`${level} memberships that read back differently`, `${w.svc.id} → [${have.join(', ')}]`);
      }
    }
    // Calico label sets come back only with the Calico file; the K8s ones are checked here.
    const wantPolicy = (w.svc.memberships.policy ?? []).filter(
      (id) => id.startsWith('policy:k8s:') && calicoOrK8sSets.has(id),
    );
    const havePolicy = (got.memberships.policy ?? []).filter((id) => calicoOrK8sSets.has(id));
    if (!sameSet(wantPolicy, havePolicy)) {
      notes.item('policy memberships that read back differently', `${w.svc.id} → [${havePolicy.join(', ')}]`);
    }
    if (got.kind !== w.svc.kind) notes.item('kinds that read back differently', `${w.svc.id} → ${got.kind}`);
    if (Boolean(got.exposed) !== Boolean(w.svc.exposed)) {
      notes.item('exposure that reads back differently', `${w.svc.id} → ${got.exposed ? 'exposed' : 'not exposed'}`);
    }
  }
  const key = (from: string, to: string, port: number | undefined) =>
    `${from} → ${to}${port === undefined ? '' : `:${port}`}`;
  const have = new Set(fragment.calls.map((c) => key(c.from, c.to, c.port)));
  const lost: string[] = [];
  const gained: string[] = [];
  const portOf = new Map(fragment.calls.map((c) => [`${c.from} → ${c.to}`, c.port]));
  for (const c of ws.calls) {
    const from = readIdOf.get(c.from);
    const to = readIdOf.get(c.to);
    if (from === undefined || to === undefined || have.has(key(from, to, c.port))) continue;
    const port = portOf.get(`${from} → ${to}`);
    if (c.port === undefined && port !== undefined) gained.push(key(c.from, c.to, port));
    else lost.push(key(c.from, c.to, c.port));
  }
  if (gained.length > 0) {
    notes.add(`call(s) without a port read back with the only port of the callee's Service: ${sample(gained)}`);
  }
  if (lost.length > 0) notes.add(`call(s) that do not read back as written: ${sample(lost)}`);
};
