// One written Compose service: kept keys in their order, networking for its memberships, ports, replicas, env addresses.
import { isObj, type Notes, type Obj, placeholderImage, put, sameSet } from '../../export/format';
import type { Segment, Service } from '../../model/types';
import { keptNetworkKeys, networking, overlayFromKept, type ProjectWriter } from './write-networks';
import type { Entry } from './write-projects';

/** Container ports of a service from another format: published ones as `HOST:CONTAINER`, the rest as `expose`. */
const portKeys = (svc: Service): Obj => {
  const out: Obj = {};
  const suffix = (p: NonNullable<Service['ports']>[number]) =>
    p.protocol && p.protocol !== 'TCP' ? `/${p.protocol.toLowerCase()}` : '';
  const published = (svc.ports ?? []).filter((p) => p.published).map((p) => `${p.port}:${p.port}${suffix(p)}`);
  const exposed = (svc.ports ?? []).filter((p) => !p.published).map((p) => `${p.port}${suffix(p)}`);
  if (published.length > 0) out.ports = published;
  if (exposed.length > 0) out.expose = exposed;
  return out;
};

/** One service definition: kept keys in their order, networking replaced when the memberships changed. */
export const serviceBody = (
  entry: Entry,
  w: ProjectWriter,
  siblings: Map<string, Entry>,
  segById: Map<string, Segment>,
  notes: Notes,
): Obj => {
  const { svc, extra } = entry;
  const kept = overlayFromKept(extra, w, siblings);
  const keep = kept !== undefined && sameSet(kept, svc.memberships.overlay ?? []);
  if (keep) for (const key of keptNetworkKeys(extra)) w.ensureDeclared(key);
  const net: Obj = keep ? {} : networking(entry, w, segById, notes);
  const body: Obj = {};
  if (!entry.fromCompose) {
    const image = typeof svc.extra?.image === 'string' ? svc.extra.image : placeholderImage(entry.name, svc.kind);
    body.image = image;
    Object.assign(body, portKeys(svc));
  }
  let netWritten = false;
  for (const [k, v] of Object.entries(extra)) {
    if (k === 'networks' || k === 'network_mode' || k === 'net') {
      if (keep) put(body, k === 'net' ? 'network_mode' : k, v);
      else if (!netWritten) Object.assign(body, net);
      netWritten = true;
      continue;
    }
    if (k === 'version') continue;
    put(body, k, v);
  }
  if (svc.replicas !== undefined) {
    const deploy = isObj(body.deploy) ? { ...body.deploy } : undefined;
    if (deploy && deploy.replicas !== undefined) {
      if (deploy.replicas !== svc.replicas) body.deploy = { ...deploy, replicas: svc.replicas };
    } else if (body.scale !== undefined) {
      if (body.scale !== svc.replicas) body.scale = svc.replicas;
    } else body.deploy = { ...(deploy ?? {}), replicas: svc.replicas };
  }
  if (svc.labels && Object.keys(svc.labels).length > 0) body.labels = { ...svc.labels };
  if (svc.profiles && svc.profiles.length > 0) body.profiles = [...svc.profiles];
  if (!netWritten) Object.assign(body, net);
  return body;
};

/** Add an environment entry (map or list form, as the service already writes it). */
export const addEnv = (body: Obj, key: string, value: string): void => {
  const env = body.environment;
  if (Array.isArray(env)) body.environment = [...env, `${key}=${value}`];
  else {
    const out: Obj = isObj(env) ? { ...env } : {};
    put(out, key, value);
    body.environment = out;
  }
};

export const envKeys = (body: Obj): Set<string> => {
  const env = body.environment;
  if (Array.isArray(env)) return new Set(env.map((e) => String(e).split('=')[0] ?? ''));
  return new Set(isObj(env) ? Object.keys(env) : []);
};

export const callKey = (from: string, to: string, port: number | undefined) => `${from}\u0000${to}\u0000${port ?? ''}`;
