// Calls of a Kubernetes file: env values, ConfigMap values, args and commands that name a Service or workload.
import { arr, get, isRecord, type Manifest, type Path, rec, str } from '../../import/manifests';
import type { Call, Protocol, Service } from '../../model/types';
import { type Group, groupsIn, type K8sRead, type K8sServiceObject, templateOf } from './context';
import { resolveTargetPort } from './services';

/** Default ports of URL schemes, for references like `http://cart` without a port. */
const SCHEME_PORTS: Record<string, number> = {
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  redis: 6379,
  mongodb: 27017,
  amqp: 5672,
  nats: 4222,
  memcached: 11211,
};

export const buildCalls = (ctx: K8sRead): void => {
  for (const g of ctx.groups.values()) {
    const tt = templateOf(g);
    if (!g.service || !tt) continue;
    const spec = tt.t.spec;
    for (const list of ['initContainers', 'containers'] as const) {
      (arr(spec[list]) ?? []).forEach((c, ci) => {
        if (!isRecord(c)) return;
        const base: Path = [...tt.t.specPath, list, ci];
        (arr(c.env) ?? []).forEach((e, ei) => {
          const value = get(e, 'value');
          if (typeof value === 'string') scan(ctx, g, value, tt.w.m, [...base, 'env', ei, 'value']);
          const cmRef = get(e, 'valueFrom', 'configMapKeyRef');
          const cmName = str(get(cmRef, 'name'));
          const cmKey = str(get(cmRef, 'key'));
          if (cmName && cmKey) {
            const cm = ctx.configMaps.get(`${g.namespace}/${cmName}`);
            const v = cm ? get(cm.value, 'data', cmKey) : undefined;
            if (cm && typeof v === 'string') scan(ctx, g, v, cm, ['data', cmKey]);
          }
        });
        (arr(c.envFrom) ?? []).forEach((e) => {
          const cmName = str(get(e, 'configMapRef', 'name'));
          const cm = cmName ? ctx.configMaps.get(`${g.namespace}/${cmName}`) : undefined;
          const data = cm ? rec(cm.value.data) : undefined;
          if (!cm || !data) return;
          for (const [k, v] of Object.entries(data)) if (typeof v === 'string') scan(ctx, g, v, cm, ['data', k]);
        });
        for (const key of ['command', 'args'] as const) {
          (arr(c[key]) ?? []).forEach((a, ai) => {
            if (typeof a === 'string') scan(ctx, g, a, tt.w.m, [...base, key, ai]);
          });
        }
      });
    }
  }
};

/** Find service references in one string and add a call for each. */
export const scan = (ctx: K8sRead, g: Group, text: string, m: Manifest, sub: Path): void => {
  const from = g.service as Service;
  for (const ref of findHostRefs(text)) {
    for (const target of resolveHost(ctx, ref.host, g.namespace)) {
      const to = target.group.service;
      if (!to || to.id === from.id) continue;
      let port: number | undefined;
      let protocol: Protocol | undefined;
      const wanted = ref.port ?? (ref.scheme ? SCHEME_PORTS[ref.scheme] : undefined);
      const s = target.k8sService;
      if (s && to.kind !== 'external') {
        const sp =
          wanted !== undefined ? s.ports.find((p) => p.port === wanted) : s.ports.length === 1 ? s.ports[0] : undefined;
        if (sp) {
          port = resolveTargetPort(to, sp.targetPort, sp.protocol);
          protocol = sp.protocol;
        } else if (wanted !== undefined && ref.port !== undefined) {
          port = wanted;
          if (s.ports.length > 0) {
            ctx.diag(
              m,
              sub,
              `"${text}" names port ${wanted} of Service ${s.namespace}/${s.name}, which does not expose it`,
              'warn',
            );
          }
        }
      } else if (wanted !== undefined) {
        port = wanted;
        protocol = to.ports?.find((p) => p.port === wanted)?.protocol;
      }
      const key = `${from.id}\u0000${to.id}\u0000${port ?? ''}`;
      if (ctx.callKeys.has(key)) continue;
      ctx.callKeys.add(key);
      const call: Call = {
        from: from.id,
        to: to.id,
        ...(port !== undefined ? { port } : {}),
        ...(protocol ? { protocol } : {}),
        origin: 'env',
        source: m.source(sub),
      };
      ctx.fragment.calls.push(call);
    }
  }
};

/** `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`, `pod.svc.ns.svc…` → the workloads behind it. */
export const resolveHost = (
  ctx: K8sRead,
  host: string,
  callerNs: string,
): { group: Group; k8sService?: K8sServiceObject }[] => {
  const parts = host.toLowerCase().replace(/\.$/, '').split('.');
  const candidates: { name: string; ns: string }[] = [];
  if (parts.length === 1) candidates.push({ name: parts[0] as string, ns: callerNs });
  else if (parts.length === 2) {
    candidates.push({ name: parts[0] as string, ns: parts[1] as string });
    // `web-0.web`: a StatefulSet pod behind its headless Service, in the caller's namespace.
    if (/-\d+$/.test(parts[0] as string)) candidates.push({ name: parts[1] as string, ns: callerNs });
  } else if (parts[2] === 'svc') candidates.push({ name: parts[0] as string, ns: parts[1] as string });
  else if (parts[3] === 'svc') candidates.push({ name: parts[1] as string, ns: parts[2] as string });
  for (const c of candidates) {
    const s = ctx.k8sServices.get(`${c.ns}/${c.name}`);
    if (s && s.targets.length > 0) return s.targets.map((group) => ({ group, k8sService: s }));
    const g = groupsIn(ctx, c.ns).find((x) => x.name === c.name);
    if (g) return [{ group: g }];
  }
  return [];
};

const HOST_REF =
  /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:[^@/\s]*@)?([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\.?)(?::(\d{1,5}))?(?:[/?#].*)?$/i;

export interface HostRef {
  host: string;
  port?: number;
  scheme?: string;
}

/**
 * Host references in a value or argument: whole tokens of the form `[scheme://][user@]host[:port][/path]`,
 * also after `--flag=` or `KEY=`. Which hosts are services is decided by the caller.
 */
export const findHostRefs = (text: string): HostRef[] => {
  const out: HostRef[] = [];
  for (let token of text.split(/[\s,;'"`()[\]{}<>|]+/)) {
    if (token === '') continue;
    const flag = /^(?:-{1,2}[\w.-]+|[A-Za-z_][\w.]*)=(.*)$/.exec(token);
    if (flag && !/^[a-z][a-z0-9+.-]*:\/\//i.test(token)) token = flag[1] as string;
    const m = HOST_REF.exec(token);
    if (!m) continue;
    const port = m[3] !== undefined ? Number(m[3]) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) continue;
    out.push({
      host: m[2] as string,
      ...(port !== undefined ? { port } : {}),
      ...(m[1] ? { scheme: m[1].toLowerCase() } : {}),
    });
  }
  return out;
};
