// Model (+ analysis) → cytoscape element definitions of the focused band (pure: no cytoscape, no DOM).
//
// Only the focused band is drawn in cytoscape; the other five are HTML strips (see strips.ts). The
// band is drawn in one of two modes, chosen once per band and kept (LayoutMemo):
// - detail: every segment shows its services at full size, when that fits the canvas readably;
// - summary: the band's units (contexts, segments, buckets: units.ts) are laid out at their
//   unfolded size and drawn folded from the depth whose names read at fit (lod.ts): a folded unit
//   is one cell with its name, counts and badges; opening it draws what it holds inside the same
//   box (sub-units folded, or a segment's services, smaller), so nothing else moves.
import type { AnalysisSummary } from '../analysis/types';
import type { Level, Workspace } from '../model/types';
import { attachmentEdges } from './attachments';
import { unitStats } from './badges';
import type { Scope } from './bandIndex';
import { bandData, openKeys, planBandSteps } from './bandPlan';
import { BandDrawing } from './drawing';
import { buildCallEdges } from './edges';
import { gridSize, type Size } from './layout';
import { FIT_PADDING, type LayoutMemo, MIN_LABEL_PX } from './lod';
import { nameSmallUnits } from './outsideLabels';
import { drain } from './tasks';
import { allUnits, type Unit, unitTree } from './units';

export type { Scope } from './bandIndex';
export { quotaBySegment } from './bandIndex';
export { DETAIL_LIMIT } from './bandPlan';
export { serviceNodeId } from './drawing';
export type { BandMode, LayoutMemo } from './lod';
export { segmentTitle } from './titles';
export { FIT_PADDING, MIN_LABEL_PX };

export interface ElementDef {
  group: 'nodes' | 'edges';
  data: Record<string, unknown> & { id: string };
  position?: { x: number; y: number };
  classes?: string;
}

export const segmentNodeId = (segmentId: string): string => `seg:${segmentId}`;
/** A coarser-level ancestor drawn as a container inside the focused band. */
export const contextNodeId = (segmentId: string): string => `ctx:${segmentId}`;

export interface ViewOptions {
  focus: Level;
  analysis?: AnalysisSummary | null;
  /** Units the user opened (segment ids, context segment ids, bucket ids): they and their ancestors are drawn open. */
  expanded?: ReadonlySet<string>;
  /** Draw reachable-but-never-called pairs in the focused band. */
  showExcess?: boolean;
  /** Show only services of one account (segment id) or one namespace. */
  scope?: Scope | null;
  /** The canvas size in pixels: the band is packed to its shape. */
  viewport?: Size;
  /** The layout decisions of a previous draw of the same band, kept so edits move nothing. */
  memo?: LayoutMemo | null;
  /** The least label size on screen a summary's names are planned to read at (presentation mode: 24 px). */
  labelPx?: number;
  /** Force a mode (tests, bench); otherwise chosen from what fits. */
  mode?: LayoutMemo['mode'];
}

export interface BuiltBand {
  elements: ElementDef[];
  memo: LayoutMemo;
  /** Size of the band in model units. */
  size: Size;
  /** The band's units, for fold changes (which keys lie inside a unit). */
  tree: Unit;
  /** Keys of the units drawn folded. */
  folded: Set<string>;
}

/**
 * Build the nodes and edges of the focused band, one step per `yield` (layout, unit figures, nodes,
 * call edges): `buildBand` runs them at once, the view can run them in tasks of their own.
 */
export function* bandSteps(ws: Workspace, opts: ViewOptions): Generator<void, BuiltBand> {
  const d = bandData(ws, opts);
  if (d.segs.length === 0) {
    const shape = { inner: 1, rootW: 0, font: 14 };
    const memo: LayoutMemo = {
      level: d.level,
      mode: 'detail',
      shape,
      cells: new Map(),
      base: 0,
      grouping: null,
      zoom: 1,
      gaps: new Map(),
      mins: new Map(),
    };
    return { elements: [], memo, size: { w: 0, h: 0 }, tree: unitTree(d), folded: new Set() };
  }
  yield;
  const { tree, placed, memo, size } = yield* planBandSteps(d, opts);
  yield;
  const stats = unitStats(ws, d, tree, opts.analysis);
  yield;
  const open = openKeys(tree, opts.expanded ?? new Set());
  const draw = new BandDrawing(d, placed, stats, memo, opts.analysis);
  const isFolded = (u: Unit) =>
    memo.mode === 'summary' && !open.has(u.key) && (u.depth >= memo.base || u.children.length === 0);
  const folded = new Set<string>();
  const walk = (u: Unit) => {
    const p = placed.get(u.id);
    if (u.kind !== 'band' && !p) return;
    if (u.kind !== 'band' && p) {
      if (isFolded(u)) {
        folded.add(u.key);
        draw.folded(u, p);
        return;
      }
      draw.open(u, p, memo.mode === 'summary' && u.depth >= memo.base);
    }
    for (const c of u.children) walk(c);
  };
  walk(tree);
  if (memo.mode === 'summary') {
    const view = opts.viewport && { w: opts.viewport.w - 2 * FIT_PADDING, h: opts.viewport.h - 2 * FIT_PADDING };
    nameSmallUnits(draw.nodes, draw.boxes, draw.obstacles, memo.zoom, view);
  }
  yield;
  const edges = buildCallEdges(ws, opts, draw.anchors, {
    zoom: memo.zoom,
    boxes: draw.boxes,
    obstacles: draw.obstacles,
    drawn: draw.drawnAt,
  });
  // A secondary network's attached services: one edge each, to the node (or folded cell) drawing it.
  const unitOf = new Map(allUnits(tree).flatMap((u) => (u.kind === 'segment' && u.segment ? [[u.segment.id, u]] : [])));
  const nodeOf = (segmentId: string): string | undefined => {
    for (let u = unitOf.get(segmentId) ?? null; u && u.kind !== 'band'; u = u.parent)
      if (draw.boxes.has(u.id)) return u.id;
    return undefined;
  };
  const attachments = attachmentEdges(d.attached, draw.anchors, nodeOf, d.level);
  return { elements: [...draw.nodes, ...edges, ...attachments], memo, size, tree, folded };
}

/** Build the nodes and edges of the focused band, all steps at once. */
export const buildBand = (ws: Workspace, opts: ViewOptions): BuiltBand => drain(bandSteps(ws, opts));

/**
 * The opened units after opening or folding one: folding drops what it holds too (a unit is drawn
 * open while anything inside it is opened).
 */
export const foldChange = (tree: Unit, expanded: ReadonlySet<string>, key: string, open: boolean): Set<string> => {
  const next = new Set(expanded);
  if (open) return next.add(key);
  next.delete(key);
  const u = allUnits(tree).find((x) => x.key === key);
  if (u) for (const x of allUnits(u)) next.delete(x.key);
  return next;
};

export interface Bounds {
  x1: number;
  y1: number;
  w: number;
  h: number;
}

/** The extent of the nodes laid out (every node carries its box size in w and h), without asking cytoscape. */
export const boundsOf = (defs: readonly ElementDef[]): Bounds | undefined => {
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  for (const d of defs) {
    const w = d.data.w;
    const h = d.data.h;
    if (d.group !== 'nodes' || !d.position || typeof w !== 'number' || typeof h !== 'number') continue;
    x1 = Math.min(x1, d.position.x - w / 2);
    y1 = Math.min(y1, d.position.y - h / 2);
    x2 = Math.max(x2, d.position.x + w / 2);
    y2 = Math.max(y2, d.position.y + h / 2);
  }
  return x1 <= x2 ? { x1, y1, w: x2 - x1, h: y2 - y1 } : undefined;
};

/** The grid size a segment of n services takes at full size (tests and the bench size things with it). */
export { gridSize };
