// What one Kubernetes file leaves for the merged workspace to settle (src/formats/k8s/link-services.ts).
import type { Protocol } from '../../model/types';
import type { K8sRead, K8sServiceObject } from './context';

/** What one file leaves for the merged workspace to settle: its Services, and backends it could not resolve. */
export interface PendingService {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  ports: { port: number; targetPort: number | string; protocol: Protocol; name?: string }[];
  /** LoadBalancer (not internal), NodePort or externalIPs: the Service publishes its ports. */
  exposed: boolean;
  /** It selected workloads of its own file (those already have its alias and exposure). */
  resolved: boolean;
}
export interface PendingBackend {
  by: string;
  namespace: string;
  service: string;
  servicePort?: number | string;
  targetPort?: number | string;
}
export interface Pending {
  services: PendingService[];
  backends: PendingBackend[];
}

/** The workspace `extra` key the files' pending objects travel under until the link step (which removes it). */
export const PENDING_KEY = 'k8sPending';

const pendingOf = (ctx: K8sRead): Pending => {
  const top = ctx.fragment.top ?? {};
  ctx.fragment.top = top;
  const extra = ((top.extra as Record<string, unknown> | undefined) ?? {}) as Record<string, unknown>;
  top.extra = extra;
  const byFile = ((extra[PENDING_KEY] as Record<string, Pending> | undefined) ?? {}) as Record<string, Pending>;
  extra[PENDING_KEY] = byFile;
  let p = byFile[ctx.file.name];
  if (!p) {
    p = { services: [], backends: [] };
    byFile[ctx.file.name] = p;
  }
  return p;
};

export const keepService = (ctx: K8sRead, s: K8sServiceObject, exposed: boolean): void => {
  if (!s.selector) return;
  pendingOf(ctx).services.push({
    namespace: s.namespace,
    name: s.name,
    selector: s.selector,
    ports: s.ports.map((p) => ({ ...p })),
    exposed,
    resolved: s.targets.length > 0,
  });
};

export const keepBackend = (ctx: K8sRead, b: PendingBackend): void => {
  pendingOf(ctx).backends.push(b);
};
