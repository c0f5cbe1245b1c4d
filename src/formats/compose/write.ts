// Writer for Docker Compose: one compose-spec file per project, from overlay memberships, calls and the keys kept in `extra`.

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
  yamlText,
} from '../../export/format';
import type { Segment, Service, Workspace } from '../../model/types';
import { composeReader, projectName } from './read';

// How the workspace becomes Compose files:
// - one file per project (the original file name when it names the same project), Compose
//   specification only: `version` is dropped, `x-` extensions and every unmodelled top-level and
//   service key the reader kept in `extra` are written back as they were;
// - overlay memberships are the service's `networks` (kept as written while unchanged; per-network
//   options such as aliases survive a change); no network at all is `network_mode: none`, the Compose
//   v1 default bridge is `network_mode: bridge`; networks of other projects or formats are external;
// - calls are what links, depends_on and environment name; a call they do not name becomes an
//   address in an environment variable `SEGSCOPE_CALL_<CALLEE>` of the caller;
// - services of other formats (converting) go into one project with a placeholder image and their ports.

/** A service as it appears in one Compose file. */
interface Entry {
  svc: Service;
  name: string;
  /** Keys the Compose reader kept (empty for services that come from another format). */
  extra: Obj;
  fromCompose: boolean;
}

interface Project {
  project: string;
  entries: Entry[];
  /** The project's own networks (`attributes.project`), in workspace order. */
  networks: Segment[];
}

const NETWORK_KINDS = new Set(['compose-network', 'bridge']);

/** Above this many services a project's file is not read back to check it (reading costs as much again). */
export const READ_BACK_LIMIT = 3000;

/** Compose service names allow letters, digits, `.`, `_` and `-`. */
const serviceName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-') || 'service';

/** Docker's project-name rule, through the reader's own normalisation. */
const normalProject = (s: string | undefined): string => projectName('default.yml', s);

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Which project and name a service has in Compose, or undefined when it is not a Compose service. */
const composeRef = (svc: Service, segById: Map<string, Segment>): { project: string; name: string } | undefined => {
  const id = formatId(svc, 'compose:');
  if (id !== undefined) {
    const rest = id.slice('compose:'.length);
    const slash = rest.indexOf('/');
    if (slash > 0) return { project: rest.slice(0, slash), name: rest.slice(slash + 1) };
  }
  for (const segId of svc.memberships.overlay ?? []) {
    const a = segById.get(segId)?.attributes;
    if (a && NETWORK_KINDS.has(String(a.kind))) {
      const project = typeof a.project === 'string' ? a.project : svc.namespace;
      return { project: normalProject(project), name: serviceName(svc.name) };
    }
  }
  return undefined;
};

/** Group the workspace's Compose services by project; with none at all, every service in one project (conversion). */
const projectsOf = (ws: Workspace, segById: Map<string, Segment>): Project[] => {
  const byProject = new Map<string, Project>();
  const refs = ws.services.map((svc) => ({ svc, ref: composeRef(svc, segById) }));
  const converting = refs.every((r) => r.ref === undefined);
  const named = normalProject(ws.name ?? 'workspace');
  const conversionProject = named.length <= 24 ? named : 'workspace';
  for (const { svc, ref } of refs) {
    // Converting, one project holds every service, so that every call stays inside one file.
    const r = ref ?? (converting ? { project: conversionProject, name: serviceName(svc.name) } : undefined);
    if (!r) continue;
    let p = byProject.get(r.project);
    if (!p) {
      p = { project: r.project, entries: [], networks: [] };
      byProject.set(r.project, p);
    }
    let name = r.name;
    for (let n = 2; p.entries.some((e) => e.name === name); n++) name = `${r.name}-${n}`;
    const fromCompose = formatId(svc, 'compose:') !== undefined;
    p.entries.push({ svc, name, extra: fromCompose ? formatExtra(svc, 'compose:') : {}, fromCompose });
  }
  for (const seg of ws.segments) {
    const a = seg.attributes;
    if (seg.level !== 'overlay' || a?.kind !== 'compose-network' || typeof a.project !== 'string') continue;
    byProject.get(a.project)?.networks.push(seg);
  }
  return [...byProject.values()];
};

/** Top-level keys the Compose reader kept per file (`extra.compose[file]`), for one project. */
const keptTops = (ws: Workspace, project: string): { file: string; kept: Obj }[] => {
  const byFile = ws.extra?.compose;
  if (!isObj(byFile)) return [];
  return Object.keys(byFile)
    .filter((file) => {
      const kept = byFile[file];
      return isObj(kept) && projectName(file, kept.name) === project;
    })
    .map((file) => ({ file, kept: byFile[file] as Obj }));
};

const baseName = (path: string): string => path.split(/[\\/]/).at(-1) ?? path;

/** Writes one project's file; networks are declared as services come to need them. */
class ProjectWriter {
  /** Segment id → network key in this file. */
  private readonly keys = new Map<string, string>();
  private readonly declared = new Map<string, unknown>();
  readonly defaultId: string;
  readonly bridgeId: string;

  constructor(
    readonly p: Project,
    private readonly segById: Map<string, Segment>,
    private readonly notes: Notes,
  ) {
    const def = p.networks.find((s) => s.attributes?.network === 'default');
    this.defaultId = def?.id ?? `overlay:${p.project}_default`;
    this.bridgeId = `overlay:${p.project}_bridge`;
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
    if (seg.id !== `overlay:${seg.name}`) {
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
    return `overlay:${this.p.project}_${key}`;
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
const overlayFromKept = (
  extra: Obj,
  w: ProjectWriter,
  siblings: Map<string, Entry>,
  seen: Set<string> = new Set(),
): string[] | undefined => {
  const mode = modeOf(extra);
  if (mode !== undefined) {
    if (mode === 'host' || mode === 'none' || mode.startsWith('container:')) return [];
    if (mode === 'bridge' || mode === 'default') return [w.bridgeId];
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
const keptNetworkKeys = (extra: Obj): string[] => {
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
const networking = (entry: Entry, w: ProjectWriter, segById: Map<string, Segment>, notes: Notes): Obj => {
  // No overlay data is not "no network": the service stays on the project's default network.
  if (entry.svc.memberships.overlay === undefined) return {};
  const actual = entry.svc.memberships.overlay;
  const bridges = actual.filter((id) => segById.get(id)?.attributes?.kind === 'bridge');
  const nets = actual.filter((id) => !bridges.includes(id));
  if (nets.length === 0 && bridges.length === 0) return { network_mode: 'none' };
  if (nets.length === 0) {
    if (bridges[0] !== w.bridgeId)
      notes.item(`on another project's bridge, written as network_mode bridge`, entry.svc.id);
    else
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
const serviceBody = (
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
const addEnv = (body: Obj, key: string, value: string): void => {
  const env = body.environment;
  if (Array.isArray(env)) body.environment = [...env, `${key}=${value}`];
  else {
    const out: Obj = isObj(env) ? { ...env } : {};
    put(out, key, value);
    body.environment = out;
  }
};

const envKeys = (body: Obj): Set<string> => {
  const env = body.environment;
  if (Array.isArray(env)) return new Set(env.map((e) => String(e).split('=')[0] ?? ''));
  return new Set(isObj(env) ? Object.keys(env) : []);
};

const callKey = (from: string, to: string, port: number | undefined) => `${from}\u0000${to}\u0000${port ?? ''}`;

/** The file name: the original one when it names the same project, else `<project>.compose.yml`. */
const fileNameFor = (ws: Workspace, project: string, kept: { file: string; kept: Obj }[], used: Set<string>) => {
  const candidates = [
    ...kept.map((k) => ({ file: k.file, declared: k.kept.name })),
    ...(ws.sources ?? []).filter((s) => s.format === 'compose').map((s) => ({ file: s.name, declared: undefined })),
  ];
  for (const c of candidates) {
    if (projectName(c.file, c.declared) !== project) continue;
    const base = baseName(c.file);
    if (projectName(base, c.declared) === project && !used.has(base)) return base;
  }
  let name = `${project}.compose.yml`;
  for (let n = 2; used.has(name); n++) name = `${project}-${n}.compose.yml`;
  return name;
};

/** A file's top level: `name` first, then `x-` extensions, services, networks and the other kept keys. */
const topLevel = (kept: Obj, needName: string | undefined, services: Obj, networks: Obj | undefined): Obj => {
  const doc: Obj = {};
  if (kept.name !== undefined) doc.name = kept.name;
  else if (needName !== undefined) doc.name = needName;
  for (const [k, v] of Object.entries(kept)) if (k.startsWith('x-')) put(doc, k, v);
  doc.services = services;
  if (networks) doc.networks = networks;
  for (const [k, v] of Object.entries(kept)) {
    if (k === 'version' || k === 'name' || k.startsWith('x-')) continue;
    put(doc, k, v);
  }
  return doc;
};

const sample = (items: string[]): string =>
  `${items.slice(0, 5).join(', ')}${items.length > 5 ? `, … (${items.length} in all)` : ''}`;

export const exportCompose = (ws: Workspace): ExportResult => {
  const notes = new Notes();
  const segById = new Map(ws.segments.map((s) => [s.id, s]));
  const projects = projectsOf(ws, segById);
  const files: ExportResult['files'] = [];
  const usedNames = new Set<string>();
  const where = new Map<string, { project: string; name: string }>();
  for (const p of projects) for (const e of p.entries) where.set(e.svc.id, { project: p.project, name: e.name });
  if (projects.length > 0 && projects.every((p) => p.entries.every((e) => !e.fromCompose))) {
    notes.add('no service comes from Compose: every service is written with a placeholder image and its ports');
  }
  const outside: string[] = [];
  for (const c of ws.calls) {
    const a = where.get(c.from);
    const b = where.get(c.to);
    if (a && b && a.project === b.project) continue;
    if (a || b) outside.push(`${c.from} → ${c.to}`);
  }
  if (outside.length > 0) {
    notes.add(
      `${outside.length} call(s) cross Compose projects or leave Compose; a file only names its own services: ${sample(outside)}`,
    );
  }

  for (const p of projects) {
    const w = new ProjectWriter(p, segById, notes);
    const siblings = new Map(p.entries.map((e) => [e.name, e]));
    const bodies = new Map<string, Obj>();
    for (const e of p.entries) bodies.set(e.name, serviceBody(e, w, siblings, segById, notes));
    for (const e of p.entries) {
      if (!e.fromCompose && e.svc.kind === 'gateway') {
        notes.item('kind gateway is guessed from a known proxy image only; these may read back as service', e.svc.id);
      }
    }
    const kept = keptTops(ws, p.project);
    if (kept.length > 1) {
      notes.add(
        `project ${p.project}: top-level keys of ${kept.map((k) => k.file).join(', ')} are merged into one file`,
      );
    }
    const keptTop: Obj = {};
    for (const k of kept)
      for (const [key, v] of Object.entries(k.kept)) if (!Object.hasOwn(keptTop, key)) put(keptTop, key, v);
    if (keptTop.version !== undefined) {
      notes.add(
        `project ${p.project}: written as the Compose specification, without "version: ${String(keptTop.version)}"`,
      );
    }
    const fileName = fileNameFor(ws, p.project, kept, usedNames);
    usedNames.add(fileName);
    const needName = projectName(fileName, keptTop.name) === p.project ? undefined : p.project;
    const render = () => {
      const services: Obj = {};
      for (const e of p.entries) put(services, e.name, bodies.get(e.name));
      return yamlText(topLevel(keptTop, needName, services, w.networks()));
    };
    // The Compose reader decides which calls and memberships the file gives; it checks the writing.
    const nameOf = new Map(p.entries.map((e) => [e.svc.id, e.name]));
    const wanted = new Map<string, { from: string; to: string; port: number | undefined }>();
    for (const c of ws.calls) {
      const from = nameOf.get(c.from);
      const to = nameOf.get(c.to);
      if (from !== undefined && to !== undefined) wanted.set(callKey(from, to, c.port), { from, to, port: c.port });
    }
    const readBack = (text: string) => {
      const { fragment } = composeReader.read({ name: fileName, text });
      const prefix = `compose:${p.project}/`;
      const local = (id: string) => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
      const calls = new Set(fragment.calls.map((c) => callKey(local(c.from), local(c.to), c.port)));
      return { calls, services: new Map(fragment.services.map((s) => [local(s.id), s])) };
    };
    const check = p.entries.length <= READ_BACK_LIMIT;
    // Without kept keys no call is in the file yet: no need to read it to know which are missing.
    const first = p.entries.some((e) => e.fromCompose) ? readBack(render()) : undefined;
    const missing = new Map<string, Map<string, string[]>>();
    for (const [key, c] of wanted) {
      if (first?.calls.has(key)) continue;
      const byTarget = missing.get(c.from) ?? new Map<string, string[]>();
      missing.set(c.from, byTarget);
      const refs = byTarget.get(c.to) ?? [];
      refs.push(c.port === undefined ? c.to : `${c.to}:${c.port}`);
      byTarget.set(c.to, refs);
    }
    // Calls the kept keys do not name (added in the workspace, or from another format) become addresses.
    for (const [from, targets] of missing) {
      const body = bodies.get(from) as Obj;
      const taken = envKeys(body);
      for (const [to, refs] of targets) {
        const base = `SEGSCOPE_CALL_${to.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
        let key = base;
        for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
        taken.add(key);
        addEnv(body, key, refs.join(' '));
      }
    }
    const text = render();
    files.push({ name: fileName, text });
    if (!check) {
      notes.add(`project ${p.project}: ${p.entries.length} services, the written file was not read back to check it`);
      continue;
    }
    const back = first && missing.size === 0 ? first : readBack(text);
    const lost = [...wanted].filter(([key]) => !back.calls.has(key)).map(([, c]) => `${c.from} → ${c.to}`);
    if (lost.length > 0) notes.add(`project ${p.project}: call(s) not expressed: ${sample(lost)}`);
    const extraCalls = [...back.calls]
      .filter((key) => !wanted.has(key))
      .map((k) => k.split('\u0000').slice(0, 2).join(' → '));
    if (extraCalls.length > 0) {
      notes.add(
        `project ${p.project}: the kept links, depends_on or environment still name call(s) the workspace no longer has: ${sample(extraCalls)}`,
      );
    }
    for (const e of p.entries) {
      const got = back.services.get(e.name)?.memberships.overlay ?? [];
      const want = e.svc.memberships.overlay ?? [];
      if (!sameSet(got, want)) {
        notes.item('overlay memberships that read back differently', `${e.svc.id} → [${got.join(', ')}]`);
      }
    }
  }
  files.sort((a, b) => compareText(a.name, b.name));
  return { files, notes: notes.list };
};
