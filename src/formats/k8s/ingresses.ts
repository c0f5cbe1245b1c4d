// Pass 4 of reading a Kubernetes file: Ingress and OpenShift Route objects expose the workloads behind their Services, on the ports they route to.
import { arr, get, type Manifest, meta, type Path, rec, str } from '../../import/manifests';
import type { Service, ServicePort } from '../../model/types';
import type { K8sRead, K8sServiceObject } from './context';
import { keepBackend } from './pending';
import { resolveTargetPort } from './services';

/**
 * One backend: the Service and which of its ports. `servicePort` names a Service port (Ingress
 * `service.port.number|name`, v1beta1 `servicePort`); `targetPort` a pod port (Route `spec.port.targetPort`).
 * Neither: every port of the Service.
 */
interface Backend {
  service: string;
  sub: Path;
  servicePort?: number | string;
  targetPort?: number | string;
}

const portRef = (v: unknown): number | string | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? (/^\d+$/.test(v) ? Number(v) : v) : undefined;

/** Route (route.openshift.io/v1): `spec.to` and `spec.alternateBackends`, on `spec.port.targetPort` when given. */
const routeBackends = (spec: Record<string, unknown>): Backend[] => {
  const targetPort = portRef(get(spec, 'port', 'targetPort'));
  const out: Backend[] = [];
  const add = (service: string | undefined, sub: Path) => {
    if (service) out.push({ service, sub, ...(targetPort !== undefined ? { targetPort } : {}) });
  };
  add(str(get(spec, 'to', 'name')), ['spec', 'to', 'name']);
  (arr(spec.alternateBackends) ?? []).forEach((b, i) => {
    add(str(get(b, 'name')), ['spec', 'alternateBackends', i, 'name']);
  });
  return out;
};

/** Ingress (networking.k8s.io/v1 and v1beta1): the default backend and every rule path's backend. */
const ingressBackends = (spec: Record<string, unknown>): Backend[] => {
  const out: Backend[] = [];
  const backendAt = (b: unknown, sub: Path) => {
    const v1 = str(get(b, 'service', 'name'));
    if (v1) {
      const port = portRef(get(b, 'service', 'port', 'number')) ?? str(get(b, 'service', 'port', 'name'));
      out.push({ service: v1, sub: [...sub, 'service', 'name'], ...(port !== undefined ? { servicePort: port } : {}) });
    }
    const beta = str(get(b, 'serviceName'));
    if (beta) {
      const port = portRef(get(b, 'servicePort'));
      out.push({ service: beta, sub: [...sub, 'serviceName'], ...(port !== undefined ? { servicePort: port } : {}) });
    }
  };
  backendAt(spec.defaultBackend, ['spec', 'defaultBackend']);
  backendAt(spec.backend, ['spec', 'backend']);
  (arr(spec.rules) ?? []).forEach((r, i) => {
    (arr(get(r, 'http', 'paths')) ?? []).forEach((p, j) => {
      backendAt(get(p, 'backend'), ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
    });
  });
  return out;
};

/** The pod ports of `svc` a backend reaches through Service `s` (named ports resolved on the pod). */
export const routedPorts = (
  s: Pick<K8sServiceObject, 'ports'>,
  b: Pick<Backend, 'servicePort' | 'targetPort'>,
  svc: Service,
): ServicePort[] => {
  const out: ServicePort[] = [];
  const add = (target: number | string, protocol: ServicePort['protocol'] = 'TCP') => {
    const port = resolveTargetPort(svc, target, protocol ?? 'TCP');
    if (port !== undefined && !out.some((p) => p.port === port && p.protocol === protocol))
      out.push({ port, protocol });
  };
  for (const sp of s.ports) {
    if (b.servicePort !== undefined && sp.port !== b.servicePort && sp.name !== b.servicePort) continue;
    if (b.targetPort !== undefined && sp.targetPort !== b.targetPort && sp.name !== b.targetPort) continue;
    add(sp.targetPort, sp.protocol);
  }
  // A Route's targetPort names a pod port even where the Service does not list it.
  if (out.length === 0 && b.targetPort !== undefined) add(b.targetPort);
  return out;
};

/** Mark the pod ports an Ingress/Route routes to (`routed`: who routes there), adding a port the pod does not declare. */
export const markRouted = (svc: Service, ports: ServicePort[], by: string): void => {
  svc.exposed = true;
  svc.ports = svc.ports ?? [];
  for (const p of ports) {
    let cp = svc.ports.find((x) => x.port === p.port && (x.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
    if (!cp) {
      cp = { port: p.port, ...(p.protocol && p.protocol !== 'TCP' ? { protocol: p.protocol } : {}) };
      svc.ports.push(cp);
    }
    if (!(cp.routed ?? []).includes(by)) cp.routed = [...(cp.routed ?? []), by];
  }
};

const readIngress = (ctx: K8sRead, m: Manifest): void => {
  const { name } = meta(m);
  const namespace = meta(m).namespace ?? 'default';
  const spec = rec(m.value.spec) ?? {};
  const backends = m.kind === 'Route' ? routeBackends(spec) : ingressBackends(spec);
  if (backends.length === 0) ctx.diag(m, ['spec'], `${m.kind} ${namespace}/${name} routes to no Service`, 'warn');
  const by = `${m.kind} ${namespace}/${name}`;
  for (const b of backends) {
    const s = ctx.k8sServices.get(`${namespace}/${b.service}`);
    if (!s) {
      ctx.diag(m, b.sub, `${by} routes to Service "${b.service}", which is not in this file`, 'warn');
      // A Service of another file read with this one settles it when they are linked.
      keepBackend(ctx, {
        by,
        namespace,
        service: b.service,
        ...(b.servicePort !== undefined ? { servicePort: b.servicePort } : {}),
        ...(b.targetPort !== undefined ? { targetPort: b.targetPort } : {}),
      });
      continue;
    }
    for (const g of s.targets) {
      if (!g.service || g.service.kind === 'external') continue;
      const ports = routedPorts(s, b, g.service);
      if (ports.length === 0 && (b.servicePort !== undefined || b.targetPort !== undefined)) {
        ctx.diag(m, b.sub, `${by}: Service "${b.service}" has no port ${b.servicePort ?? b.targetPort}`, 'warn');
      }
      markRouted(g.service, ports, by);
    }
  }
};

export const readIngresses = (ctx: K8sRead): void => {
  for (const m of ctx.ingresses) readIngress(ctx, m);
};
