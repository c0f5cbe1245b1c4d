// The focused band's layout plan: what it holds (scope, attachments), its boxes, and the mode (detail or summary), depth and shape that read on the canvas.
import type { Segment, Workspace } from '../model/types';
import { memberCount, splitAttachments } from './attachments';
import { indexWorkspace, inScope, scopedSegments, unusedBuiltin } from './bandIndex';
import type { ViewOptions } from './elements';
import {
  type LayoutBox,
  layoutBandSteps,
  PAD,
  type Placed,
  SEGMENT_FONT,
  SERVICE_FONT,
  type Size,
  summarySize,
} from './layout';
import { fitZoom, type LayoutMemo, MIN_LABEL_PX, planSummarySteps } from './lod';
import { textWidth } from './text';
import { BADGE_ROOM, titleRoom } from './titles';
import { allUnits, type BandData, type Unit, unitTree } from './units';

/** Above this many memberships the band is drawn as summaries whatever the canvas, to bound the drawn elements. */
export const DETAIL_LIMIT = 600;

export const bandData = (ws: Workspace, opts: ViewOptions): BandData => {
  const idx = indexWorkspace(ws);
  const visible = inScope(idx, opts.scope);
  const keep = opts.scope ? scopedSegments(idx, visible) : null;
  const segs = (idx.levelSegments.get(opts.focus) ?? []).filter(
    (s) => (!keep || keep.has(s.id)) && !unusedBuiltin(s, idx.members.get(s.id)),
  );
  const all = new Map<string, string[]>();
  for (const s of segs) all.set(s.id, (idx.members.get(s.id) ?? []).filter(visible));
  const { members, attached } = splitAttachments(idx, opts.focus, all);
  return { idx, level: opts.focus, segs, shown: new Set(segs.map((s) => s.id)), members, attached };
};

/** Layout boxes of a unit tree; leaves get `cell(segment, members)`. */
const boxesOf =
  (d: BandData, cell: (seg: Segment, n: number, attached: number) => LayoutBox) =>
  (root: Unit, gaps: Map<string, number> = new Map(), mins: Map<string, Size> = new Map()): LayoutBox => {
    const box = (u: Unit): LayoutBox => {
      const n = u.segment && u.kind === 'segment' ? (d.members.get(u.segment.id)?.length ?? 0) : 0;
      const min = mins.get(u.id);
      if (u.kind === 'segment' && u.children.length === 0 && u.segment) {
        const leaf = { ...cell(u.segment, n, u.attached), id: u.id };
        // A small summary cell grows to its least size (a grid cell is drawn open and keeps its own).
        return min && leaf.size
          ? { ...leaf, size: { w: Math.max(leaf.size.w, min.w), h: Math.max(leaf.size.h, min.h) } }
          : leaf;
      }
      const children = u.children.map(box);
      // A segment with sub-segments draws its direct members in a cell of their own, first.
      if (u.kind === 'segment' && u.segment && n > 0)
        children.unshift({ ...cell(u.segment, n, u.attached), id: `own:${u.key}` });
      const gap = gaps.get(u.id);
      return {
        id: u.id,
        children,
        title: titleRoom(u),
        bare: u.kind === 'band',
        ...(gap ? { gap } : {}),
        ...(min ? { minW: min.w, minH: min.h } : {}),
      };
    };
    return box(root);
  };

const detailCell = (seg: Segment, n: number, attached: number): LayoutBox => {
  const minW = textWidth(`${seg.name} · ${memberCount(n, attached)}${BADGE_ROOM}`, SEGMENT_FONT, true) + 2 * PAD;
  if (n > 0) return { id: '', grid: n, minW };
  // A secondary network whose services are all drawn elsewhere: wide enough for its count of attached ones.
  const size = summarySize(0);
  return { id: '', size: attached > 0 ? { w: Math.max(size.w, minW), h: size.h } : size };
};

export interface Planned {
  tree: Unit;
  placed: Map<string, Placed>;
  size: Size;
  memo: LayoutMemo;
}

/**
 * Lay out the band: the memo's decisions when given, else the mode, depth and shape that read on the
 * viewport. A step per packing of the band tried (layoutBandSteps), so the view can run it in tasks.
 */
export function* planBandSteps(d: BandData, opts: ViewOptions): Generator<void, Planned> {
  const viewport = opts.viewport ?? { w: 1200, h: 800 };
  const memo = opts.memo?.level === d.level ? opts.memo : null;
  const memberships = [...d.members.values()].reduce((a, m) => a + m.length, 0);
  let mode = opts.mode ?? memo?.mode ?? (memberships > DETAIL_LIMIT ? 'summary' : undefined);
  if (!mode || mode === 'detail') {
    const tree = unitTree(d);
    const kept = memo?.mode === 'detail' ? memo.shape : undefined;
    const detail = yield* layoutBandSteps(boxesOf(d, detailCell)(tree), viewport, kept);
    const zoom = memo?.zoom ?? fitZoom(detail.size, viewport);
    if (mode === 'detail' || SERVICE_FONT * zoom >= MIN_LABEL_PX) {
      const m: LayoutMemo = {
        level: d.level,
        mode: 'detail',
        shape: detail.shape,
        cells: new Map(),
        base: 0,
        grouping: null,
        zoom,
        gaps: new Map(),
        mins: new Map(),
      };
      return { tree, placed: detail.placed, size: detail.size, memo: m };
    }
    mode = 'summary';
  }
  const cells = new Map(memo?.mode === 'summary' ? memo.cells : []);
  const summaryCell = (seg: Segment, n: number): LayoutBox => {
    let size = cells.get(seg.id);
    if (!size) {
      size = summarySize(n);
      cells.set(seg.id, size);
    }
    return { id: '', size };
  };
  const kept = memo?.mode === 'summary' ? memo : null;
  const labelPx = kept?.labelPx ?? opts.labelPx ?? MIN_LABEL_PX;
  const plan = yield* planSummarySteps(d, viewport, boxesOf(d, summaryCell), kept, labelPx);
  const zoom = kept ? kept.zoom : fitZoom(plan.size, viewport);
  return {
    tree: plan.tree,
    placed: plan.placed,
    size: plan.size,
    memo: {
      level: d.level,
      mode: 'summary',
      shape: plan.shape,
      cells,
      base: plan.base,
      grouping: plan.grouping,
      zoom,
      gaps: plan.gaps,
      mins: plan.mins,
      labelPx,
    },
  };
}

/** The keys drawn open: those opened and every unit holding one. */
export const openKeys = (tree: Unit, expanded: ReadonlySet<string>): Set<string> => {
  const open = new Set<string>();
  if (expanded.size === 0) return open;
  for (const u of allUnits(tree)) {
    if (!expanded.has(u.key)) continue;
    for (let x: Unit | null = u; x && !open.has(x.key); x = x.parent) open.add(x.key);
  }
  return open;
};
