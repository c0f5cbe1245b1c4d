// Kubernetes Services the writer emits: one per workload with ports (LoadBalancer when exposed), aliases, call addresses.
import { callEnvName, examples, formatExtra, type Notes, type Obj, put, sameSet } from '../../export/format';
import { matchLabelSelector } from '../../model/selector';
import type { Workspace } from '../../model/types';
import { SERVICE_PREFIX } from './conventions';
import { fitLabels, type SetsFor, withLabel } from './write-labels';
import { metadata, servicePorts } from './write-objects';
import { dnsLabel, type Labels, type Workload } from './write-workloads';

/** Added to a workload whose labels alone would let its Service select other workloads too. */
const WORKLOAD_LABEL = 'segscope.io/workload';

/** Another workload of the namespace that these labels, as a Service selector, select too. */
export type AlsoSelected = (w: Workload, labels: Labels) => Workload | undefined;

/** An index of the workloads' labels as they are now, for asking which other workload a selector also selects. */
export const selectionIndex = (workloads: Workload[]): AlsoSelected => {
  const byLabel = new Map<string, Workload[]>();
  for (const w of workloads) {
    if (w.externalName !== undefined) continue;
    for (const [k, v] of Object.entries(w.labels)) {
      const key = `${w.namespace}\u0000${k}\u0000${v}`;
      byLabel.set(key, [...(byLabel.get(key) ?? []), w]);
    }
  }
  return (w, labels) => {
    let fewest: Workload[] | undefined;
    for (const [k, v] of Object.entries(labels)) {
      const list = byLabel.get(`${w.namespace}\u0000${k}\u0000${v}`) ?? [];
      if (!fewest || list.length < fewest.length) fewest = list;
    }
    return fewest?.find((o) => o !== w && matchLabelSelector({ matchLabels: labels }, o.labels));
  };
};

/** A Service selects by labels: a workload whose labels also select another gets one label of its own. */
export const uniqueSelectors = (
  workloads: Workload[],
  alsoSelected: AlsoSelected,
  setIds: ReadonlySet<string>,
  setsFor: SetsFor,
  notes: Notes,
): void => {
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
};

/** One Service per workload with ports, selecting it alone; LoadBalancer when exposed and every port is published (Ingresses: write-ingresses). */
export const servicesOf = (workloads: Workload[], alsoSelected: AlsoSelected, notes: Notes) => {
  const services: Obj[] = [];
  const serviceNames = new Set<string>();
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
    if (alsoSelected(w, w.labels)) {
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
  }
  return { services, serviceNames };
};

/** Other Service names (aliases) that select the same workloads, when some labels select exactly those. */
export const aliasServices = (workloads: Workload[], serviceNames: Set<string>, notes: Notes): Obj[] => {
  const selects = (sel: Labels, w: Workload) => matchLabelSelector({ matchLabels: sel }, w.labels);
  const aliasTargets = new Map<string, Workload[]>();
  for (const w of workloads) {
    const aliases = formatExtra(w.svc, SERVICE_PREFIX).aliases;
    if (!Array.isArray(aliases)) continue;
    for (const a of aliases) {
      if (typeof a !== 'string') continue;
      const key = `${w.namespace}/${dnsLabel(a)}`;
      aliasTargets.set(key, [...(aliasTargets.get(key) ?? []), w]);
    }
  }
  const services: Obj[] = [];
  for (const [key, targets] of aliasTargets) {
    const [ns, name] = key.split('/') as [string, string];
    const common: Labels = {};
    const first = targets[0] as Workload;
    for (const [k, v] of Object.entries(first.labels)) if (targets.every((t) => t.labels[k] === v)) put(common, k, v);
    const selected = workloads.filter((o) => o.namespace === ns && o.externalName === undefined && selects(common, o));
    const ids = (list: Workload[]) => list.map((o) => o.svc.id);
    if (serviceNames.has(key) || Object.keys(common).length === 0 || !sameSet(ids(selected), ids(targets))) {
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
  return services;
};

/** Calls as an address per call in the caller's environment, named after the callee's Service or workload. */
export const callEnv = (ws: Workspace, workloads: Workload[], notes: Notes): Map<string, Obj[]> => {
  const k8sOf = new Map(workloads.map((w) => [w.svc.id, w]));
  const outside: string[] = [];
  const envOf = new Map<string, Map<string, string[]>>();
  for (const c of ws.calls) {
    const from = k8sOf.get(c.from);
    const to = k8sOf.get(c.to);
    if (!from || !to || from.externalName !== undefined) {
      if (from || to) outside.push(`${c.from} → ${c.to}`);
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
    notes.add(`${outside.length} call(s) have an end outside the Kubernetes workloads: ${examples(outside)}`);
  }
  const env = new Map<string, Obj[]>();
  for (const [from, byTarget] of envOf) {
    env.set(
      from,
      [...byTarget].map(([target, refs]) => ({ name: callEnvName(target), value: refs.join(' ') })),
    );
  }
  return env;
};
