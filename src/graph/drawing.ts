// The nodes of one drawing of the focused band: folded cells, open containers and segments with their services, and where each service anchors its calls.
import type { AnalysisSummary } from '../analysis/types';
import type { Level, Segment } from '../model/types';
import { badgeLine, type UnitStats } from './badges';
import type { Anchors, Drawn } from './edges';
import type { ElementDef } from './elements';
import { type Rect, rectAt } from './geometry';
import {
  containerHeader,
  GAP,
  OPEN_CELL_FONT,
  PAD,
  type Placed,
  placeInBox,
  ROW_GAP,
  SEGMENT_FONT,
  SEGMENT_HEADER,
  SERVICE_FONT,
  SERVICE_H,
  SERVICE_W,
} from './layout';
import { countsLines, type LayoutMemo, unitFont } from './lod';
import { textWidth } from './text';
import { containerTitle, segmentTitle } from './titles';
import type { BandData, Unit } from './units';

export const serviceNodeId = (level: Level, serviceId: string, segmentId: string): string =>
  `svc:${level}:${serviceId}:${segmentId}`;

/** The nodes of one drawing of a band, and where each service is drawn (its node or the cell standing for it). */
export class BandDrawing {
  readonly nodes: ElementDef[] = [];
  readonly anchors: Anchors = new Map();
  /** Every node drawing a service (one per segment of the band that holds it): a call picks the pair nearest each other. */
  readonly drawnAt: Drawn = new Map();
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
    const fs = unitFont(u, p, this.memo.zoom, this.memo.labelPx);
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
    // An opened cell's title at the size its room was reserved for: a larger one (a big cell's folded
    // name) would squeeze its services, and reading them would need a zoom where the cell outgrows the canvas.
    const font = container ? p.font : summary ? Math.min(p.font, OPEN_CELL_FONT) : SEGMENT_FONT;
    const header = container ? containerHeader(p.font) : summary ? Math.round(font * 1.6) : SEGMENT_HEADER;
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
    if (cell) this.services(seg, cell, container ? PAD : header, summary ? GAP : ROW_GAP);
  }

  /** An open unit's box, and its title (at the top) as an obstacle. */
  private title(u: Unit, p: Placed, label: string, font: number, header: number): void {
    this.boxes.set(u.id, rectAt(p.x, p.y, p.w, p.h));
    const top = p.y - p.h / 2;
    this.obstacles.push({ ...rectAt(p.x, 0, textWidth(label, font, true), 0), y1: top, y2: top + header });
  }

  /** A segment's services inside its cell: full size in detail mode, scaled in an opened summary. */
  private services(seg: Segment, cell: Placed, header: number, rowGap: number): void {
    const members = this.d.members.get(seg.id) ?? [];
    const inCell = placeInBox(members.length, { w: cell.w, h: cell.h }, header, rowGap);
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
      const drawn = this.drawnAt.get(svcId);
      if (drawn) drawn.push({ node: id, segment: seg.id });
      else this.drawnAt.set(svcId, [{ node: id, segment: seg.id }]);
      const box = rectAt(left + at.x, top + at.y, SERVICE_W * inCell.scale, SERVICE_H * inCell.scale);
      this.boxes.set(id, box);
      this.obstacles.push(box);
    });
  }
}
