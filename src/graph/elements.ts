// Model (+ analysis) → cytoscape element definitions of the focused band (pure: no cytoscape, no DOM).
//
// Only the focused band is drawn in cytoscape; the other five are HTML strips (see strips.ts). The
// band is drawn in one of two modes, chosen once per band and kept (LayoutMemo):
// - detail: every segment shows its services at full size, when that fits the canvas readably;
// - summary: each segment is a cell showing its name, member count and badges; an expanded cell
//   draws its services inside the same cell, smaller (readable when revealed), so nothing moves.
import type { AnalysisSummary } from '../analysis/types';
import type { Level, Segment, Workspace } from '../model/types';
import {
  type BandIndex,
  indexWorkspace,
  inScope,
  quotaBadge,
  quotaBySegment,
  type Scope,
  scopedSegments,
  worstFindingBySegment,
  worstQuota,
} from './bandIndex';
import { type Anchors, buildCallEdges } from './edges';
import {
  type BandShape,
  containerHeader,
  gridSize,
  type LayoutBox,
  layoutBand,
  PAD,
  type Placed,
  placeInBox,
  SEGMENT_FONT,
  SEGMENT_HEADER,
  SERVICE_FONT,
  SERVICE_H,
  SERVICE_W,
  type Size,
  summarySize,
} from './layout';

export type { Scope } from './bandIndex';
export { quotaBySegment } from './bandIndex';

export interface ElementDef {
  group: 'nodes' | 'edges';
  data: Record<string, unknown> & { id: string };
  position?: { x: number; y: number };
  classes?: string;
}

export const segmentNodeId = (segmentId: string): string => `seg:${segmentId}`;
/** A coarser-level ancestor drawn as a container inside the focused band. */
export const contextNodeId = (segmentId: string): string => `ctx:${segmentId}`;
export const serviceNodeId = (level: Level, serviceId: string, segmentId: string): string =>
  `svc:${level}:${serviceId}:${segmentId}`;

/** Labels are drawn only from this size on screen (px); smaller ones are hidden (DESIGN.md). */
export const MIN_LABEL_PX = 11;
/** Above this many memberships the band is drawn as summaries whatever the canvas, to bound the drawn elements. */
export const DETAIL_LIMIT = 600;
/** Margin of a fit, in screen pixels. */
export const FIT_PADDING = 16;

export interface ViewOptions {
  focus: Level;
  analysis?: AnalysisSummary | null;
  /** Segments the user expanded (summary mode). */
  expanded?: ReadonlySet<string>;
  /** Draw reachable-but-never-called pairs in the focused band. */
  showExcess?: boolean;
  /** Show only services of one account (segment id) or one namespace. */
  scope?: Scope | null;
  /** The canvas size in pixels: the band is packed to its shape. */
  viewport?: Size;
  /** The layout decisions of a previous draw of the same band, kept so edits move nothing. */
  memo?: LayoutMemo | null;
  /** Force a mode (tests, bench); otherwise chosen from what fits. */
  mode?: BandMode;
}

export type BandMode = 'detail' | 'summary';

export interface LayoutMemo {
  level: Level;
  mode: BandMode;
  shape: BandShape;
  /** Summary cell sizes as first laid out: a segment keeps its cell when members move. */
  cells: Map<string, Size>;
}

export interface BuiltBand {
  elements: ElementDef[];
  memo: LayoutMemo;
  /** Size of the band in model units. */
  size: Size;
}

interface BandData {
  idx: BandIndex;
  level: Level;
  segs: Segment[];
  shown: Set<string>;
  members: Map<string, string[]>;
}

const bandData = (ws: Workspace, opts: ViewOptions): BandData => {
  const idx = indexWorkspace(ws);
  const visible = inScope(idx, opts.scope);
  const keep = opts.scope ? scopedSegments(idx, visible) : null;
  const segs = (idx.levelSegments.get(opts.focus) ?? []).filter((s) => !keep || keep.has(s.id));
  const members = new Map<string, string[]>();
  for (const s of segs) members.set(s.id, (idx.members.get(s.id) ?? []).filter(visible));
  return { idx, level: opts.focus, segs, shown: new Set(segs.map((s) => s.id)), members };
};

/** The box tree of a band: contexts (coarser ancestors) ⊃ segments ⊃ cells. */
const boxTree = (d: BandData, cellOf: (seg: Segment, n: number) => LayoutBox): LayoutBox => {
  const root: LayoutBox = { id: 'band', bare: true, children: [] };
  const boxes = new Map<string, LayoutBox>();
  const containerFor = (seg: Segment): LayoutBox => {
    const parent = seg.parent === undefined ? undefined : d.idx.byId.get(seg.parent);
    if (!parent || (parent.level === d.level && !d.shown.has(parent.id))) return root;
    const id = parent.level === d.level ? segmentNodeId(parent.id) : contextNodeId(parent.id);
    let box = boxes.get(id);
    if (!box) {
      box = { id, children: [] };
      boxes.set(id, box);
      if (parent.level !== d.level) containerFor(parent).children?.push(box);
    }
    return box;
  };
  for (const seg of d.segs) {
    const n = d.members.get(seg.id)?.length ?? 0;
    const id = segmentNodeId(seg.id);
    if (d.idx.children.has(seg.id)) {
      let box = boxes.get(id);
      if (!box) {
        box = { id, children: [] };
        boxes.set(id, box);
      }
      // Direct members of a segment with sub-segments get a cell of their own, first.
      if (n > 0) box.children?.unshift({ ...cellOf(seg, n), id: `own:${seg.id}` });
      containerFor(seg).children?.push(box);
    } else containerFor(seg).children?.push({ ...cellOf(seg, n), id });
  }
  return root;
};

const fitZoom = (band: Size, viewport: Size): number =>
  Math.min((viewport.w - 2 * FIT_PADDING) / Math.max(1, band.w), (viewport.h - 2 * FIT_PADDING) / Math.max(1, band.h));

/** A bold 14 px title's width, roughly: the segment's name, its count and a badge. */
const titleWidth = (seg: Segment): number => (seg.name.length + 12) * 8.4 + 2 * PAD;

const detailCell = (seg: Segment, n: number): LayoutBox =>
  n > 0 ? { id: '', grid: n, minW: titleWidth(seg) } : { id: '', size: summarySize(0) };

/** Lay out the band: the memo's decisions when given, else the mode and shape that fit the viewport. */
const placeBand = (d: BandData, opts: ViewOptions): { placed: Map<string, Placed>; memo: LayoutMemo; size: Size } => {
  const viewport = opts.viewport ?? { w: 1200, h: 800 };
  const memo = opts.memo?.level === d.level ? opts.memo : null;
  const memberships = [...d.members.values()].reduce((a, m) => a + m.length, 0);
  let mode = opts.mode ?? memo?.mode ?? (memberships > DETAIL_LIMIT ? 'summary' : undefined);
  if (!mode || mode === 'detail') {
    const detail = layoutBand(boxTree(d, detailCell), viewport, memo?.mode === 'detail' ? memo.shape : undefined);
    const readable = SERVICE_FONT * fitZoom(detail.size, viewport) >= MIN_LABEL_PX;
    if (mode === 'detail' || readable)
      return {
        placed: detail.placed,
        size: detail.size,
        memo: { level: d.level, mode: 'detail', shape: detail.shape, cells: new Map() },
      };
    mode = 'summary';
  }
  const cells = new Map(memo?.mode === 'summary' ? memo.cells : []);
  const summary = layoutBand(
    boxTree(d, (seg, n) => {
      let size = cells.get(seg.id);
      if (!size) {
        size = summarySize(n);
        cells.set(seg.id, size);
      }
      return { id: '', size };
    }),
    viewport,
    memo?.mode === 'summary' ? memo.shape : undefined,
  );
  return {
    placed: summary.placed,
    size: summary.size,
    memo: { level: d.level, mode: 'summary', shape: summary.shape, cells },
  };
};

/** Build the nodes and edges of the focused band. */
export const buildBand = (ws: Workspace, opts: ViewOptions): BuiltBand => {
  const d = bandData(ws, opts);
  if (d.segs.length === 0) {
    return {
      elements: [],
      memo: { level: d.level, mode: 'detail', shape: { inner: 1, rootW: 0, font: 14 }, cells: new Map() },
      size: { w: 0, h: 0 },
    };
  }
  const { placed, memo, size } = placeBand(d, opts);
  const nodes: ElementDef[] = [];
  const anchors: Anchors = new Map();
  const hubs = new Map((opts.analysis?.hubs ?? []).map((h) => [h.service, h]));
  const quotas = quotaBySegment(opts.analysis);
  const worstFinding = worstFindingBySegment(opts.analysis, d.idx, d.level);
  const expanded = opts.expanded ?? new Set<string>();
  const summary = memo.mode === 'summary';
  // Services of a segment with sub-segments, counted through them.
  const total = (seg: Segment): number =>
    (d.members.get(seg.id)?.length ?? 0) + (d.idx.children.get(seg.id) ?? []).reduce((a, c) => a + total(c), 0);
  const box = (p: Placed) => ({ position: { x: p.x, y: p.y }, w: p.w, h: p.h });

  // Contexts: coarser ancestors, drawn first so they sit under everything.
  for (const [id, p] of placed) {
    if (!id.startsWith('ctx:')) continue;
    const seg = d.idx.byId.get(id.slice(4));
    if (!seg) continue;
    const b = box(p);
    nodes.push({
      group: 'nodes',
      data: {
        id,
        kind: 'context',
        segmentId: seg.id,
        level: d.level,
        ofLevel: seg.level,
        label: seg.name,
        w: b.w,
        h: b.h,
        fs: p.font,
        ly: containerHeader(p.font) - 6,
      },
      position: b.position,
      classes: `context level-${seg.level}`,
    });
  }
  for (const seg of d.segs) {
    const id = segmentNodeId(seg.id);
    const p = placed.get(id);
    if (!p) continue;
    const members = d.members.get(seg.id) ?? [];
    const isContainer = d.idx.children.has(seg.id);
    const ownCell = isContainer ? placed.get(`own:${seg.id}`) : p;
    const open = !summary || expanded.has(seg.id);
    const top = worstQuota(quotas.get(seg.id));
    const hasHub = members.some((m) => hubs.has(m));
    const classes = ['segment', `level-${d.level}`];
    if (summary) classes.push(open ? 'expanded-summary' : 'summary');
    if (isContainer) classes.push('container');
    if (top?.state === 'warn') classes.push('quota-warn');
    if (top?.state === 'error') classes.push('quota-error');
    const sev = worstFinding.get(seg.id);
    if (sev) classes.push(`worst-${sev}`);
    if (hasHub) classes.push('holds-hub');
    const badges = [hasHub ? '★' : '', quotaBadge(top)].filter(Boolean).join(' ');
    const headerFont = isContainer || summary ? p.font : SEGMENT_FONT;
    const label =
      !isContainer && !open
        ? `${seg.name}\n${members.length} service${members.length === 1 ? '' : 's'}${badges ? ` · ${badges}` : ''}`
        : `${seg.name} · ${isContainer ? total(seg) : members.length}${badges ? ` ${badges}` : ''}`;
    const header = isContainer ? containerHeader(p.font) : summary ? Math.round(p.font * 1.6) : SEGMENT_HEADER;
    const b = box(p);
    nodes.push({
      group: 'nodes',
      data: {
        id,
        kind: 'segment',
        segmentId: seg.id,
        level: d.level,
        members: members.length,
        label,
        w: b.w,
        h: b.h,
        fs: headerFont,
        ly: header - 5,
      },
      position: b.position,
      classes: classes.join(' '),
    });
    if (!ownCell) continue;
    for (const svcId of members) {
      const key = svcId;
      if (!open && !anchors.has(key)) anchors.set(key, { node: id, segment: seg.id });
    }
    if (!open) continue;
    // Services inside the segment's own cell: full size in detail mode, scaled in an expanded summary.
    const inCell = placeInBox(members.length, { w: ownCell.w, h: ownCell.h }, isContainer ? PAD : header);
    const left = ownCell.x - ownCell.w / 2;
    const topY = ownCell.y - ownCell.h / 2;
    members.forEach((svcId, i) => {
      const svc = d.idx.services.get(svcId);
      const at = inCell.positions[i];
      if (!svc || !at) return;
      const nodeId = serviceNodeId(d.level, svcId, seg.id);
      const hub = hubs.get(svcId);
      const classList = ['service', `kind-${svc.kind}`];
      if (svc.exposed) classList.push('exposed');
      if (svc.critical) classList.push('critical');
      if (hub) classList.push('hub');
      const glyphs = `${hub ? '★ ' : ''}${svc.exposed ? '⚑ ' : ''}`;
      nodes.push({
        group: 'nodes',
        data: {
          id: nodeId,
          kind: 'service',
          serviceId: svcId,
          segmentId: seg.id,
          level: d.level,
          label: `${glyphs}${svc.name}`,
          callers: hub?.callers ?? 0,
          w: SERVICE_W * inCell.scale,
          h: SERVICE_H * inCell.scale,
          fs: SERVICE_FONT * inCell.scale,
          tw: (SERVICE_W - 8) * inCell.scale,
        },
        position: { x: left + at.x, y: topY + at.y },
        classes: classList.join(' '),
      });
      if (!anchors.has(svcId)) anchors.set(svcId, { node: nodeId, segment: seg.id });
    });
  }
  // Containers before what they contain (the packer's order), services last: later draws on top.
  const order = new Map([...placed.keys()].map((id, i) => [id, i]));
  const rank = (n: ElementDef) => order.get(n.data.id) ?? order.size;
  nodes.sort((a, b) => rank(a) - rank(b));
  return { elements: [...nodes, ...buildCallEdges(ws, opts, anchors)], memo, size };
};

/** The grid size a segment of n services takes at full size (tests and the bench size things with it). */
export { gridSize };
