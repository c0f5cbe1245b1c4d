// The strips' counts of an edited workspace from those of the workspace before the edit: a drop changes one
// service, so only its segments' chips and the calls it makes or takes are counted again (at 5,000 services the
// whole count took 60–80 ms of the drop's task on the page, in the render of the new workspace).
import { memoIn } from '../analysis/per-rules-segments';
import { partitionPoint } from '../model/sorted';
import { LEVELS, type Level, type Segment, type Service, type Workspace } from '../model/types';
import { unusedBuiltin } from './bandIndex';
import type { BandBase, SegmentChip } from './strips';

/** An edit changing more services than this is counted anew (a drop changes one, a plan a few). */
const MAX_CHANGED = 16;

interface SegmentLookup {
  byId: Map<string, Segment>;
  /** Position in the workspace's segment list: the chips' last tie-break, so their order is total. */
  order: Map<string, number>;
}

/** Segments by id and their positions, once per segment list (an edit that moves services keeps the list). */
export const segmentLookup = memoIn(
  new WeakMap<readonly Segment[], SegmentLookup>(),
  (segments): SegmentLookup => ({
    byId: new Map(segments.map((s) => [s.id, s])),
    order: new Map(segments.map((s, i) => [s.id, i])),
  }),
);

/** The strips' order of chips: most services first, then by name, then as the workspace lists them. */
export const chipOrder =
  (order: ReadonlyMap<string, number>) =>
  (x: SegmentChip, y: SegmentChip): number =>
    y.services - x.services ||
    x.name.localeCompare(y.name) ||
    (order.get(x.segmentId) ?? 0) - (order.get(y.segmentId) ?? 0);

/** Same-level ancestors of a segment, itself first. */
export const sameLevelChain = (byId: ReadonlyMap<string, Segment>, segId: string, level: Level): string[] => {
  const out: string[] = [];
  for (let s = byId.get(segId); s && s.level === level; s = s.parent ? byId.get(s.parent) : undefined) out.push(s.id);
  return out;
};

type Change = { before: Service; after: Service };

/**
 * The services `next` holds in place of `prev`'s (same place, same id, another object), when the
 * two differ in nothing else the strips count (segments, calls) and in at most MAX_CHANGED services.
 */
export const changedServices = (prev: Workspace, next: Workspace): Change[] | null => {
  if (prev.segments !== next.segments || prev.calls !== next.calls) return null;
  if (prev.services.length !== next.services.length) return null;
  const out: Change[] = [];
  for (let i = 0; i < next.services.length; i++) {
    const before = prev.services[i] as Service;
    const after = next.services[i] as Service;
    if (before === after) continue;
    if (before.id !== after.id || out.length === MAX_CHANGED) return null;
    out.push({ before, after });
  }
  return out;
};

/** Every segment id a service is a member of, under any level's key, as often as listed (the index counts so). */
const memberOf = (svc: Service): string[] => Object.values(svc.memberships).flatMap((ids) => ids ?? []);

const crosses = (a: Service | undefined, b: Service | undefined, level: Level): boolean => {
  const x = a?.memberships[level]?.[0];
  const y = b?.memberships[level]?.[0];
  return a !== undefined && b !== undefined && x !== undefined && y !== undefined && x !== y;
};

/** Per level, how the crossing calls change: only calls with a changed end can. */
const crossingDeltas = (ws: Workspace, changes: Change[]): number[] => {
  const changed = new Map(changes.map((c) => [c.after.id, c]));
  const touching = ws.calls.filter((c) => changed.has(c.from) || changed.has(c.to));
  // The other ends, looked up in one pass (a call to an id no service has is not counted, as in a full count).
  const others = new Map<string, Service>();
  for (const c of touching) for (const id of [c.from, c.to]) if (!changed.has(id)) others.set(id, undefined as never);
  for (const svc of ws.services) if (others.has(svc.id)) others.set(svc.id, svc);
  const end = (id: string, when: keyof Change) => changed.get(id)?.[when] ?? others.get(id);
  return LEVELS.map((level) => {
    let d = 0;
    for (const c of touching) {
      if (crosses(end(c.from, 'after'), end(c.to, 'after'), level)) d++;
      if (crosses(end(c.from, 'before'), end(c.to, 'before'), level)) d--;
    }
    return d;
  });
};

/** How many services hold a membership in `segId` (the rare unused-builtin check needs the whole count). */
const membersOf = (ws: Workspace, segId: string): number =>
  ws.services.reduce((n, svc) => n + memberOf(svc).filter((id) => id === segId).length, 0);

/** One level's base after the changes, or the old one when nothing of it changed. */
const deriveLevel = (
  base: BandBase,
  prev: Workspace,
  changes: Change[],
  crossing: number,
  lookup: SegmentLookup,
): BandBase => {
  const { level } = base;
  const atLevel = (svc: Service) => memberOf(svc).filter((id) => lookup.byId.get(id)?.level === level);
  const chipDelta = new Map<string, number>();
  const direct = new Map<string, number>();
  let services = 0;
  for (const { before, after } of changes) {
    const was = atLevel(before);
    const is = atLevel(after);
    services += (is.length > 0 ? 1 : 0) - (was.length > 0 ? 1 : 0);
    for (const [ids, sign] of [
      [was, -1],
      [is, 1],
    ] as const) {
      for (const id of ids) {
        direct.set(id, (direct.get(id) ?? 0) + sign);
        for (const c of sameLevelChain(lookup.byId, id, level)) chipDelta.set(c, (chipDelta.get(c) ?? 0) + sign);
      }
    }
  }
  let segments = 0;
  for (const [id, d] of direct) {
    const seg = lookup.byId.get(id) as Segment;
    if (d === 0 || !unusedBuiltin(seg, [])) continue;
    const before = membersOf(prev, id);
    segments += (before === 0 ? 1 : 0) - (before + d === 0 ? 1 : 0);
  }
  const moved = [...chipDelta].filter(([, d]) => d !== 0);
  if (moved.length === 0 && crossing === 0 && services === 0 && segments === 0) return base;
  const old = new Map(base.chips.map((c) => [c.segmentId, c]));
  const compare = chipOrder(lookup.order);
  const chips = base.chips.filter((c) => !chipDelta.has(c.segmentId) || chipDelta.get(c.segmentId) === 0);
  for (const [id, d] of moved) {
    const was = old.get(id);
    const count = (was?.services ?? 0) + d;
    if (count <= 0) continue;
    const chip: SegmentChip = was
      ? { ...was, services: count }
      : { segmentId: id, name: lookup.byId.get(id)?.name ?? id, services: count, quota: null, hub: false, broken: 0 };
    chips.splice(
      partitionPoint(chips.length, (i) => compare(chips[i] as SegmentChip, chip) >= 0),
      0,
      chip,
    );
  }
  return {
    level,
    segments: base.segments + segments,
    services: base.services + services,
    crossing: base.crossing + crossing,
    chips,
  };
};

/**
 * The strips' counts (without a scope) of `next`, an edit of `prev` whose counts are `bases`; null
 * when the edit changed more than a few services' memberships (count anew). Held to the full count by
 * strips-edit.test.ts.
 */
export const deriveBases = (prev: Workspace, bases: BandBase[], next: Workspace): BandBase[] | null => {
  const changes = changedServices(prev, next);
  if (!changes || bases.length !== LEVELS.length) return null;
  if (changes.length === 0) return bases;
  const lookup = segmentLookup(next.segments);
  const crossing = crossingDeltas(next, changes);
  return bases.map((base, l) => deriveLevel(base, prev, changes, crossing[l] as number, lookup));
};

/** Whether some service of `ws` is a member of `segId` under `level`'s key. */
const held = (ws: Workspace, level: Level, segId: string): boolean =>
  ws.services.some((svc) => svc.memberships[level]?.includes(segId));

/**
 * Per level, the segments with a member (bestFocus's counts) of `next`, an edit of `prev` whose
 * counts are `counts`: only the segments the changed services left or joined are looked at. Null
 * when the edit is not a few services' (count anew).
 */
export const derivePopulated = (prev: Workspace, counts: number[], next: Workspace): number[] | null => {
  const changes = changedServices(prev, next);
  if (!changes || counts.length !== LEVELS.length) return null;
  return LEVELS.map((level, l) => {
    const ids = new Set<string>();
    for (const { before, after } of changes) {
      const was = before.memberships[level] ?? [];
      const is = after.memberships[level] ?? [];
      if (was === is) continue;
      for (const id of [...was, ...is]) ids.add(id);
    }
    let d = 0;
    for (const id of ids) d += (held(next, level, id) ? 1 : 0) - (held(prev, level, id) ? 1 : 0);
    return (counts[l] as number) + d;
  });
};
