// The networks of one written Compose file, and each service's `networks` / `network_mode` for its overlay memberships.
import { isObj, type Notes, type Obj, put } from '../../export/format';
import type { Segment } from '../../model/types';
import { builtinNetworkId, networkId } from './conventions';
import { type Entry, type Project, serviceName } from './write-projects';

/** Writes one project's file; networks are declared as services come to need them. */
export class ProjectWriter {
  /** Segment id → network key in this file. */
  private readonly keys = new Map<string, string>();
  private readonly declared = new Map<string, unknown>();
  readonly defaultId: string;

  constructor(
    readonly p: Project,
    private readonly segById: Map<string, Segment>,
    private readonly notes: Notes,
  ) {
    const def = p.networks.find((s) => s.attributes?.network === 'default');
    this.defaultId = def?.id ?? networkId(`${p.project}_default`);
    for (const seg of p.networks) {
      const key = this.ownKey(seg);
      this.keys.set(seg.id, key);
      if (!this.isImplicitDefault(seg, key)) this.declared.set(key, this.declaration(seg, key));
    }
  }

  private ownKey(seg: Segment): string {
    const k = seg.attributes?.network;
    if (typeof k === 'string' && k !== '') return k;
    const prefix = `${this.p.project}_`;
    return seg.name.startsWith(prefix) ? seg.name.slice(prefix.length) : seg.name;
  }

  /** The `default` network Compose creates by itself needs no declaration. */
  private isImplicitDefault(seg: Segment, key: string): boolean {
    const a = seg.attributes ?? {};
    return (
      key === 'default' &&
      seg.name === `${this.p.project}_default` &&
      !seg.extra &&
      !seg.labels &&
      !seg.cidrs &&
      a.internal !== true &&
      a.external !== true &&
      a.attachable !== true &&
      (a.driver === undefined || a.driver === 'bridge')
    );
  }

  /** A top-level network entry from the segment: modelled attributes, then the keys kept in `extra`. */
  private declaration(seg: Segment, key: string): unknown {
    const a = seg.attributes ?? {};
    const def: Obj = {};
    const external = a.external === true;
    if (typeof a.driver === 'string' && a.driver !== 'bridge') def.driver = a.driver;
    for (const [k, v] of Object.entries(seg.extra ?? {})) put(def, k, v);
    if (a.internal === true) def.internal = true;
    if (a.attachable === true) def.attachable = true;
    if (external) def.external = true;
    const dockerName = external ? key : `${this.p.project}_${key}`;
    if (def.name === undefined && seg.name !== dockerName) def.name = seg.name;
    if (seg.labels && Object.keys(seg.labels).length > 0) def.labels = { ...seg.labels };
    if (seg.cidrs && seg.cidrs.length > 0 && def.ipam === undefined) {
      def.ipam = { config: seg.cidrs.map((subnet) => ({ subnet })) };
    }
    return Object.keys(def).length > 0 ? def : null;
  }

  /** The key a segment has in this file; networks of other projects or formats are declared external. */
  keyFor(segId: string): string | undefined {
    const known = this.keys.get(segId);
    if (known !== undefined) return known;
    if (segId === this.defaultId) {
      this.keys.set(segId, 'default');
      return 'default';
    }
    const seg = this.segById.get(segId);
    if (!seg) return undefined;
    const wanted = typeof seg.attributes?.network === 'string' ? seg.attributes.network : seg.name;
    let key = serviceName(wanted);
    for (let n = 2; this.declared.has(key) || key === 'default'; n++) key = `${serviceName(wanted)}-${n}`;
    this.keys.set(segId, key);
    this.declared.set(key, { external: true, name: seg.name });
    if (seg.id !== networkId(seg.name)) {
      this.notes.add(
        `${seg.id} is written as the external network "${seg.name}" and reads back as overlay:${seg.name}`,
      );
    }
    return key;
  }

  /**
   * A kept `networks` key names a network this project may not declare (the merge kept another
   * project's description of a shared network): declare it, as the project's own network when the
   * name says so, else as external.
   */
  ensureDeclared(key: string): void {
    if (key === 'default' || this.declared.has(key)) return;
    const id = this.idForKey(key);
    if (this.keys.has(id) && this.keys.get(id) !== key) return;
    this.keys.set(id, key);
    const seg = this.segById.get(id);
    const own = !seg || seg.name === `${this.p.project}_${key}`;
    this.declared.set(key, own ? null : { external: true, name: seg.name });
  }

  /** Segment id for a network key of this file, as the reader will name it. */
  idForKey(key: string): string {
    if (key === 'default') return this.defaultId;
    for (const [id, k] of this.keys) if (k === key) return id;
    return networkId(`${this.p.project}_${key}`);
  }

  networks(): Obj | undefined {
    if (this.declared.size === 0) return undefined;
    const out: Obj = {};
    for (const [k, v] of this.declared) put(out, k, v);
    return out;
  }
}

const modeOf = (extra: Obj): string | undefined => {
  const v = extra.network_mode ?? extra.net;
  return typeof v === 'string' ? v : undefined;
};

/** What overlay memberships the kept `networks` / `network_mode` give in the written file. */
export const overlayFromKept = (
  extra: Obj,
  w: ProjectWriter,
  siblings: Map<string, Entry>,
  seen: Set<string> = new Set(),
): string[] | undefined => {
  const mode = modeOf(extra);
  if (mode !== undefined) {
    if (mode.startsWith('container:')) return [];
    if (mode === 'host' || mode === 'none') return [builtinNetworkId(mode)];
    if (mode === 'bridge' || mode === 'default') return [builtinNetworkId('bridge')];
    if (mode.startsWith('service:')) {
      const target = siblings.get(mode.slice('service:'.length));
      if (!target || seen.has(target.name)) return undefined;
      seen.add(target.name);
      return target.svc.memberships.overlay ?? [];
    }
    return [w.idForKey(mode)];
  }
  const nets = extra.networks;
  if (nets === undefined || nets === null) return [w.defaultId];
  const keys = Array.isArray(nets) ? nets : isObj(nets) ? Object.keys(nets) : undefined;
  if (!keys || keys.some((k) => typeof k !== 'string')) return undefined;
  return (keys as string[]).map((k) => w.idForKey(k));
};

/** The network keys kept `networks` / `network_mode` name (declared networks, not modes). */
export const keptNetworkKeys = (extra: Obj): string[] => {
  const mode = modeOf(extra);
  if (mode !== undefined) {
    const builtin = ['host', 'none', 'bridge', 'default'].includes(mode) || /^(service|container):/.test(mode);
    return builtin ? [] : [mode];
  }
  const nets = extra.networks;
  const keys = Array.isArray(nets) ? nets : isObj(nets) ? Object.keys(nets) : [];
  return keys.filter((k): k is string => typeof k === 'string');
};

/** `networks` / `network_mode` for the service's current overlay memberships. */
export const networking = (entry: Entry, w: ProjectWriter, segById: Map<string, Segment>, notes: Notes): Obj => {
  // No overlay data is not "no network": the service stays on the project's default network.
  if (entry.svc.memberships.overlay === undefined) return {};
  const actual = entry.svc.memberships.overlay;
  const kindOf = (id: string) => segById.get(id)?.attributes?.kind;
  // No network at all (`none`), or the host's stack: a mode, and no network can be joined beside it.
  for (const mode of ['none', 'host'] as const) {
    if (!actual.some((id) => kindOf(id) === mode)) continue;
    if (actual.length > 1) notes.item(`with network_mode ${mode}, its other networks are left out`, entry.svc.id);
    return { network_mode: mode };
  }
  const bridges = actual.filter((id) => kindOf(id) === 'bridge');
  const nets = actual.filter((id) => !bridges.includes(id));
  if (nets.length === 0 && bridges.length === 0) return { network_mode: 'none' };
  if (nets.length === 0) {
    notes.add(
      `project ${w.p.project}: services on the default bridge (Compose v1) are written with network_mode: bridge`,
    );
    return { network_mode: 'bridge' };
  }
  if (bridges.length > 0) {
    notes.add(
      `${entry.svc.id}: a container on the default bridge cannot also join networks; ${bridges.join(', ')} is left out`,
    );
  }
  const keys = nets.flatMap((id) => {
    const k = w.keyFor(id);
    if (k === undefined) notes.item('memberships of unknown overlay segments, left out', `${entry.svc.id} in ${id}`);
    return k === undefined ? [] : [k];
  });
  if (keys.length === 1 && keys[0] === 'default') return {};
  const prev = entry.extra.networks;
  if (isObj(prev)) {
    const out: Obj = {};
    for (const k of keys) put(out, k, Object.hasOwn(prev, k) ? prev[k] : null);
    return { networks: out };
  }
  return { networks: keys };
};
