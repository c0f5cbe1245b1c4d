// The unit tree of a band: coarser-level contexts ⊃ segments ⊃ sub-segments, and the buckets that
// gather a flat band's segments (by where their services are, by name prefix, by name range) so a
// band of hundreds of segments can be summarised by a dozen units whose names read.
import { LEVELS, type Level, type Segment } from '../model/types';
import type { BandIndex } from './bandIndex';

export type UnitKind = 'band' | 'context' | 'segment' | 'bucket';

export interface Unit {
  /** The node drawn for it: `ctx:<segment>`, `seg:<segment>`, `grp:<…>`; `band` for the root. */
  id: string;
  /** What its fold state is kept under: its segment id, or its own id for a bucket. */
  key: string;
  kind: UnitKind;
  segment?: Segment;
  name: string;
  children: Unit[];
  parent: Unit | null;
  /** The band is 0, its top units 1. */
  depth: number;
  /** Memberships of the focused level held in it (each segment's members, sub-segments included). */
  services: number;
  /** Segments of the focused level in it, itself included. */
  segments: number;
  /** A secondary segment's services drawn elsewhere and attached to it. */
  attached: number;
}

/** The focused band's data: its segments (scope applied) and their visible members. */
export interface BandData {
  idx: BandIndex;
  level: Level;
  segs: Segment[];
  shown: Set<string>;
  members: Map<string, string[]>;
  /** Secondary segment id → services drawn in their home segment and attached to it (attachments.ts). */
  attached?: Map<string, string[]>;
}

/** A bucket for some top units: they are drawn inside it. */
export interface Bucket {
  id: string;
  name: string;
}
/** Top unit id → its bucket. */
export type Grouping = Map<string, Bucket>;

const unit = (id: string, key: string, kind: UnitKind, name: string, segment?: Segment): Unit => ({
  id,
  key,
  kind,
  name,
  children: [],
  parent: null,
  depth: 0,
  services: 0,
  segments: 0,
  attached: 0,
  ...(segment ? { segment } : {}),
});

/** The tree of a band, top units bucketed by `grouping` when given. */
export const unitTree = (d: BandData, grouping?: Grouping | null): Unit => {
  const root = unit('band', 'band', 'band', '');
  const made = new Map<string, Unit>();
  // Where a segment sits: its same-level parent (when shown), else its coarser ancestors as contexts.
  const containerFor = (seg: Segment, guard: number): Unit => {
    const parent = seg.parent === undefined ? undefined : d.idx.byId.get(seg.parent);
    if (!parent || guard > 32 || (parent.level === d.level && !d.shown.has(parent.id))) return root;
    return segmentUnit(parent, parent.level === d.level ? 'segment' : 'context', guard + 1);
  };
  // A segment's unit (`seg:`), or its unit as a context of finer ones (`ctx:`), made once and placed in its container.
  const segmentUnit = (seg: Segment, kind: 'segment' | 'context', guard: number): Unit => {
    const id = `${kind === 'segment' ? 'seg' : 'ctx'}:${seg.id}`;
    let u = made.get(id);
    if (!u) {
      u = unit(id, seg.id, kind, seg.name, seg);
      made.set(id, u);
      containerFor(seg, guard).children.push(u);
    }
    return u;
  };
  for (const seg of d.segs) segmentUnit(seg, 'segment', 0);
  if (grouping && grouping.size > 0) applyGrouping(root, grouping);
  finish(root, null, 0, d);
  return root;
};

/** Gather grouped units into their buckets, wherever they sit (their parent holds the buckets). */
const applyGrouping = (u: Unit, grouping: Grouping): void => {
  if (u.children.some((c) => grouping.has(c.id))) {
    const buckets = new Map<string, Unit>();
    const kept: Unit[] = [];
    for (const c of u.children) {
      const b = grouping.get(c.id);
      if (!b) {
        kept.push(c);
        continue;
      }
      let bucket = buckets.get(b.id);
      if (!bucket) {
        bucket = unit(b.id, b.id, 'bucket', b.name);
        buckets.set(b.id, bucket);
        kept.push(bucket);
      }
      bucket.children.push(c);
    }
    u.children = kept;
    return;
  }
  for (const c of u.children) applyGrouping(c, grouping);
};

const finish = (u: Unit, parent: Unit | null, depth: number, d: BandData): void => {
  u.parent = parent;
  u.depth = depth;
  u.services = u.kind === 'segment' && u.segment ? (d.members.get(u.segment.id)?.length ?? 0) : 0;
  u.segments = u.kind === 'segment' ? 1 : 0;
  u.attached = u.kind === 'segment' && u.segment ? (d.attached?.get(u.segment.id)?.length ?? 0) : 0;
  for (const c of u.children) {
    finish(c, u, depth + 1, d);
    u.services += c.services;
    u.segments += c.segments;
  }
};

/** Every unit of a tree, parents before children. */
export const allUnits = (root: Unit): Unit[] => {
  const out: Unit[] = [];
  const walk = (u: Unit) => {
    out.push(u);
    for (const c of u.children) walk(c);
  };
  walk(root);
  return out;
};

/** Most buckets a grouping may make: more would not read either. */
const MAX_BUCKETS = 40;
const RANGE_COUNTS = [16, 12, 8, 6, 4, 3, 2];
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Ways to bucket a band's top units, preferred first: by the coarser-level segment holding all of a
 * unit's services (its VPC, its account: what the data says), then by name prefix, then by ranges
 * of names in order. Each grouping makes 2 to 40 buckets, fewer than the units.
 */
export const groupings = (d: BandData, parent: Unit): Grouping[] => {
  const top = parent.children;
  if (top.length < 3) return [];
  const out: Grouping[] = [];
  const seen = new Set<string>();
  const add = (g: Grouping) => {
    const ids = new Set([...g.values()].map((b) => b.id));
    if (ids.size < 2 || ids.size > MAX_BUCKETS || ids.size >= top.length) return;
    const sig = top.map((u) => g.get(u.id)?.id ?? '').join('|');
    if (seen.has(sig)) return;
    seen.add(sig);
    out.push(g);
  };
  for (const g of byContainer(d, top)) add(g);
  for (const g of byPrefix(top)) add(g);
  for (const g of byRange(top)) add(g);
  return out;
};

/** The services of a unit (its segments' members). */
const servicesOf = (d: BandData, u: Unit, out: string[] = []): string[] => {
  if (u.segment && u.kind === 'segment') out.push(...(d.members.get(u.segment.id) ?? []));
  for (const c of u.children) servicesOf(d, c, out);
  return out;
};

/** A segment and its ancestors, top first (any level: a subnet, its VPC, its account, the organisation). */
const chainOf = (d: BandData, segId: string, cache: Map<string, Segment[]>): Segment[] => {
  let chain = cache.get(segId);
  if (!chain) {
    chain = [];
    for (let s = d.idx.byId.get(segId); s && chain.length < 32; ) {
      chain.unshift(s);
      s = s.parent === undefined ? undefined : d.idx.byId.get(s.parent);
    }
    cache.set(segId, chain);
  }
  return chain;
};

/** A unit goes in the bucket of the coarser segment holding at least this share of its services. */
const HOME_SHARE = 0.75;

/**
 * Buckets named after the coarser segment (finest level first, deepest ancestor first) holding
 * most of each unit's services: "in vpc-1", or "mostly in vpc-1" when some are elsewhere.
 */
const byContainer = (d: BandData, top: Unit[]): Grouping[] => {
  const out: Grouping[] = [];
  const services = new Map(top.map((u) => [u.id, servicesOf(d, u)]));
  for (const level of LEVELS.slice(0, LEVELS.indexOf(d.level)).reverse()) {
    const cache = new Map<string, Segment[]>();
    // Per unit, per depth: how many of its services each ancestor holds.
    const counts = new Map<string, Map<Segment, number>[]>();
    let deepest = 0;
    for (const u of top) {
      const perDepth: Map<Segment, number>[] = [];
      for (const svc of services.get(u.id) ?? []) {
        const first = d.idx.services.get(svc)?.memberships[level]?.[0];
        if (!first) continue;
        chainOf(d, first, cache).forEach((s, k) => {
          const at = perDepth[k] ?? new Map<Segment, number>();
          perDepth[k] = at;
          at.set(s, (at.get(s) ?? 0) + 1);
        });
      }
      deepest = Math.max(deepest, perDepth.length);
      counts.set(u.id, perDepth);
    }
    for (let k = deepest - 1; k >= 0; k--) {
      const homes = new Map<string, { seg: Segment; whole: boolean }>();
      for (const u of top) {
        const n = services.get(u.id)?.length ?? 0;
        let best: [Segment, number] | null = null;
        for (const e of counts.get(u.id)?.[k] ?? []) if (!best || e[1] > best[1]) best = e;
        if (best && n > 0 && best[1] >= n * HOME_SHARE) homes.set(u.id, { seg: best[0], whole: best[1] === n });
      }
      // Most units must find a home, or the buckets say little.
      if (homes.size < top.length * 0.8) continue;
      const partial = new Set([...homes.values()].filter((h) => !h.whole).map((h) => h.seg.id));
      const g: Grouping = new Map();
      for (const [id, h] of homes)
        g.set(id, { id: `grp:${h.seg.id}`, name: `${partial.has(h.seg.id) ? 'mostly in' : 'in'} ${h.seg.name}` });
      out.push(g);
    }
  }
  return out;
};

const TOKEN = /[-_.:/\s]+/;

/** Buckets of units whose names share their first 1, 2 or 3 words ("team-a-*"). */
const byPrefix = (top: Unit[]): Grouping[] => {
  const out: Grouping[] = [];
  for (let k = 1; k <= 3; k++) {
    const g: Grouping = new Map();
    for (const u of top) {
      const words = u.name.split(TOKEN).filter(Boolean);
      if (words.length <= k) continue;
      const prefix = words.slice(0, k).join('-');
      g.set(u.id, { id: `grp:prefix:${prefix}`, name: `${prefix}-*` });
    }
    if (g.size >= top.length * 0.8) out.push(g);
  }
  return out;
};

/** Buckets of consecutive names ("sg-team-0 … sg-team-24"), from many to two. */
const byRange = (top: Unit[]): Grouping[] => {
  const sorted = [...top].sort((a, b) => collator.compare(a.name, b.name) || a.id.localeCompare(b.id));
  return RANGE_COUNTS.filter((n) => n < top.length).map((n) => {
    const g: Grouping = new Map();
    for (let b = 0; b < n; b++) {
      const part = sorted.slice(Math.floor((b * sorted.length) / n), Math.floor(((b + 1) * sorted.length) / n));
      const first = part[0];
      const last = part[part.length - 1];
      if (!first || !last) continue;
      const bucket = {
        id: `grp:range:${first.id}`,
        name: first === last ? first.name : `${first.name} … ${last.name}`,
      };
      for (const u of part) g.set(u.id, bucket);
    }
    return g;
  });
};
