// Compose ports and expose entries, short and long syntax, and whether they publish the service.
import ipaddr from 'ipaddr.js';
import type { Protocol, ServicePort } from '../../model/types';
import { type Ctx, isObj, type Obj, own, type Path, scalarText, wrongShape } from './context';
import { interpolateDefaults } from './conventions';

export interface PortSpec {
  /** Container ports (a range is expanded). */
  ports: number[];
  protocol?: Protocol;
  /** Published on the host (`ports`); `expose` entries are not. */
  published: boolean;
  /** Host address the port is bound to; undefined = all interfaces. */
  hostIp?: string;
}

const MAX_RANGE = 1024;
const PROTOCOLS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

const portRange = (s: string, allowEmpty: boolean): [number, number] | 'empty' | undefined => {
  if (s === '') return allowEmpty ? 'empty' : undefined;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 || b > 65535 || a > b) return undefined;
  return [a, b];
};

const expand = ([a, b]: [number, number]): number[] => {
  const out: number[] = [];
  for (let p = a; p <= b && out.length < MAX_RANGE; p++) out.push(p);
  return out;
};

/**
 * Parse a short-syntax port: `[[IP:]HOST:]CONTAINER[/PROTO]`, where HOST and CONTAINER may be ranges,
 * HOST may be empty (random port) and IP may be IPv6 with or without brackets. `expose` entries
 * allow only `CONTAINER[/PROTO]`.
 */
export const parsePortSpec = (raw: string | number, kind: 'ports' | 'expose'): PortSpec | { error: string } => {
  let s = String(raw).trim();
  const bad = (why: string) => ({ error: `bad ${kind === 'ports' ? 'port' : 'expose'} "${String(raw)}": ${why}` });
  let protocol: Protocol | undefined;
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = PROTOCOLS[s.slice(slash + 1).toLowerCase()];
    if (!protocol) return bad(`unknown protocol "${s.slice(slash + 1)}" (tcp, udp or sctp)`);
    s = s.slice(0, slash);
  }
  const last = s.lastIndexOf(':');
  const container = portRange(s.slice(last + 1), false);
  if (container === undefined || container === 'empty')
    return bad('the container port must be a number or range between 1 and 65535');
  const spec: PortSpec = { ports: expand(container), published: kind === 'ports' };
  if (protocol && protocol !== 'TCP') spec.protocol = protocol;
  if (last < 0) return spec;
  if (kind === 'expose') return bad('expose takes a container port only, without a host part');
  const rest = s.slice(0, last);
  const c2 = rest.lastIndexOf(':');
  const host = portRange(rest.slice(c2 + 1), true);
  if (host === undefined) return bad('the host port must be a number or range between 1 and 65535, or empty');
  if (host !== 'empty' && container[1] !== container[0] && host[1] - host[0] !== container[1] - container[0])
    return bad('host and container port ranges differ in length');
  if (c2 >= 0) {
    const ip = rest.slice(0, c2).replace(/^\[(.*)\]$/, '$1');
    if (!ipaddr.isValid(ip)) return bad(`"${ip}" is not an IP address`);
    spec.hostIp = ip;
  }
  return spec;
};

/** Long syntax: `{target, published, host_ip, protocol, mode}`. */
const parseLongPort = (p: Obj): PortSpec | { error: string } => {
  const target = scalarText(own(p, 'target'));
  if (target === undefined) return { error: 'bad port: the long syntax needs "target" (the container port)' };
  const proto = scalarText(own(p, 'protocol'));
  const published = scalarText(own(p, 'published'));
  const hostIp = scalarText(own(p, 'host_ip'));
  const short = `${hostIp !== undefined ? `[${hostIp}]:` : ''}${published ?? ''}:${target}${proto ? `/${proto}` : ''}`;
  return parsePortSpec(short, 'ports');
};

const isLoopback = (ip: string): boolean => {
  try {
    return ipaddr.process(ip).range() === 'loopback';
  } catch {
    return false;
  }
};

/** `ports` and `expose`: container ports, and whether any is published on a non-loopback address. */
export const readPorts = (ctx: Ctx, def: Obj, path: Path): { ports: ServicePort[]; exposed: boolean } => {
  const ports = new Map<string, ServicePort>();
  let exposed = false;
  for (const kind of ['ports', 'expose'] as const) {
    const list = own(def, kind);
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      wrongShape(ctx, [...path, kind], 'a list');
      continue;
    }
    list.forEach((entry, i) => {
      const at = [...path, kind, i];
      const text = typeof entry === 'string' ? interpolateDefaults(entry) : undefined;
      if (text?.includes('$')) {
        ctx.report(at, `${kind} entry "${entry}" uses a variable without a default; skipped`, 'warn');
        return;
      }
      const spec =
        kind === 'ports' && isObj(entry)
          ? parseLongPort(entry)
          : typeof entry === 'string' || typeof entry === 'number'
            ? parsePortSpec(text ?? (entry as string | number), kind)
            : { error: `bad ${kind === 'ports' ? 'port' : 'expose'} entry: expected a string or number` };
      if ('error' in spec) {
        ctx.report(at, spec.error);
        return;
      }
      if (spec.ports.length === MAX_RANGE)
        ctx.report(at, `port range has ${MAX_RANGE} ports or more; only the first ${MAX_RANGE} are imported`, 'warn');
      for (const port of spec.ports) {
        const key = `${port}/${spec.protocol ?? 'TCP'}`;
        const prev = ports.get(key);
        if (prev) {
          if (spec.published) prev.published = true;
          continue;
        }
        ports.set(key, {
          port,
          ...(spec.protocol ? { protocol: spec.protocol } : {}),
          ...(spec.published ? { published: true } : {}),
        });
      }
      if (spec.published && (spec.hostIp === undefined || !isLoopback(spec.hostIp))) exposed = true;
    });
  }
  return { ports: [...ports.values()], exposed };
};
