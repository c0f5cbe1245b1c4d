// Writer for Docker Compose: one compose-spec file per project, from overlay memberships, calls and the keys kept in `extra`.
import {
  callEnvName,
  type ExportedFile,
  type ExportResult,
  examples,
  Notes,
  type Obj,
  put,
  sameSet,
  yamlText,
} from '../../export/format';
import type { Segment, Workspace } from '../../model/types';
import { projectName } from './conventions';
import { type WrittenFacts, writtenFacts } from './write-check';
import { ProjectWriter } from './write-networks';
import { fileNameFor, keptTops, type Project, projectsOf, topLevel } from './write-projects';
import { addEnv, callKey, envKeys, serviceBody } from './write-services';

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

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

type WantedCall = { from: string; to: string; port: number | undefined };

/** Calls a project's file should name, by service name in the file. */
const wantedCalls = (ws: Workspace, p: Project): Map<string, WantedCall> => {
  const nameOf = new Map(p.entries.map((e) => [e.svc.id, e.name]));
  const wanted = new Map<string, WantedCall>();
  for (const c of ws.calls) {
    const from = nameOf.get(c.from);
    const to = nameOf.get(c.to);
    if (from !== undefined && to !== undefined) wanted.set(callKey(from, to, c.port), { from, to, port: c.port });
  }
  return wanted;
};

/** Calls the kept keys do not name (added in the workspace, or from another format) become addresses. */
const addMissingCalls = (
  bodies: Map<string, Obj>,
  wanted: Map<string, WantedCall>,
  named: WrittenFacts | undefined,
) => {
  const missing = new Map<string, Map<string, string[]>>();
  for (const [key, c] of wanted) {
    if (named?.calls.has(key)) continue;
    const byTarget = missing.get(c.from) ?? new Map<string, string[]>();
    missing.set(c.from, byTarget);
    const refs = byTarget.get(c.to) ?? [];
    refs.push(c.port === undefined ? c.to : `${c.to}:${c.port}`);
    byTarget.set(c.to, refs);
  }
  for (const [from, targets] of missing) {
    const body = bodies.get(from) as Obj;
    const taken = envKeys(body);
    for (const [to, refs] of targets) {
      const base = callEnvName(to);
      let key = base;
      for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
      taken.add(key);
      addEnv(body, key, refs.join(' '));
    }
  }
  return missing.size;
};

/** Say where the file, as the reader will read it, differs from the workspace: calls lost or still named, overlay memberships. */
const checkProject = (p: Project, wanted: Map<string, WantedCall>, back: WrittenFacts, notes: Notes): void => {
  const lost = [...wanted].filter(([key]) => !back.calls.has(key)).map(([, c]) => `${c.from} → ${c.to}`);
  if (lost.length > 0) notes.add(`project ${p.project}: call(s) not expressed: ${examples(lost)}`);
  const extraCalls = [...back.calls]
    .filter((key) => !wanted.has(key))
    .map((k) => k.split('\u0000').slice(0, 2).join(' → '));
  if (extraCalls.length > 0) {
    notes.add(
      `project ${p.project}: the kept links, depends_on or environment still name call(s) the workspace no longer has: ${examples(extraCalls)}`,
    );
  }
  for (const e of p.entries) {
    const got = back.overlay.get(e.name) ?? [];
    const want = e.svc.memberships.overlay ?? [];
    if (!sameSet(got, want)) {
      notes.item('overlay memberships that read back differently', `${e.svc.id} → [${got.join(', ')}]`);
    }
  }
};

/** The top-level keys the reader kept for the project's files, merged into one. */
const keptTopOf = (ws: Workspace, p: Project, notes: Notes): { kept: ReturnType<typeof keptTops>; top: Obj } => {
  const kept = keptTops(ws, p.project);
  if (kept.length > 1) {
    notes.add(`project ${p.project}: top-level keys of ${kept.map((k) => k.file).join(', ')} are merged into one file`);
  }
  const top: Obj = {};
  for (const k of kept) for (const [key, v] of Object.entries(k.kept)) if (!Object.hasOwn(top, key)) put(top, key, v);
  if (top.version !== undefined) {
    notes.add(`project ${p.project}: written as the Compose specification, without "version: ${String(top.version)}"`);
  }
  return { kept, top };
};

/** One project's file. */
const projectFile = (
  ws: Workspace,
  p: Project,
  segById: Map<string, Segment>,
  usedNames: Set<string>,
  notes: Notes,
): ExportedFile => {
  const w = new ProjectWriter(p, segById, notes);
  const siblings = new Map(p.entries.map((e) => [e.name, e]));
  const bodies = new Map<string, Obj>();
  for (const e of p.entries) bodies.set(e.name, serviceBody(e, w, siblings, segById, notes));
  for (const e of p.entries) {
    if (!e.fromCompose && e.svc.kind === 'gateway') {
      notes.item('kind gateway is guessed from a known proxy image only; these may read back as service', e.svc.id);
    }
  }
  const { kept, top } = keptTopOf(ws, p, notes);
  const fileName = fileNameFor(ws, p.project, kept, usedNames);
  usedNames.add(fileName);
  const needName = projectName(fileName, top.name) === p.project ? undefined : p.project;
  const services = (): Obj => {
    const out: Obj = {};
    for (const e of p.entries) put(out, e.name, bodies.get(e.name));
    return out;
  };
  // What the reader will make of the file, by the reader's own rules (write-check.ts): no text read back.
  const facts = () => writtenFacts(p.project, services(), w.networks());
  const wanted = wantedCalls(ws, p);
  // Without kept keys no call is in the file yet: no need to look to know which are missing.
  const first = p.entries.some((e) => e.fromCompose) ? facts() : undefined;
  const added = addMissingCalls(bodies, wanted, first);
  checkProject(p, wanted, first && added === 0 ? first : facts(), notes);
  return { name: fileName, text: yamlText(topLevel(top, needName, services(), w.networks())) };
};

export const exportCompose = (ws: Workspace): ExportResult => {
  const notes = new Notes();
  const segById = new Map(ws.segments.map((s) => [s.id, s]));
  const projects = projectsOf(ws, segById);
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
      `${outside.length} call(s) cross Compose projects or leave Compose; a file only names its own services: ${examples(outside)}`,
    );
  }
  const usedNames = new Set<string>();
  const files = projects.map((p) => projectFile(ws, p, segById, usedNames, notes));
  files.sort((a, b) => compareText(a.name, b.name));
  return { files, notes: notes.list };
};
