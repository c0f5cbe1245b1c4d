// Across files: a Service selects workloads of another file, an Ingress or Route routes to a Service of another file.
import { matchLabelSelector } from '../../model/selector';
import type { Service, Workspace } from '../../model/types';
import { markRouted, routedPorts } from './ingresses';
import { PENDING_KEY, type Pending, type PendingService } from './pending';
import { resolveTargetPort } from './services';

/**
 * Settle what single files could not: a Service selecting no workload of its own file selects those of
 * the others (an alias, and its exposure); an Ingress or Route backend naming a Service of another file
 * marks the pod ports it routes to, as within one file (src/formats/k8s/ingresses.ts).
 */
export const linkServicesAcrossFiles = (ws: Workspace): Workspace => {
  const byFile = ws.extra?.[PENDING_KEY] as Record<string, Pending> | undefined;
  if (!byFile) return ws;
  const { [PENDING_KEY]: _dropped, ...extra } = ws.extra ?? {};
  const all = Object.values(byFile);
  const services = all.flatMap((p) => p.services);
  const backends = all.flatMap((p) => p.backends);
  const copies = new Map<string, Service>();
  const edit = (s: Service): Service => {
    let c = copies.get(s.id);
    if (!c) {
      c = { ...s, ports: s.ports?.map((p) => ({ ...p })), extra: { ...(s.extra ?? {}) } } as Service;
      copies.set(s.id, c);
    }
    return c;
  };
  const workloads = ws.services.filter((s) => s.id.startsWith('k8s:') && s.extra?.k8sKind !== 'Service');
  const targets = (p: PendingService): Service[] =>
    workloads.filter(
      (w) => w.namespace === p.namespace && matchLabelSelector({ matchLabels: p.selector }, w.labels ?? {}),
    );
  for (const p of services) {
    if (p.resolved) continue;
    for (const w of targets(p)) {
      const c = edit(w);
      const extraOf = c.extra as Record<string, unknown>;
      const aliases = [...((extraOf.aliases as string[] | undefined) ?? [])];
      if (p.name !== c.name && !aliases.includes(p.name)) aliases.push(p.name);
      if (aliases.length > 0) extraOf.aliases = aliases;
      if (!p.exposed) continue;
      c.exposed = true;
      for (const sp of p.ports) {
        const port = resolveTargetPort(c, sp.targetPort, sp.protocol);
        const cp = c.ports?.find((x) => x.port === port && (x.protocol ?? 'TCP') === sp.protocol);
        if (cp) cp.published = true;
      }
    }
  }
  for (const b of backends) {
    const s = services.find((x) => x.namespace === b.namespace && x.name === b.service);
    if (!s) continue;
    for (const w of targets(s)) {
      const c = edit(w);
      markRouted(c, routedPorts(s, b, c), b.by);
    }
  }
  const out: Workspace = { ...ws, services: ws.services.map((s) => copies.get(s.id) ?? s) };
  if (Object.keys(extra).length > 0) out.extra = extra;
  else delete out.extra;
  return out;
};
