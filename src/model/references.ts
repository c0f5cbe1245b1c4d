// Referential integrity of a workspace: duplicate ids and dangling references, with the repair applied.
import { LEVELS, type Workspace } from './types';

export interface ReferenceProblem {
  /** Path of the offending value inside the workspace, e.g. ["services", 2, "memberships", "group", 0]. */
  path: (string | number)[];
  message: string;
}

type Problems = ReferenceProblem[];
type Service = Workspace['services'][number];

/** Items without duplicate ids (the first wins), a problem for each one skipped. */
const firstOfEachId = <T extends { id: string }>(
  items: readonly T[],
  kind: 'segment' | 'service',
  problems: Problems,
) => {
  const seen = new Set<string>();
  return items.filter((x, i) => {
    if (seen.has(x.id)) {
      problems.push({
        path: [`${kind}s`, i, 'id'],
        message: `duplicate ${kind} id "${x.id}"; the later one is skipped`,
      });
      return false;
    }
    seen.add(x.id);
    return true;
  });
};

/** Segments without duplicate ids, then without unknown parents; the level of every kept segment id. */
const repairSegments = (ws: Workspace, problems: Problems) => {
  const segments = firstOfEachId(ws.segments, 'segment', problems);
  const segLevel = new Map<string, string>(segments.map((s) => [s.id, s.level]));
  const segmentsOut = segments.map((s) => {
    if (s.parent === undefined || segLevel.has(s.parent)) return s;
    const i = ws.segments.indexOf(s);
    problems.push({ path: ['segments', i, 'parent'], message: `segment "${s.id}" names unknown parent "${s.parent}"` });
    const { parent: _dropped, ...rest } = s;
    return rest;
  });
  return { segments, segmentsOut, segLevel };
};

/** A service's memberships to known segments of the right level only (the same object when nothing is dropped). */
const repairMemberships = (
  s: Service,
  i: number,
  segLevel: ReadonlyMap<string, string>,
  problems: Problems,
): Service => {
  let changed = false;
  const memberships: typeof s.memberships = {};
  for (const [level, ids] of Object.entries(s.memberships) as [keyof typeof s.memberships, string[]][]) {
    // A key that is no level (`__proto__` as data) or a value that is no list is dropped, not trusted.
    if (!LEVELS.includes(level) || !Array.isArray(ids)) {
      problems.push({
        path: ['services', i, 'memberships', level],
        message: `service "${s.id}": memberships "${level}" is not a level's list of segments; dropped`,
      });
      changed = true;
      continue;
    }
    const kept = ids.filter((id, j) => {
      const lv = segLevel.get(id);
      if (lv === undefined) {
        problems.push({
          path: ['services', i, 'memberships', level, j],
          message: `service "${s.id}" is a member of unknown segment "${id}"`,
        });
        return false;
      }
      if (lv !== level) {
        problems.push({
          path: ['services', i, 'memberships', level, j],
          message: `service "${s.id}" lists ${lv} segment "${id}" under level ${level}`,
        });
        return false;
      }
      return true;
    });
    if (kept.length !== ids.length) changed = true;
    memberships[level] = kept;
  }
  return changed ? { ...s, memberships } : s;
};

/** Calls whose both ends are known services. */
const knownCalls = (ws: Workspace, serviceIds: ReadonlySet<string>, problems: Problems) =>
  ws.calls.filter((c, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!serviceIds.has(c[end])) {
        problems.push({
          path: ['calls', i, end],
          message: `call ${c.from} → ${c.to} names unknown service "${c[end]}"`,
        });
        return false;
      }
    }
    return true;
  });

/**
 * Drop what cannot stand (duplicate ids, memberships to unknown segments or of the wrong level,
 * calls to unknown services, unknown parents) and say why for each. Returns a new workspace.
 */
export const repairReferences = (ws: Workspace): { workspace: Workspace; problems: ReferenceProblem[] } => {
  const problems: ReferenceProblem[] = [];
  const { segments, segmentsOut, segLevel } = repairSegments(ws, problems);
  const unique = firstOfEachId(ws.services, 'service', problems);
  const serviceIds = new Set(unique.map((s) => s.id));
  const services = unique.map((s) => repairMemberships(s, ws.services.indexOf(s), segLevel, problems));
  const calls = knownCalls(ws, serviceIds, problems);
  const changed =
    segments.length !== ws.segments.length ||
    segmentsOut.some((s, i) => s !== segments[i]) ||
    services.length !== ws.services.length ||
    services.some((s, i) => s !== ws.services[i]) ||
    calls.length !== ws.calls.length;
  return { workspace: changed ? { ...ws, segments: segmentsOut, services, calls } : ws, problems };
};
