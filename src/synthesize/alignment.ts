// Hierarchical alignment: accounts ⊃ VPCs ⊃ groups ⊃ label sets, each segment within one parent of the level above, and the moves that raise it.
import type { Conn } from '../analysis/connset';
import { type AnalysisIndex, buildIndex } from '../analysis/context';
import { levelResult } from '../analysis/reach';
import { applyCommand, type Command } from '../model/commands';
import { LEVELS, type Level, type Workspace } from '../model/types';

/** Child level → the level its segments should sit within. */
export const ALIGNED_PAIRS: readonly [Level, Level][] = [
  ['network', 'account'],
  ['group', 'network'],
  ['policy', 'group'],
];

export interface Alignment {
  /** Services whose segments each sit within one parent segment (all their members in it) at every pair of levels they have data for. */
  aligned: number;
  /** Services with data at both levels of at least one pair. */
  counted: number;
  percent: number;
  /** Segments whose members share no parent, with the parent most of them are in. */
  split: { level: Level; segment: string; parents: Record<string, number>; majority: string }[];
}

const segmentsById = new WeakMap<Workspace, Map<string, Workspace['segments'][number]>>();

const top = (ws: Workspace, level: Level, id: string): string => {
  // A subnet stands for its VPC: compare at the top of a level's own nesting.
  let byId = segmentsById.get(ws);
  if (!byId) {
    byId = new Map(ws.segments.map((s) => [s.id, s]));
    segmentsById.set(ws, byId);
  }
  let cur = byId.get(id);
  const seen = new Set<string>();
  while (cur?.parent && byId.get(cur.parent)?.level === level && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = byId.get(cur.parent);
  }
  return cur?.id ?? id;
};

export const alignment = (ws: Workspace): Alignment => {
  const bad = new Set<string>();
  const counted = new Set<string>();
  const split: Alignment['split'] = [];
  for (const [child, parent] of ALIGNED_PAIRS) {
    const parents = new Map<string, Map<string, number>>();
    const members = new Map<string, string[]>();
    for (const s of ws.services) {
      const cs = s.memberships[child] ?? [];
      const ps = [...new Set((s.memberships[parent] ?? []).map((id) => top(ws, parent, id)))];
      if (cs.length === 0 || ps.length === 0) continue;
      counted.add(s.id);
      for (const c of cs) {
        // Label sets are compared as they are (a namespace holds many); subnets stand for their VPC.
        const id = child === 'policy' ? c : top(ws, child, c);
        const m = parents.get(id) ?? new Map<string, number>();
        for (const p of ps) m.set(p, (m.get(p) ?? 0) + 1);
        parents.set(id, m);
        members.set(id, [...(members.get(id) ?? []), s.id]);
      }
    }
    for (const [seg, m] of parents) {
      // Within one parent: every member is in it (a member may be in other parents too, as a service
      // in its team's group and a group of its own is; at one-membership levels this is "all in one").
      const size = members.get(seg)?.length ?? 0;
      if ([...m.values()].some((n) => n === size)) continue;
      for (const sid of members.get(seg) ?? []) bad.add(sid);
      const majority = [...m].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0] as string;
      split.push({ level: child, segment: seg, parents: Object.fromEntries(m), majority });
    }
  }
  const aligned = [...counted].filter((id) => !bad.has(id)).length;
  return {
    aligned,
    counted: counted.size,
    percent: counted.size === 0 ? 100 : Math.round((1000 * aligned) / counted.size) / 10,
    split,
  };
};

/** The declared calls with `service` at one end, as (caller, callee, connection) of an index. */
const callsOf = (ix: AnalysisIndex, service: string): [number, number, Conn | undefined][] =>
  ix.ws.calls.flatMap((c) => {
    if (c.from !== service && c.to !== service) return [];
    const a = ix.byId.get(c.from);
    const b = ix.byId.get(c.to);
    if (a === undefined || b === undefined) return [];
    return [[a, b, c.port === undefined ? undefined : { protocol: c.protocol ?? 'TCP', port: c.port }]];
  });

/** No level denies the pair (DESIGN.md: a pair is reachable when no level denies). */
const works = (ix: AnalysisIndex, a: number, b: number, c: Conn | undefined): boolean =>
  LEVELS.every((_, li) => levelResult(ix, li, a, b, c).verdict !== 'deny');

/**
 * Every declared call of `service` that worked before still works after. A membership change alters
 * only the verdicts of pairs with the moved service at one end, so these are all it can break; every
 * level is asked, as a VPC move also changes which group references reach.
 */
const keepsCalls = (before: AnalysisIndex, after: Workspace, service: string): boolean => {
  const ix = buildIndex(after);
  const was = callsOf(before, service).map(([a, b, c]) => works(before, a, b, c));
  return callsOf(ix, service).every(([a, b, c], k) => !was[k] || works(ix, a, b, c));
};

/** A service's memberships at `level` replaced by another list, as moves (a replaced one keeps its place). */
const replaceMemberships = (
  service: string,
  level: Level,
  from: readonly string[],
  to: readonly string[],
): Command[] => {
  const gone = from.filter((id) => !to.includes(id));
  const added = to.filter((id) => !from.includes(id));
  return [
    ...added.map((id, k): Command => ({ type: 'moveService', service, level, from: gone[k] ?? null, to: id })),
    ...gone.slice(added.length).map((id): Command => ({ type: 'moveService', service, level, from: id, to: null })),
  ];
};

type Split = Alignment['split'][number];

/** Levels where a service is in several segments at once (groups, label sets): joining one adds to the others. */
const MULTI: ReadonlySet<Level> = new Set(['group', 'policy', 'overlay']);

/** The parent segment (not its top) most members of the split segment use inside the majority parent. */
const homeOf = (
  cur: Workspace,
  split: Split,
  parentLevel: Level,
  inSplit: (svc: Workspace['services'][number]) => boolean,
) => {
  const used = new Map<string, number>();
  for (const s of cur.services)
    if (inSplit(s))
      for (const id of s.memberships[parentLevel] ?? [])
        if (top(cur, parentLevel, id) === split.majority) used.set(id, (used.get(id) ?? 0) + 1);
  return [...used].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0] ?? split.majority;
};

/**
 * The candidate moves of one member outside the majority parent, most direct first: at the parent
 * level, its memberships there become the majority's (the segment most of the split segment's members
 * use there); its first outside one replaced, the others kept; or, at a level of several memberships,
 * it joins the majority's as well. At the child level: it moves to another segment of the same level,
 * kind and nesting (a label set of its own namespace) that sits within a parent it has.
 */
const candidates = (cur: Workspace, split: Split, service: string): Command[][] => {
  const parentLevel = ALIGNED_PAIRS.find(([c]) => c === split.level)?.[1] as Level;
  const svc = cur.services.find((s) => s.id === service);
  if (!svc) return [];
  const childOf = (id: string) => (split.level === 'policy' ? id : top(cur, split.level, id));
  const inSplit = (s: typeof svc) => (s.memberships[split.level] ?? []).some((id) => childOf(id) === split.segment);
  const parents = svc.memberships[parentLevel] ?? [];
  const home = homeOf(cur, split, parentLevel, inSplit);
  const out = [
    replaceMemberships(service, parentLevel, parents, [home]),
    replaceMemberships(service, parentLevel, parents, [home, ...parents.slice(1)]),
  ];
  if (MULTI.has(parentLevel)) out.push(replaceMemberships(service, parentLevel, parents, [...parents, home]));
  const own = cur.segments.find((s) => s.id === split.segment);
  const from = (svc.memberships[split.level] ?? []).find((id) => childOf(id) === split.segment);
  const mine = new Set(parents.map((id) => top(cur, parentLevel, id)));
  const stillSplit = new Set(alignment(cur).split.map((x) => x.segment));
  // Label sets hold a namespace's pods: one of the service's own namespace; else one of the same nesting.
  const nested = (other: Workspace['segments'][number]) =>
    other.attributes?.kind === own?.attributes?.kind &&
    (split.level === 'policy' && svc.namespace !== undefined
      ? other.attributes?.namespace === svc.namespace
      : other.parent === own?.parent);
  for (const other of cur.segments) {
    if (from === undefined || other.level !== split.level || other.id === from || !nested(other)) continue;
    if (stillSplit.has(other.id)) continue;
    const members = cur.services.filter((s) => (s.memberships[split.level] ?? []).includes(other.id));
    const shared = members.map(
      (s) => new Set((s.memberships[parentLevel] ?? []).map((id) => top(cur, parentLevel, id))),
    );
    if (members.length > 0 && [...mine].some((p) => shared.every((set) => set.has(p))))
      out.push([{ type: 'moveService', service, level: split.level, from, to: other.id }]);
  }
  return out.filter((cmds) => cmds.length > 0);
};

/** `x` aligns a larger share of services than `y` (or the same, with `orSame`). */
const better = (x: Alignment, y: Alignment, orSame: boolean): boolean =>
  orSame ? x.aligned * y.counted >= y.aligned * x.counted : x.aligned * y.counted > y.aligned * x.counted;

/**
 * The first candidate move of `service` under which every declared call of it that worked still works
 * and no smaller share of services is aligned (joining the majority's group in another VPC would
 * take that group out of its VPC).
 */
const firstKeepingCalls = (cur: Workspace, split: Split, service: string): [Command[], Workspace] | undefined => {
  const ix = buildIndex(cur);
  const now = alignment(cur);
  for (const cmds of candidates(cur, split, service)) {
    let next: Workspace;
    try {
      next = cmds.reduce(applyCommand, cur);
    } catch {
      continue; // a move the model refuses is no candidate
    }
    if (better(alignment(next), now, true) && keepsCalls(ix, next, service)) return [cmds, next];
  }
  return undefined;
};

/**
 * Moves that raise alignment: in a segment whose members share no parent, every member outside the
 * parent most of them are in moves, by the first candidate (see `candidates`) under which every
 * declared call of it that worked still works. A segment's moves are proposed together, and only when
 * some member has no such move they are all left out, or when they would not raise the share of
 * aligned services (a move may take its service out of another level's alignment).
 */
export const alignmentMoves = (ws: Workspace): { commands: Command[]; before: Alignment; after: Alignment } => {
  const before = alignment(ws);
  const commands: Command[] = [];
  let cur = ws;
  let now = before;
  for (const s of before.split) {
    const parentLevel = ALIGNED_PAIRS.find(([c]) => c === s.level)?.[1] as Level;
    const childOf = (id: string) => (s.level === 'policy' ? id : top(cur, s.level, id));
    // Members with no data at the parent level are not counted, so they are not outside either.
    const outside = cur.services.filter((svc) => {
      const parents = svc.memberships[parentLevel] ?? [];
      return (
        (svc.memberships[s.level] ?? []).some((id) => childOf(id) === s.segment) &&
        parents.length > 0 &&
        !parents.some((id) => top(cur, parentLevel, id) === s.majority)
      );
    });
    let trial: Workspace | undefined = cur;
    const moves: Command[] = [];
    for (const { id } of outside) {
      const found: [Command[], Workspace] | undefined = trial && firstKeepingCalls(trial, s, id);
      trial = found?.[1];
      moves.push(...(found?.[0] ?? []));
    }
    if (!trial || moves.length === 0) continue;
    const next = alignment(trial);
    if (!better(next, now, false)) continue;
    cur = trial;
    now = next;
    commands.push(...moves);
  }
  return { commands, before, after: now };
};
