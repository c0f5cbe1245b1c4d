// Fix plans for exposed-colocated: the exposed service leaves every segment it shares with a critical one, and its host.
import { buildIndex } from '../analysis/context';
import { finestFirst, finestShared } from '../analysis/findings/exposed-colocated';
import type { Finding } from '../analysis/types';
import type { Command } from '../model/commands';
import { LEVELS, type Level, type Segment, type Service, type Workspace } from '../model/types';
import { declaredNeeds, uniqueName } from './needs';
import { type PlanCandidate, split, splitsKeepingPeers } from './segment-fixes';

/** One way to fix one part of the finding (its host, or its segments at one level). */
type Part = PlanCandidate;

/**
 * Per level, every segment the exposed service shares with a critical one at the finest level where
 * both have data (as the finding compares them). Every critical service counts, those on its host
 * too: the finding names the host only for them, and a host move alone would leave the shared segment.
 */
const sharedByLevel = (ws: Workspace, exposed: Service, critical: readonly Service[]): Map<Level, Segment[]> => {
  const mine = finestFirst(exposed);
  const ids = new Map<Level, Set<string>>();
  for (const c of critical) {
    const f = finestShared(mine, finestFirst(c));
    if (f?.segment === undefined) continue;
    const theirs = new Set(c.memberships[f.level] ?? []);
    const set = ids.get(f.level) ?? new Set<string>();
    for (const id of exposed.memberships[f.level] ?? []) if (theirs.has(id)) set.add(id);
    ids.set(f.level, set);
  }
  const out = new Map<Level, Segment[]>();
  for (const level of LEVELS) {
    const set = ids.get(level);
    // In the exposed service's own order, so the first is the one it moves out of.
    const shared = (exposed.memberships[level] ?? []).flatMap((id) => {
      const s = set?.has(id) ? ws.segments.find((x) => x.id === id) : undefined;
      return s ? [s] : [];
    });
    if (shared.length > 0) out.set(level, shared);
  }
  return out;
};

/** The exposed service's declared peers (callers and callees), not critical, that sat with it in one of `shared`. */
const peersToFollow = (ws: Workspace, exposed: Service, shared: readonly Segment[], level: Level): string[] => {
  const ix = buildIndex(ws);
  const i = ix.byId.get(exposed.id);
  if (i === undefined) return [];
  const needs = declaredNeeds(ws, ix.byId);
  const ids = new Set(shared.map((s) => s.id));
  const peers = new Set([...(needs.in.get(i)?.keys() ?? []), ...(needs.out.get(i)?.keys() ?? [])]);
  return [...peers].flatMap((p) => {
    const s = ix.services[p];
    return s && s.id !== exposed.id && s.critical !== true && (s.memberships[level] ?? []).some((id) => ids.has(id))
      ? [s.id]
      : [];
  });
};

/**
 * Ways to take the exposed service out of the segments it shares with critical services at one level:
 * a new empty segment of its own (nothing follows it; the preview says which calls break), split off
 * the first with the rules copied (a security group keeps its reach), and on levels where sharing a
 * segment is what lets two services talk (overlay networks) a segment of its own that its declared
 * non-critical peers join as well, so those calls keep working.
 */
const levelParts = (ws: Workspace, exposed: Service, level: Level, shared: readonly Segment[]): Part[] => {
  const [first, ...rest] = shared as [Segment, ...Segment[]];
  const own = uniqueName(`${exposed.name}-own`, new Set(ws.segments.map((s) => s.name)));
  const id = `${first.id}:${own}`;
  const created: Segment = { id, level, name: own };
  if (first.parent) created.parent = first.parent;
  if (first.attributes) created.attributes = { ...first.attributes };
  const leaveRest = rest.map(
    (s): Command => ({ type: 'moveService', service: exposed.id, level, from: s.id, to: null }),
  );
  const moveIn: Command[] = [
    { type: 'createSegment', segment: created },
    { type: 'moveService', service: exposed.id, level, from: first.id, to: id },
    ...leaveRest,
  ];
  const names = shared.map((s) => s.name).join(', ');
  const parts: Part[] = [
    {
      title: `give ${exposed.name} its own ${level} segment ${own}, out of ${names}`,
      commands: moveIn,
      levels: [level],
    },
  ];
  if (level === 'group')
    parts.push({
      title: `split ${exposed.name} off ${names} into ${own} (rules copied)`,
      commands: [...splitsKeepingPeers(ws, first, [split(first, own, [exposed.id])]), ...leaveRest],
      levels: [level],
    });
  if (level === 'overlay') {
    const peers = peersToFollow(ws, exposed, shared, level);
    if (peers.length > 0)
      parts.push({
        title: `give ${exposed.name} its own ${level} segment ${own}, out of ${names}, joined by its ${peers.length} non-critical call peer${peers.length === 1 ? '' : 's'}`,
        commands: [
          ...moveIn,
          ...peers.map((p): Command => ({ type: 'moveService', service: p, level, from: null, to: id })),
        ],
        levels: [level],
      });
  }
  return parts;
};

/** "One critical container per VM": the exposed service to a VM of its own, or each critical one to its own. */
const hostParts = (ws: Workspace, exposed: Service, onHost: readonly Service[]): Part[] => {
  const host = exposed.placement?.host;
  if (host === undefined || onHost.length === 0) return [];
  const hosts = new Set(ws.services.flatMap((s) => (s.placement?.host ? [s.placement.host] : [])));
  const vm = (s: Service) => uniqueName(`${s.name}-vm`, hosts);
  return [
    {
      title: `move ${exposed.name} off host ${host} to a VM of its own`,
      commands: [{ type: 'placeService', service: exposed.id, from: host, to: vm(exposed) }],
      levels: [],
    },
    {
      title: `move the critical ${onHost.map((s) => s.name).join(', ')} off host ${host}, one VM each`,
      commands: onHost.map((s): Command => ({ type: 'placeService', service: s.id, from: host, to: vm(s) })),
      levels: [],
    },
  ];
};

/** Every combination of one way per part (a finding on a host and in a segment needs both fixed). */
const combine = (parts: Part[][]): PlanCandidate[] =>
  parts.reduce<PlanCandidate[]>(
    (acc, ways) =>
      acc.flatMap((pre) =>
        ways.map((w) => ({
          title: pre.title ? `${pre.title}; ${w.title}` : w.title,
          commands: [...pre.commands, ...w.commands],
          levels: [...new Set([...pre.levels, ...w.levels])],
        })),
      ),
    [{ title: '', commands: [], levels: [] }],
  );

/**
 * Exposed next to critical (DESIGN.md exposed-colocated: "the fix: its own segment, one critical
 * container per VM"): the exposed service leaves its host and every segment it shares with a listed
 * critical service; the plans combine one way per part.
 */
export const exposedPlans = (ws: Workspace, f: Finding): PlanCandidate[] => {
  const byId = new Map(ws.services.map((s) => [s.id, s]));
  const exposed = byId.get(f.services[0] ?? '');
  if (!exposed) return [];
  const critical = f.services.slice(1).flatMap((id) => {
    const s = byId.get(id);
    return s ? [s] : [];
  });
  const host = exposed.placement?.host;
  const onHost = critical.filter((c) => host !== undefined && c.placement?.host === host);
  const parts: Part[][] = [];
  const h = hostParts(ws, exposed, onHost);
  if (h.length > 0) parts.push(h);
  for (const [level, shared] of sharedByLevel(ws, exposed, critical))
    parts.push(levelParts(ws, exposed, level, shared));
  return parts.length === 0 ? [] : combine(parts).slice(0, 6);
};
