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
import type { Level, Segment, Workspace } from '../model/types';
import { attachmentEdges, memberCount, splitAttachments } from './attachments';
import { badgeForms, badgeLine, type UnitStats, unitStats } from './badges';
import { indexWorkspace, inScope, type Scope, scopedSegments } from './bandIndex';
import { type Anchors, buildCallEdges } from './edges';
import { type Rect, rectAt } from './geometry';
import {
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
import { countsLines, FIT_PADDING, fitZoom, type LayoutMemo, MIN_LABEL_PX, planSummary, plural, unitFont } from './lod';
import { nameSmallUnits } from './outsideLabels';
import { drain } from './tasks';
import { textWidth } from './text';
import { allUnits, type BandData, type Unit, unitTree } from './units';

export type { Scope } from './bandIndex';
export { quotaBySegment } from './bandIndex';
export type { BandMode, LayoutMemo } from './lod';
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
export const serviceNodeId = (level: Level, serviceId: string, segmentId: string): string =>
  `svc:${level}:${serviceId}:${segmentId}`;

/** Above this many memberships the band is drawn as summaries whatever the canvas, to bound the drawn elements. */
export const DETAIL_LIMIT = 600;

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

const bandData = (ws: Workspace, opts: ViewOptions): BandData => {
  const idx = indexWorkspace(ws);
  const visible = inScope(idx, opts.scope);
  const keep = opts.scope ? scopedSegments(idx, visible) : null;
  const segs = (idx.levelSegments.get(opts.focus) ?? []).filter((s) => !keep || keep.has(s.id));
  const all = new Map<string, string[]>();
  for (const s of segs) all.set(s.id, (idx.members.get(s.id) ?? []).filter(visible));
  const { members, attached } = splitAttachments(idx, opts.focus, all);
  return { idx, level: opts.focus, segs, shown: new Set(segs.map((s) => s.id)), members, attached };
};

/** Room a title keeps for the marks the analysis may add later (" ★ △ 58/60"; shorter forms where the marks need more). */
const BADGE_ROOM = ' ★ △ 00/00';

/**
 * An open unit's title, the longest of its forms that fits `width` at `font` (bold): its head ("sg-app
 * · 7", "vpc-core"), then its marks in the form every unit shares (badges.ts: "★ 1 · △ 4/5 rules"),
 * shorter, down to the bare glyphs; the full form is in the tooltip. A name that still does not fit
 * is drawn wrapped by cytoscape (never cut).
 */
const titleOf = (head: string, name: string, s: UnitStats | undefined, own: boolean, width: number, font: number) => {
  const forms = badgeForms(s, own);
  const glyphs = forms[forms.length - 2] ?? '';
  // Marks follow the head after a space when they start with their glyph ("sg-app · 7 ★ △ 4/5"),
  // else after a dot ("sg-batch · 3 · 1 broken"); they outlast the count: colour is never the only signal.
  const titles = forms.filter(Boolean).map((f) => `${head}${/^[★▲△⚑]/.test(f) ? ' ' : ' · '}${f}`);
  if (glyphs) titles.push(`${name} ${glyphs}`);
  titles.push(head, name);
  return titles.find((f) => textWidth(f, font, true) <= width) ?? (titles[titles.length - 1] as string);
};

/** An open segment's title: "sg-app · 7 ★ 1 · △ 4/5 rules" and shorter. */
export const segmentTitle = (u: Unit, s: UnitStats | undefined, width = Number.POSITIVE_INFINITY, font = 1): string =>
  titleOf(`${u.name} · ${memberCount(u.services, u.attached)}`, u.name, s, u.children.length === 0, width, font);

/** An open context's or bucket's title, with the marks of what it holds. */
const containerTitle = (u: Unit, s?: UnitStats, width = Number.POSITIVE_INFINITY, font = 1): string => {
  const head = u.kind === 'bucket' ? `${u.name} · ${plural(u.segments, 'segment')}` : u.name;
  return titleOf(head, u.name, s, false, width, font);
};

/** The title a container box is sized for: a segment's with room for the badges the analysis may add. */
const titleRoom = (u: Unit): string =>
  u.kind === 'segment' ? `${u.name} · ${memberCount(u.services, u.attached)}${BADGE_ROOM}` : containerTitle(u);

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

interface Planned {
  tree: Unit;
  placed: Map<string, Placed>;
  size: Size;
  memo: LayoutMemo;
}

/** Lay out the band: the memo's decisions when given, else the mode, depth and shape that read on the viewport. */
const planBand = (d: BandData, opts: ViewOptions): Planned => {
  const viewport = opts.viewport ?? { w: 1200, h: 800 };
  const memo = opts.memo?.level === d.level ? opts.memo : null;
  const memberships = [...d.members.values()].reduce((a, m) => a + m.length, 0);
  let mode = opts.mode ?? memo?.mode ?? (memberships > DETAIL_LIMIT ? 'summary' : undefined);
  if (!mode || mode === 'detail') {
    const tree = unitTree(d);
    const kept = memo?.mode === 'detail' ? memo.shape : undefined;
    const detail = layoutBand(boxesOf(d, detailCell)(tree), viewport, kept);
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
  const plan = planSummary(d, viewport, boxesOf(d, summaryCell), memo?.mode === 'summary' ? memo : null);
  const zoom = memo?.mode === 'summary' ? memo.zoom : fitZoom(plan.size, viewport);
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
    },
  };
};

/** The keys drawn open: those opened and every unit holding one. */
const openKeys = (tree: Unit, expanded: ReadonlySet<string>): Set<string> => {
  const open = new Set<string>();
  if (expanded.size === 0) return open;
  for (const u of allUnits(tree)) {
    if (!expanded.has(u.key)) continue;
    for (let x: Unit | null = u; x && !open.has(x.key); x = x.parent) open.add(x.key);
  }
  return open;
};

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
  const { tree, placed, memo, size } = planBand(d, opts);
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

/** The nodes of one drawing of a band, and where each service is drawn (its node or the cell standing for it). */
class BandDrawing {
  readonly nodes: ElementDef[] = [];
  readonly anchors: Anchors = new Map();
  /** Every node's box, and what an edge label must not cover (names, services). */
  readonly boxes = new Map<string, Rect>();
  readonly obstacles: Rect[] = [];
  private readonly hubs: Map<string, { callers: number }>;
  /** Services with a public address that the routes keep off the internet: not marked ⚑. */
  private readonly unexposed: Set<string>;

  constructor(
    private readonly d: BandData,
    private readonly placed: Map<string, Placed>,
    private readonly stats: Map<string, UnitStats>,
    private readonly memo: LayoutMemo,
    analysis: AnalysisSummary | null | undefined,
  ) {
    this.hubs = new Map((analysis?.hubs ?? []).map((h) => [h.service, h]));
    this.unexposed = new Set((analysis?.unexposed ?? []).map((u) => u.service));
  }

  /**
   * A unit's marks: its own quota, and for a folded unit what it holds rolled up (quota, worst
   * finding, hubs); an open container leaves those to what is drawn inside it.
   */
  private classesOf(u: Unit, base: string[]): string {
    const s = this.stats.get(u.id);
    const classes = [...base];
    const rolled = base.includes('folded') || base.includes('summary');
    if (s?.quota?.state === 'warn' || (rolled && u.kind !== 'segment' && !s?.over && s?.near))
      classes.push('quota-warn');
    if (s?.quota?.state === 'error' || (rolled && u.kind !== 'segment' && s?.over)) classes.push('quota-error');
    if (s?.worst && (rolled || u.kind === 'segment')) classes.push(`worst-${s.worst}`);
    if (s?.hubs && (rolled || u.kind === 'segment')) classes.push('holds-hub');
    return classes.join(' ');
  }

  private unitData(u: Unit, p: Placed) {
    const kind = u.kind === 'segment' ? 'segment' : 'context';
    return {
      id: u.id,
      kind,
      unit: u.key,
      ...(u.segment ? { segmentId: u.segment.id } : {}),
      ...(u.kind === 'context' && u.segment ? { ofLevel: u.segment.level } : {}),
      level: this.d.level,
      members: u.services,
      w: p.w,
      h: p.h,
    };
  }

  /** A unit drawn as one cell: its name, counts and badges, sized to read; every service in it anchors here. */
  folded(u: Unit, p: Placed): void {
    // Name and counts at the size the plan read them at; the badge line in the form that fits.
    const fs = unitFont(u, p, this.memo.zoom);
    const badges = badgeLine(u, this.stats.get(u.id), p.w - 2 * PAD, fs);
    const lines = [u.name, ...countsLines(u), badges].filter(Boolean);
    const leaf = u.kind === 'segment' && u.children.length === 0;
    const base =
      u.kind === 'segment'
        ? ['segment', `level-${this.d.level}`, leaf ? 'summary' : 'folded', ...(leaf ? [] : ['container'])]
        : ['context', 'folded', ...(u.kind === 'bucket' ? ['bucket'] : [`level-${u.segment?.level}`])];
    this.nodes.push({
      group: 'nodes',
      data: { ...this.unitData(u, p), name: u.name, label: lines.join('\n'), fs },
      position: { x: p.x, y: p.y },
      classes: this.classesOf(u, base),
    });
    // The whole cell: a label under it would be hidden (aggregates pass under cells).
    const box = rectAt(p.x, p.y, p.w, p.h);
    this.boxes.set(u.id, box);
    this.obstacles.push(box);
    const anchor = (x: Unit) => {
      if (x.kind === 'segment' && x.segment) {
        const segment = x.segment.id;
        for (const m of this.d.members.get(segment) ?? [])
          if (!this.anchors.has(m)) this.anchors.set(m, { node: u.id, segment });
      }
      for (const c of x.children) anchor(c);
    };
    anchor(u);
  }

  /** A unit drawn open: a container with its title (its children are drawn after it), a segment with its services. */
  open(u: Unit, p: Placed, foldable: boolean): void {
    const summary = this.memo.mode === 'summary';
    if (u.kind !== 'segment') {
      const base = ['context', ...(u.kind === 'bucket' ? ['bucket'] : [`level-${u.segment?.level}`])];
      if (foldable) base.push('unfolded');
      const label = containerTitle(u, this.stats.get(u.id), p.w - 2 * PAD, p.font);
      this.nodes.push({
        group: 'nodes',
        data: { ...this.unitData(u, p), label, fs: p.font, tfs: p.font, ly: containerHeader(p.font) - 6 },
        position: { x: p.x, y: p.y },
        classes: this.classesOf(u, base),
      });
      this.title(u, p, label, p.font, containerHeader(p.font));
      return;
    }
    const seg = u.segment as Segment;
    const container = u.children.length > 0;
    const base = ['segment', `level-${this.d.level}`];
    if (summary) base.push(container ? 'unfolded' : 'expanded-summary');
    if (container) base.push('container');
    const font = container || summary ? p.font : SEGMENT_FONT;
    const header = container ? containerHeader(p.font) : summary ? Math.round(p.font * 1.6) : SEGMENT_HEADER;
    const stats = this.stats.get(u.id);
    const title = segmentTitle(u, stats, p.w - 2 * PAD, font);
    this.nodes.push({
      group: 'nodes',
      data: {
        ...this.unitData(u, p),
        label: title,
        full: segmentTitle(u, stats),
        fs: font,
        tfs: font,
        ly: header - 5,
      },
      position: { x: p.x, y: p.y },
      classes: this.classesOf(u, base),
    });
    this.title(u, p, title, font, header);
    const cell = container ? this.placed.get(`own:${u.key}`) : p;
    if (cell) this.services(seg, cell, container ? PAD : header);
  }

  /** An open unit's box, and its title (at the top) as an obstacle. */
  private title(u: Unit, p: Placed, label: string, font: number, header: number): void {
    this.boxes.set(u.id, rectAt(p.x, p.y, p.w, p.h));
    const top = p.y - p.h / 2;
    this.obstacles.push({ ...rectAt(p.x, 0, textWidth(label, font, true), 0), y1: top, y2: top + header });
  }

  /** A segment's services inside its cell: full size in detail mode, scaled in an opened summary. */
  private services(seg: Segment, cell: Placed, header: number): void {
    const members = this.d.members.get(seg.id) ?? [];
    const inCell = placeInBox(members.length, { w: cell.w, h: cell.h }, header);
    const left = cell.x - cell.w / 2;
    const top = cell.y - cell.h / 2;
    members.forEach((svcId, i) => {
      const svc = this.d.idx.services.get(svcId);
      const at = inCell.positions[i];
      if (!svc || !at) return;
      const id = serviceNodeId(this.d.level, svcId, seg.id);
      const hub = this.hubs.get(svcId);
      const classes = ['service', `kind-${svc.kind}`];
      const exposed = svc.exposed === true && !this.unexposed.has(svcId);
      if (exposed) classes.push('exposed');
      if (svc.critical) classes.push('critical');
      if (hub) classes.push('hub');
      this.nodes.push({
        group: 'nodes',
        data: {
          id,
          kind: 'service',
          serviceId: svcId,
          segmentId: seg.id,
          level: this.d.level,
          label: `${hub ? '★ ' : ''}${exposed ? '⚑ ' : ''}${svc.name}`,
          callers: hub?.callers ?? 0,
          w: SERVICE_W * inCell.scale,
          h: SERVICE_H * inCell.scale,
          fs: SERVICE_FONT * inCell.scale,
          tw: (SERVICE_W - 8) * inCell.scale,
        },
        position: { x: left + at.x, y: top + at.y },
        classes: classes.join(' '),
      });
      if (!this.anchors.has(svcId)) this.anchors.set(svcId, { node: id, segment: seg.id });
      const box = rectAt(left + at.x, top + at.y, SERVICE_W * inCell.scale, SERVICE_H * inCell.scale);
      this.boxes.set(id, box);
      this.obstacles.push(box);
    });
  }
}

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
