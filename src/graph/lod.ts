// Level of detail of the focused band: which units are drawn folded (a cell with a readable name
// and counts) at fit, chosen so every name drawn reads at ≥ 11 px (DESIGN.md "Readable at every size").
//
// The band is laid out once with every unit at its unfolded size (a leaf segment's cell has room
// for its services), so folding and unfolding draws differently inside the same boxes and nothing
// moves. The plan picks the deepest "base" depth whose units all read at the fit zoom; when even
// the top units do not (hundreds of flat segments), they are gathered into buckets (units.ts) that do.
import type { Level } from '../model/types';
import {
  type BandShape,
  FIT_PADDING,
  type LayoutBox,
  layoutBandSteps,
  MAX_FIT_ZOOM,
  PAD,
  type Placed,
  type Size,
} from './layout';

export { FIT_PADDING, MAX_FIT_ZOOM };

import { countText, labelWidth } from './text';
import { allUnits, type BandData, type Grouping, groupings, type Unit, unitTree } from './units';

/** Labels are drawn only from this size on screen (px); smaller ones are hidden (DESIGN.md). */
export const MIN_LABEL_PX = 11;
/** A folded unit's label is never drawn larger than this on screen at fit. */
const MAX_FOLDED_PX = 20;
/** Lines a folded label reserves: name, services, segments, badges. */
const FOLDED_LINES = 4;
/** A folded label's line height (the style sets it: cytoscape's default is 1), and its margin in lines. */
export const FOLDED_LINE_HEIGHT = 1.1;
const FOLDED_MARGIN = 0.4;

export type BandMode = 'detail' | 'summary';

export interface LayoutMemo {
  level: Level;
  mode: BandMode;
  shape: BandShape;
  /** Summary cell sizes as first laid out: a segment keeps its cell when members move. */
  cells: Map<string, Size>;
  /** Units at this depth (and leaves above it) are drawn folded unless opened. */
  base: number;
  /** How top units were bucketed, if they were. */
  grouping: Grouping | null;
  /** The fit zoom the band was planned for: folded labels are sized to read at it. */
  zoom: number;
  /** Spacing kept inside containers whose units are folded (by container id). */
  gaps: Map<string, number>;
  /** Least sizes of small folded units, so their names read too (by unit id). */
  mins: Map<string, Size>;
  /** The least label size on screen the plan reads names at: MIN_LABEL_PX, or presentation mode's. */
  labelPx?: number;
}

export const fitZoom = (band: Size, viewport: Size): number =>
  Math.min(
    MAX_FIT_ZOOM,
    (viewport.w - 2 * FIT_PADDING) / Math.max(1, band.w),
    (viewport.h - 2 * FIT_PADDING) / Math.max(1, band.h),
  );

export const plural = (n: number, one: string, many = `${one}s`) => `${countText(n)} ${n === 1 ? one : many}`;

/** The counts lines of a folded unit: "7 services", or "818 services" and "16 segments". */
export const countsLines = (u: Unit): string[] => {
  const inner = u.segments - (u.kind === 'segment' ? 1 : 0);
  const services = plural(u.services, 'service');
  const attached = u.attached > 0 ? [`${countText(u.attached)} attached`] : [];
  if (inner > 0 && u.children.length > 0) return [services, plural(inner, 'segment')];
  // A secondary network whose services all live elsewhere says only how many attach to it.
  return u.services === 0 && attached.length > 0 ? attached : [services, ...attached];
};

/**
 * The label size (model units) that fits `lines` (bold) in a box, at most MAX_FOLDED_PX on screen at
 * `zoom` (a quarter more than `px` where names must read from more: presentation mode).
 */
export const foldedFont = (box: Size, lines: readonly string[], zoom: number, px = MIN_LABEL_PX): number => {
  const byWidth = (box.w - 2 * PAD) / Math.max(1, labelWidth(lines.join('\n'), 1, true));
  const byHeight = box.h / (FOLDED_LINES * FOLDED_LINE_HEIGHT + FOLDED_MARGIN);
  const cap = Math.max(MAX_FOLDED_PX, 1.25 * px) / Math.max(0.001, zoom);
  return Math.max(1, Math.floor(Math.min(byWidth, byHeight, cap)));
};

/**
 * The label size of a folded unit (model units): its name and counts fit the box's width, and its
 * height keeps a line for the badges. The analysis comes after the plan, so the badge line takes
 * the longest of its forms that fits this size (badges.ts) and never makes the name smaller.
 */
export const unitFont = (u: Unit, box: Size, zoom: number, px = MIN_LABEL_PX): number =>
  foldedFont(box, [u.name, ...countsLines(u)], zoom, px);

/** Whether a folded unit's name and counts read at `zoom` in its box. */
const reads = (u: Unit, box: Placed | undefined, zoom: number, px: number): boolean =>
  !!box && unitFont(u, box, zoom, px) * zoom >= px;

/** The units drawn folded at a base depth: those at it, and leaf segments above it. */
const foldedAt = (units: Unit[], base: number): Unit[] =>
  units.filter((u) => u.depth === base || (u.depth > 0 && u.depth < base && u.children.length === 0));

/**
 * How well a base reads: the share of non-empty folded units whose label reads, and whether every
 * big one (≥ 2 % of the band's services) reads. A base of one unit says nothing: it scores 0.
 */
const score = (root: Unit, units: Unit[], placed: Map<string, Placed>, zoom: number, base: number, px: number) => {
  const folded = foldedAt(units, base).filter((u) => u.services > 0);
  if (folded.length < 2) return { share: 0, big: false };
  let ok = 0;
  let big = true;
  for (const u of folded) {
    const r = reads(u, placed.get(u.id), zoom, px);
    if (r) ok++;
    else if (u.services >= root.services * 0.02) big = false;
  }
  return { share: ok / folded.length, big };
};
const good = (s: { share: number; big: boolean }) => s.big && s.share >= 0.8;

export interface Plan {
  tree: Unit;
  placed: Map<string, Placed>;
  size: Size;
  base: number;
  grouping: Grouping | null;
  shape: BandShape;
  /** Wider spacing between the folded units of a container, by container id. */
  gaps: Map<string, number>;
  /** Least sizes of small folded units, by unit id. */
  mins: Map<string, Size>;
}

/** Layout boxes of a unit tree, with the given spacing inside the given containers and least sizes of some units. */
export type BoxesOf = (root: Unit, gaps: Map<string, number>, mins: Map<string, Size>) => LayoutBox;

/** Passes growing small units: each grows the band a little, so the fit zoom drops and they are measured again. */
const GROW_PASSES = 3;

/**
 * The least size of each folded unit whose name does not read at `zoom` (a small VPC beside big
 * ones): room for its name and counts at 11 px and a badge line. Empty units are left as they are.
 */
const smallUnits = (p: Plan, zoom: number, into: Map<string, Size>, least: number): Map<string, Size> => {
  const out = new Map(into);
  const px = (least + 0.5) / Math.max(0.0001, zoom);
  for (const u of foldedAt(allUnits(p.tree), p.base)) {
    const box = p.placed.get(u.id);
    if (!box || u.services === 0 || reads(u, box, zoom, least)) continue;
    const w = labelWidth([u.name, ...countsLines(u)].join('\n'), px, true) + 2 * PAD;
    const h = (FOLDED_LINES * FOLDED_LINE_HEIGHT + FOLDED_MARGIN) * px;
    const had = out.get(u.id);
    out.set(u.id, { w: Math.max(w, box.w, had?.w ?? 0), h: Math.max(h, box.h, had?.h ?? 0) });
  }
  return out;
};

/** Folded units are spaced by one of these shares of their size (widest that still reads), so the edges between them show. */
const SPREADS = [0.3, 0.2, 0.12];

/**
 * Plan a band drawn as summaries: the deepest base that reads; else buckets for the crowded
 * level (the first with more than one unit) that read; else what reads best. Then the folded
 * units are spread apart when they still read so.
 */
export function* planSummarySteps(
  d: BandData,
  viewport: Size,
  boxes: BoxesOf,
  memo: LayoutMemo | null,
  px = MIN_LABEL_PX,
): Generator<void, Plan> {
  const noMins = new Map<string, Size>();
  const lay = (tree: Unit, gaps: Map<string, number>, shape?: BandShape, mins = noMins) =>
    layoutBandSteps(boxes(tree, gaps, mins), viewport, shape);
  if (memo) {
    const tree = unitTree(d, memo.grouping);
    const { base, grouping, gaps, mins } = memo;
    return { tree, ...(yield* lay(tree, gaps, memo.shape, mins)), base, grouping, gaps, mins };
  }
  const none = new Map<string, number>();
  const tree = unitTree(d);
  const l = yield* lay(tree, none);
  const units = allUnits(tree);
  const zoom = fitZoom(l.size, viewport);
  const depth = Math.max(...units.map((u) => u.depth));
  type Scored = Plan & { s: { share: number; big: boolean } };
  let best: Scored | null = null;
  const spread = function* (p: Plan): Generator<void, Plan> {
    for (const share of SPREADS) {
      const gaps = new Map<string, number>();
      for (const u of allUnits(p.tree)) {
        if (u.depth !== p.base - 1 || u.children.length < 2) continue;
        const sides = u.children.map((c) => p.placed.get(c.id)).map((b) => (b ? Math.min(b.w, b.h) : 0));
        sides.sort((a, b) => a - b);
        gaps.set(u.id, share * (sides[Math.floor(sides.length / 2)] ?? 0));
      }
      // The units keep their shape (their names were measured in it); only the rows between them change.
      const wide = yield* lay(p.tree, gaps, { inner: p.shape.inner, font: p.shape.font });
      const s = score(p.tree, allUnits(p.tree), wide.placed, fitZoom(wide.size, viewport), p.base, px);
      if (good(s)) return yield* grow({ ...p, ...wide, gaps });
    }
    return yield* grow(p);
  };
  // Small units get room for their names, while the band still reads as well or better.
  const grow = function* (p: Plan): Generator<void, Plan> {
    let best = p;
    let bestScore = score(p.tree, allUnits(p.tree), p.placed, fitZoom(p.size, viewport), p.base, px);
    let mins = p.mins;
    for (let pass = 0; pass < GROW_PASSES; pass++) {
      const next = smallUnits(best, fitZoom(best.size, viewport), mins, px);
      if (next.size === mins.size && [...next].every(([k, v]) => mins.get(k)?.w === v.w && mins.get(k)?.h === v.h))
        break;
      mins = next;
      const grown = yield* lay(p.tree, p.gaps, { inner: p.shape.inner, font: p.shape.font }, mins);
      const s = score(p.tree, allUnits(p.tree), grown.placed, fitZoom(grown.size, viewport), p.base, px);
      if (!good(s) || s.share < bestScore.share) break;
      best = { ...p, ...grown, mins };
      bestScore = s;
    }
    return best;
  };
  for (let base = depth; base >= 1; base--) {
    const s = score(tree, units, l.placed, zoom, base, px);
    if (good(s)) return yield* spread({ tree, ...l, base, grouping: null, gaps: none, mins: noMins });
    if (!best || s.share > best.s.share) best = { tree, ...l, base, grouping: null, gaps: none, mins: noMins, s };
  }
  // The crowded level: below a chain of single units (an organisation holding everything).
  let crowded = tree;
  while (crowded.children.length === 1 && (crowded.children[0]?.children.length ?? 0) > 0)
    crowded = crowded.children[0] as Unit;
  for (const g of groupings(d, crowded)) {
    const t = unitTree(d, g);
    const lg = yield* lay(t, none);
    const base = crowded.depth + 1;
    const s = score(t, allUnits(t), lg.placed, fitZoom(lg.size, viewport), base, px);
    if (good(s)) return yield* spread({ tree: t, ...lg, base, grouping: g, gaps: none, mins: noMins });
    if (!best || s.share > best.s.share) best = { tree: t, ...lg, base, grouping: g, gaps: none, mins: noMins, s };
  }
  const { s: _, ...plan } = best as Scored;
  return plan;
}
