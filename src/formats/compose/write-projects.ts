// Which Compose project and file each service is written in: projects, service names, file names, the top level.
import { formatExtra, formatId, isObj, type Obj, put } from '../../export/format';
import type { Segment, Service, Workspace } from '../../model/types';
import { projectName, SERVICE_PREFIX } from './conventions';

/** A service as it appears in one Compose file. */
export interface Entry {
  svc: Service;
  name: string;
  /** Keys the Compose reader kept (empty for services that come from another format). */
  extra: Obj;
  fromCompose: boolean;
}

export interface Project {
  project: string;
  entries: Entry[];
  /** The project's own networks (`attributes.project`), in workspace order. */
  networks: Segment[];
}

export const NETWORK_KINDS = new Set(['compose-network', 'bridge']);

/** Compose service names allow letters, digits, `.`, `_` and `-`. */
export const serviceName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-') || 'service';

/** Docker's project-name rule, through the reader's own normalisation. */
const normalProject = (s: string | undefined): string => projectName('default.yml', s);

/** Which project and name a service has in Compose, or undefined when it is not a Compose service. */
const composeRef = (svc: Service, segById: Map<string, Segment>): { project: string; name: string } | undefined => {
  const id = formatId(svc, SERVICE_PREFIX);
  if (id !== undefined) {
    const rest = id.slice(SERVICE_PREFIX.length);
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
export const projectsOf = (ws: Workspace, segById: Map<string, Segment>): Project[] => {
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
    const fromCompose = formatId(svc, SERVICE_PREFIX) !== undefined;
    p.entries.push({ svc, name, extra: fromCompose ? formatExtra(svc, SERVICE_PREFIX) : {}, fromCompose });
  }
  for (const seg of ws.segments) {
    const a = seg.attributes;
    if (seg.level !== 'overlay' || a?.kind !== 'compose-network' || typeof a.project !== 'string') continue;
    byProject.get(a.project)?.networks.push(seg);
  }
  return [...byProject.values()];
};

/** Top-level keys the Compose reader kept per file (`extra.compose[file]`), for one project. */
export const keptTops = (ws: Workspace, project: string): { file: string; kept: Obj }[] => {
  const byFile = ws.extra?.compose;
  if (!isObj(byFile)) return [];
  return Object.keys(byFile)
    .filter((file) => {
      const kept = byFile[file];
      return isObj(kept) && projectName(file, kept.name) === project;
    })
    .map((file) => ({ file, kept: byFile[file] as Obj }));
};

export const baseName = (path: string): string => path.split(/[\\/]/).at(-1) ?? path;

/** The file name: the original one when it names the same project, else `<project>.compose.yml`. */
export const fileNameFor = (ws: Workspace, project: string, kept: { file: string; kept: Obj }[], used: Set<string>) => {
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
export const topLevel = (kept: Obj, needName: string | undefined, services: Obj, networks: Obj | undefined): Obj => {
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
