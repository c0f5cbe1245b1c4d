// Ingress and Route objects the writer emits: the ones the workspace names on the ports they route to, under their own names.
import type { Notes, Obj } from '../../export/format';
import type { ServicePort } from '../../model/types';
import { dnsLabel, type Workload } from './write-workloads';

/** One backend of a written Ingress/Route: the workload's Service and the port it routes to. */
interface Backend {
  service: string;
  port: number;
}

/** An Ingress or Route as the workspace names it (`Ingress ns/name`, `Route ns/name`), with the namespace it lives in. */
interface Exposure {
  kind: 'Ingress' | 'Route';
  name: string;
  namespace: string;
  backends: Backend[];
}

/** `Ingress shop/web` → kind and name; anything else is not ours to write. */
const parseBy = (by: string): { kind: 'Ingress' | 'Route'; namespace: string; name: string } | undefined => {
  const m = /^(Ingress|Route) ([^/\s]+)\/([^/\s]+)$/.exec(by);
  if (!m) return undefined;
  return { kind: m[1] as 'Ingress' | 'Route', namespace: m[2] as string, name: m[3] as string };
};

/** Every Ingress/Route the workloads' ports name, in first-seen order, each with its backends. */
const exposuresOf = (workloads: Workload[], notes: Notes): Exposure[] => {
  const byKey = new Map<string, Exposure>();
  for (const w of workloads) {
    if (w.serviceName === undefined) continue;
    for (const p of w.svc.ports ?? []) {
      for (const by of p.routed ?? []) {
        const parsed = parseBy(by);
        if (!parsed) {
          notes.item('routed by something other than an Ingress or Route: not written', `${w.svc.id} (${by})`);
          continue;
        }
        // An Ingress routes only to Services of its own namespace: it is written where the workload now is.
        if (parsed.namespace !== w.namespace) {
          notes.item(`${parsed.kind} written in the workload's namespace`, `${by} → ${w.namespace}/${parsed.name}`);
        }
        const key = `${parsed.kind} ${w.namespace}/${parsed.name}`;
        const e = byKey.get(key) ?? {
          kind: parsed.kind,
          name: dnsLabel(parsed.name),
          namespace: w.namespace,
          backends: [],
        };
        byKey.set(key, e);
        if (!e.backends.some((b) => b.service === w.serviceName && b.port === p.port)) {
          e.backends.push({ service: w.serviceName, port: p.port });
        }
      }
    }
  }
  return [...byKey.values()];
};

/** An Ingress: one backend as its default backend, several as one path each (paths must differ). */
const ingressObject = (e: Exposure): Obj => {
  const backend = (b: Backend) => ({ service: { name: b.service, port: { number: b.port } } });
  const spec: Obj =
    e.backends.length === 1
      ? { defaultBackend: backend(e.backends[0] as Backend) }
      : {
          rules: [
            {
              http: {
                paths: e.backends.map((b) => ({
                  path: `/${b.service}/${b.port}`,
                  pathType: 'Prefix',
                  backend: backend(b),
                })),
              },
            },
          ],
        };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: e.name, namespace: e.namespace },
    spec,
  };
};

/**
 * A Route goes to one Service on one target port (`spec.port.targetPort`); further Services are
 * `alternateBackends`, which share that port. Backends it cannot say that way get a Route of their own.
 */
const routeObjects = (e: Exposure): Obj[] => {
  const byPort = new Map<number, string[]>();
  for (const b of e.backends) byPort.set(b.port, [...(byPort.get(b.port) ?? []), b.service]);
  return [...byPort].map(([port, services], i) => ({
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: i === 0 ? e.name : `${e.name}-${port}`, namespace: e.namespace },
    spec: {
      to: { kind: 'Service', name: services[0] },
      ...(services.length > 1
        ? { alternateBackends: services.slice(1).map((name) => ({ kind: 'Service', name })) }
        : {}),
      port: { targetPort: port },
    },
  }));
};

/** The workload's first port an Ingress named after it routes to, for exposure that names no Ingress (a Compose or native service). */
const fallbackIngress = (w: Workload, first: ServicePort): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: w.name, namespace: w.namespace },
  spec: { defaultBackend: { service: { name: w.serviceName, port: { number: first.port } } } },
});

/**
 * Ingress and Route objects for the written Services: each one the workspace names (a port's `routed`)
 * under its own name, routing to the ports it routed to; an exposed workload whose ports are not all
 * published and that no Ingress/Route names gets an Ingress of its own name.
 */
export const ingressesOf = (workloads: Workload[], notes: Notes): Obj[] => {
  const exposures = exposuresOf(workloads, notes);
  const out: Obj[] = [];
  for (const e of exposures) {
    if (e.kind === 'Ingress') out.push(ingressObject(e));
    else {
      const routes = routeObjects(e);
      if (routes.length > 1) notes.item('a Route split by target port', `Route ${e.namespace}/${e.name}`);
      out.push(...routes);
    }
  }
  for (const w of workloads) {
    const ports = w.svc.ports ?? [];
    if (w.serviceName === undefined || !w.svc.exposed || ports.every((p) => p.published)) continue;
    if (ports.some((p) => (p.routed ?? []).length > 0)) continue;
    out.push(fallbackIngress(w, ports[0] as ServicePort));
  }
  return out;
};
